#include "mlpipe/show/dot_writer.h"

#include <optional>

#include <fmt/format.h>

#include "mlpipe/show/text_fit.h"

namespace mlpipe::show {

namespace {

// The colours of the page (html_writer.cpp): blue claims, orange supports, red attacks.
constexpr std::string_view kClaimFill = "#d5e8f7", kClaimLine = "#0072b2";
constexpr std::string_view kSupportFill = "#fde5c0", kSupportLine = "#e69f00";
constexpr std::string_view kAttack = "#b3261e";

// Appends `text` escaped for the inside of a DOT string.
void append_dot_escaped(std::string& out, std::string_view text) {
  for_each_char(text, [&](std::string_view ch) {
    if (ch.size() > 1) {
      out.append(ch);
      return;
    }
    const char c = ch[0];
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  });
}

}  // namespace

std::string dot_quoted(std::string_view text) {
  std::string out = "\"";
  append_dot_escaped(out, text);
  out.push_back('"');
  return out;
}

std::string dot_label(std::string_view text, std::size_t width) {
  std::string out = "\"";
  bool first = true;
  for (const std::string& line : wrap(text, width)) {
    if (!first) out += "\\n";
    first = false;
    append_dot_escaped(out, line);
  }
  out.push_back('"');
  return out;
}

void write_dot(const ArgumentGraph& graph, std::string_view title, std::string& out) {
  // Supports below the claims they back: edges point up.
  out += fmt::format(
      "digraph arguments {{\n  graph [label={}, labelloc=t, fontname=\"Helvetica\", fontsize=16, "
      "rankdir=BT, nodesep=0.3, ranksep=0.5];\n",
      dot_quoted(title));
  out += "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10, margin=\"0.12,0.06\"];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.7];\n";
  const std::vector<Sentence>& sentences = graph.sentences();
  for (std::size_t d = 0; d < graph.documents().size(); ++d) {
    const Document& doc = graph.documents()[d];
    // labelloc=b puts a cluster's label on top: with rankdir=BT, dot flips it.
    out += fmt::format(
        "  subgraph cluster_{} {{\n    label={};\n    labelloc=b;\n    style=\"rounded\";\n    color=\"#999999\";\n",
        d + 1, dot_quoted(doc.title));
    for (std::size_t i : doc.sentences) {
      const Sentence& s = sentences[i];
      const bool claim = s.claim_like();
      std::string tooltip;
      for (const Score& sc : s.scores)
        tooltip += fmt::format("{}{} {:.3f}", tooltip.empty() ? "" : ", ", sc.name, sc.value);
      // A sentence that is also a support keeps the claim's fill, with the support's colour
      // as a thick border.
      const bool both = claim && (s.roles & kSupport);
      out += fmt::format("    n{} [label={}, fillcolor=\"{}\", color=\"{}\"", i + 1, dot_label(s.text),
                         claim ? kClaimFill : kSupportFill, claim && !both ? kClaimLine : kSupportLine);
      if (s.roles & kThesis)
        out += ", style=\"rounded,filled,bold\", penwidth=3, fontname=\"Helvetica-Bold\"";
      else if (both)
        out += ", penwidth=2.5";
      if (!tooltip.empty()) out += fmt::format(", tooltip={}", dot_quoted(tooltip));
      out += "];\n";
    }
    out += "  }\n";
  }
  for (const Link& l : graph.links()) {
    out += fmt::format("  n{} -> n{} [", l.support + 1, l.claim + 1);
    std::string attrs;
    if (l.score) attrs += fmt::format("label=\"{:.2f}\"", *l.score);
    if (l.attack) {
      if (!attrs.empty()) attrs += ", ";
      attrs += fmt::format("color=\"{0}\", fontcolor=\"{0}\", style=dashed, arrowhead=tee", kAttack);
    }
    out += attrs;
    out += "];\n";
  }
  out += "}\n";
}

}  // namespace mlpipe::show
