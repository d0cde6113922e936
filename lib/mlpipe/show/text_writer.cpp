#include "mlpipe/show/text_writer.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "mlpipe/show/text_fit.h"

namespace mlpipe::show {

namespace {

std::string score_of(const Sentence& s, std::string_view name) {
  std::optional<double> v = s.score(name);
  return v ? fmt::format("{} {:.2f}", name, *v) : std::string();
}

// The best link score a claim has (links() of a claim are ordered best first).
double best_link(const ArgumentGraph& g, const Sentence& claim) {
  return claim.links.empty() ? -1.0 : g.links()[claim.links.front()].score.value_or(0.0);
}

std::string counted(std::size_t n, std::string_view what) {
  return fmt::format("{} {}{}", n, what, n == 1 ? "" : "s");
}

}  // namespace

void write_text(const ArgumentGraph& graph, const RoleNames& names, const TextLayout& layout, std::string& out) {
  auto add = std::back_inserter(out);
  const auto& sentences = graph.sentences();
  for (std::size_t d = 0; d < graph.documents().size(); ++d) {
    const Document& doc = graph.documents()[d];
    std::size_t claims = 0, supports = 0, links = 0;
    for (std::size_t i : doc.sentences) {
      claims += sentences[i].claim_like() ? 1 : 0;
      supports += (sentences[i].roles & kSupport) ? 1 : 0;
    }
    for (std::size_t i : doc.claims) links += sentences[i].links.size();
    if (d > 0) out += '\n';
    fmt::format_to(add, "== {}: {}, {}, {}\n", one_line(doc.title), counted(claims, "claim"), counted(supports, "support"),
                   counted(links, "link"));
    // The thesis first, then the claims with links, strongest first, then the others in order.
    std::vector<std::size_t> order(doc.claims.begin(), doc.claims.end());
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const bool ta = sentences[a].roles & kThesis, tb = sentences[b].roles & kThesis;
      if (ta != tb) return ta;
      return best_link(graph, sentences[a]) > best_link(graph, sentences[b]);
    });
    if (order.empty()) out += "   (no claim found)\n";
    const std::size_t shown = layout.claims == 0 ? order.size() : std::min(order.size(), layout.claims);
    for (std::size_t k = 0; k < shown; ++k) {
      const Sentence& c = sentences[order[k]];
      const char* label = (c.roles & kThesis) ? "thesis" : "claim ";
      const std::string score = score_of(c, (c.roles & kThesis) ? "thesis" : names.left);
      fmt::format_to(add, "{} \"{}\"{}\n", label, brief(c.text, layout.width),
                     score.empty() ? "" : fmt::format("  ({})", score));
      for (std::size_t l : c.links) {
        const Link& link = graph.links()[l];
        const Sentence& s = sentences[link.support];
        fmt::format_to(add, "   {} {} \"{}\"\n", link.attack ? "against" : "for    ",
                       link.score ? fmt::format("{:.2f}", *link.score) : std::string("    "),
                       brief(s.text, layout.width - 8));
      }
    }
    if (shown < order.size()) fmt::format_to(add, "   ({})\n", counted(order.size() - shown, "more claim"));
  }
}

}  // namespace mlpipe::show
