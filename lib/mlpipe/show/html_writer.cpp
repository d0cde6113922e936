#include "mlpipe/show/html_writer.h"

#include <optional>
#include <vector>

#include <fmt/format.h>

#include "mlpipe/show/text_fit.h"

namespace mlpipe::show {

namespace {

// Blue for claims, orange for supports (Okabe-Ito: told apart with any colour vision), a
// dark red for attacks, which also say "against" and are dashed, so colour is never the
// only sign. Fonts are the system's: the page works offline and prints as it shows.
constexpr std::string_view kStyle = R"(:root {
  --claim: #0072b2; --claim-bg: #d5e8f7; --claim-ink: #00507d;
  --support: #e69f00; --support-bg: #fde5c0; --support-ink: #8a4f00;
  --attack: #b3261e; --ink: #1d1d1f; --muted: #5f6368; --rule: #d9d9d4; --paper: #fbfaf7;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--paper); color: var(--ink);
  font: 17px/1.65 Charter, "Bitstream Charter", Georgia, "DejaVu Serif", "Liberation Serif", serif; }
.ui, h1, h2, h3, .badge, .sc, .stance, .ls { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans",
  "Liberation Sans", Arial, sans-serif; }
header, main, footer { max-width: 54rem; margin: 0 auto; padding: 0 1.5rem; }
header { padding-top: 1.8rem; }
h1 { font-size: 1.7rem; line-height: 1.2; margin: 0 0 .3rem; }
h2 { font-size: 1.35rem; line-height: 1.25; margin: 0 0 .2rem; }
h3 { font-size: 1rem; margin: 1.6rem 0 .5rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
a { color: inherit; }
.overview, .summary, .doc-key { color: var(--muted); font-size: .88rem; margin: 0 0 .8rem; }
.doc-key { margin-top: -.1rem; }
.legend { display: flex; flex-wrap: wrap; align-items: center; gap: .45rem 1.3rem; margin: .8rem 0 1.4rem;
  padding: .6rem .9rem; font-size: .82rem; background: #fff; border: 1px solid var(--rule); border-radius: 8px; }
.legend .note { color: var(--muted); flex-basis: 100%; }
.toc { margin: 0 0 1.6rem; padding: .7rem 1rem; background: #fff; border: 1px solid var(--rule); border-radius: 8px;
  font-size: .92rem; }
.toc h2 { font-size: .9rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 0 0 .3rem; }
.toc ol { margin: 0; padding-left: 1.4rem; }
.toc .counts { color: var(--muted); font-size: .85em; }
.doc { background: #fff; border: 1px solid var(--rule); border-radius: 10px; padding: 1.4rem 1.8rem 1.2rem;
  margin: 0 0 2rem; }
.thesis-quote { margin: .6rem 0 1.2rem; padding: .7rem 1rem; border-left: 5px solid var(--claim);
  background: var(--claim-bg); border-radius: 0 6px 6px 0; font-size: 1.08rem; font-style: italic; }
.thesis-quote .badge { font-style: normal; }
.text p { margin: 0 0 .9rem; }
mark.s { color: inherit; background: var(--claim-bg); border-bottom: 2px solid var(--claim); border-radius: 3px;
  padding: .08em .18em; -webkit-box-decoration-break: clone; box-decoration-break: clone; }
mark.s.support { background: var(--support-bg); border-bottom-color: var(--support); }
mark.s.claim.support { background: linear-gradient(var(--claim-bg) 62%, var(--support-bg) 62%);
  border-bottom: 3px solid var(--support); }
mark.s.thesis { font-weight: 600; box-shadow: 0 0 0 2px var(--claim); }
mark.s:hover { filter: brightness(.93); }
mark.s:target { box-shadow: 0 0 0 3px var(--ink); }
/* Badges and scores are inline, not inline-block: no line break can part them from the words they
   stand next to. */
.badge { display: inline; font-size: .62rem; font-weight: 700; font-style: normal; line-height: 1.3;
  letter-spacing: .05em; text-transform: uppercase; color: #fff; background: var(--claim); border-radius: 3px;
  padding: .05rem .3rem; margin-right: .3rem; vertical-align: .12em; }
.sc { display: inline; font-size: .66rem; font-weight: 600; font-style: normal; line-height: 1.2;
  color: var(--claim-ink); background: rgba(255, 255, 255, .75); border-radius: 3px; padding: 0 .22rem;
  margin-left: .3rem; vertical-align: .15em; }
.sc.support { color: var(--support-ink); }
.sentences { list-style: none; padding: 0; margin: 0; }
.sentences li { margin: 0 0 .55rem; }
.sentences .gap { color: var(--muted); margin: -.2rem 0 .35rem; }
.loc { color: var(--muted); font-size: .72rem; font-family: system-ui, "DejaVu Sans", sans-serif; margin-right: .4rem; }
.links { border-top: 1px solid var(--rule); margin-top: 1.2rem; }
.claims { list-style: none; padding: 0; margin: 0; font-size: .93rem; line-height: 1.5; }
.claims > li { margin: 0 0 .9rem; }
.cq a, .sq a { text-decoration: none; }
.cq a:hover, .sq a:hover { text-decoration: underline; }
.cq { font-weight: 600; }
.cq .tag { font-weight: 700; }
.tag { display: inline-block; font: 700 .62rem/1.3 system-ui, "DejaVu Sans", sans-serif; letter-spacing: .05em;
  text-transform: uppercase; border-radius: 3px; padding: .05rem .3rem; margin-right: .35rem; vertical-align: .12em;
  color: var(--claim-ink); background: var(--claim-bg); border: 1px solid var(--claim); }
.tag.thesis { color: #fff; background: var(--claim); }
.supports { list-style: none; margin: .3rem 0 0; padding: 0 0 0 1.2rem; }
.supports li { margin: .25rem 0; padding: .1rem 0 .1rem .6rem; border-left: 3px solid var(--support); }
.supports li.against { border-left: 3px dashed var(--attack); }
.stance { display: inline-block; min-width: 3.6rem; text-align: center; font-size: .66rem; font-weight: 700;
  line-height: 1.4; letter-spacing: .05em; text-transform: uppercase; border-radius: 3px; padding: 0 .3rem;
  color: #3d2400; background: var(--support); }
.stance.against { color: #fff; background: var(--attack); }
.ls { display: inline-block; min-width: 2.4rem; font-size: .75rem; font-weight: 600; color: var(--muted);
  margin: 0 .3rem; }
.none, .from { color: var(--muted); font-size: .85em; }
.empty { color: var(--muted); }
footer { color: var(--muted); font-size: .75rem; padding-bottom: 2rem; }
@media print {
  body { background: #fff; font-size: 10.5pt; }
  header, main, footer { max-width: none; padding: 0; }
  .doc { border: 0; padding: 0; border-radius: 0; }
  .doc + .doc { break-before: page; }
  h1, h2, h3 { break-after: avoid; }
  .claims > li, .supports li, .thesis-quote { break-inside: avoid; }
  mark.s, .badge, .sc, .stance, .tag, .thesis-quote, .legend { -webkit-print-color-adjust: exact;
    print-color-adjust: exact; }
  a { text-decoration: none; }
}
)";

constexpr std::size_t kQuoteChars = 160;   // a sentence quoted in the lists of links
constexpr std::size_t kSummaryChars = 90;  // the thesis quoted in a summary line

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

struct Counts {
  std::size_t claims = 0, supports = 0, theses = 0, links = 0, attacks = 0;
};

Counts count(const ArgumentGraph& g, const Document& d) {
  Counts c;
  for (std::size_t i : d.sentences) {
    const Sentence& s = g.sentences()[i];
    c.claims += (s.roles & kClaim) != 0;
    c.supports += (s.roles & kSupport) != 0;
    c.theses += (s.roles & kThesis) != 0;
  }
  for (std::size_t i : d.claims) {
    for (std::size_t k : g.sentences()[i].links) {
      ++c.links;
      c.attacks += g.links()[k].attack;
    }
  }
  return c;
}

std::string counts_text(const Counts& c) {
  std::string s = fmt::format("{} · {} · {}", plural(c.claims, "claim", "claims"),
                              plural(c.supports, "support", "supports"), plural(c.links, "link", "links"));
  if (c.attacks > 0) s += fmt::format(" ({} against)", c.attacks);
  return s;
}

class PageWriter {
 public:
  PageWriter(const ArgumentGraph& g, const RoleNames& names, std::string& out)
      : g_(g), names_(names), out_(out), shown_(g.sentences().size(), false) {}

  void page(std::string_view title) {
    out_ += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    out_ += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out_ += "<meta name=\"generator\" content=\"mlshow (mlpipe)\">\n<title>";
    text(title);
    out_ += "</title>\n<style>\n";
    out_ += kStyle;
    out_ += "</style>\n</head>\n<body>\n<header>\n<h1>";
    text(title);
    out_ += "</h1>\n";
    overview();
    legend();
    out_ += "</header>\n<main>\n";
    const std::vector<Document>& docs = g_.documents();
    // Which sentences the page marks decides which quotations can link to them, across documents.
    for (const Document& doc : docs) {
      marked_.push_back(doc.text ? marked_in_text(doc) : doc.sentences);
      for (std::size_t i : marked_.back()) shown_[i] = true;
    }
    if (docs.empty()) out_ += "<p class=\"empty ui\">No documents: the input held no sentence or link records.</p>\n";
    if (docs.size() > 1) toc();
    for (std::size_t d = 0; d < docs.size(); ++d) document(d);
    out_ +=
        "</main>\n<footer class=\"ui\">Made by mlshow (mlpipe). Scores are the models' scores; hover a marked "
        "sentence for all of them.</footer>\n</body>\n</html>\n";
  }

 private:
  void text(std::string_view s) { append_html_escaped(out_, s); }

  void overview() {
    Counts all;
    for (const Document& d : g_.documents()) {
      Counts c = count(g_, d);
      all.claims += c.claims;
      all.supports += c.supports;
      all.links += c.links;
      all.attacks += c.attacks;
    }
    out_ += fmt::format("<p class=\"overview ui\">{} · {}</p>\n",
                        plural(g_.documents().size(), "document", "documents"), counts_text(all));
  }

  void legend() {
    out_ += "<div class=\"legend ui\">\n";
    out_ += "<span><mark class=\"s claim\">claim</mark></span>\n";
    out_ += "<span><mark class=\"s support\">support</mark></span>\n";
    out_ += "<span><mark class=\"s claim support\">both</mark></span>\n";
    out_ += "<span><mark class=\"s claim thesis\"><span class=\"badge\">thesis</span>thesis</mark></span>\n";
    out_ += "<span><span class=\"stance for\">for</span> backs its claim</span>\n";
    out_ += "<span><span class=\"stance against\">against</span> attacks it</span>\n";
    out_ +=
        "<span class=\"note\">Small numbers: the sentence's role score, or a link's score. Hover a marked "
        "sentence for all its scores.</span>\n";
    out_ += "</div>\n";
  }

  void toc() {
    out_ += "<nav class=\"toc ui\">\n<h2>Documents</h2>\n<ol>\n";
    for (std::size_t d = 0; d < g_.documents().size(); ++d) {
      const Document& doc = g_.documents()[d];
      out_ += fmt::format("<li><a href=\"#doc-{}\">", d + 1);
      text(doc.title);
      out_ += "</a> <span class=\"counts\">";
      text(counts_text(count(g_, doc)));
      out_ += "</span></li>\n";
    }
    out_ += "</ol>\n</nav>\n";
  }

  // The score shown next to a sentence for its role (the thesis score for a thesis that has one).
  std::optional<double> claim_score(const Sentence& s) const {
    if (s.roles & kThesis)
      if (std::optional<double> v = s.score("thesis")) return v;
    return s.score(names_.left);
  }

  std::string classes(const Sentence& s) const {
    std::string c = "s";
    if (s.claim_like()) c += " claim";
    if (s.roles & kSupport) c += " support";
    if (s.roles & kThesis) c += " thesis";
    return c;
  }

  // What hovering a sentence shows: its roles, every score, and where it is.
  std::string hover(const Sentence& s) const {
    std::vector<std::string> parts;
    std::string roles;
    for (auto [bit, name] :
         {std::pair{kThesis, std::string_view("thesis")}, std::pair{kClaim, std::string_view("claim")},
          std::pair{kSupport, std::string_view("support")}}) {
      if ((s.roles & bit) == 0) continue;
      if (!roles.empty()) roles += " + ";
      roles += name;
    }
    parts.push_back(roles);
    for (const Score& sc : s.scores) parts.push_back(fmt::format("{} {:.3f}", sc.name, sc.value));
    // Counted from 1 for a reader, as the list of sentences shows them.
    if (s.para) parts.push_back(fmt::format("¶{}", *s.para + 1));
    if (s.sent) parts.push_back(fmt::format("sentence {}", *s.sent + 1));
    std::string h;
    for (const std::string& p : parts) {
      if (!h.empty()) h += " · ";
      h += p;
    }
    return h;
  }

  void open_mark(std::size_t i, bool first_part) {
    const Sentence& s = g_.sentences()[i];
    out_ += fmt::format("<mark class=\"{}\"", classes(s));
    if (first_part) out_ += fmt::format(" id=\"s{}\"", i + 1);
    out_ += " title=\"";
    text(hover(s));
    out_ += "\">";
    if (first_part && (s.roles & kThesis)) out_ += "<span class=\"badge\">thesis</span>";
  }

  void close_mark(std::size_t i) {
    const Sentence& s = g_.sentences()[i];
    if (s.claim_like())
      if (std::optional<double> v = claim_score(s)) out_ += fmt::format("<span class=\"sc\">{:.2f}</span>", *v);
    if (s.roles & kSupport)
      if (std::optional<double> v = s.score(names_.right))
        out_ += fmt::format("<span class=\"sc support\">{:.2f}</span>", *v);
    out_ += "</mark>";
  }

  void document(std::size_t d) {
    const Document& doc = g_.documents()[d];
    const Counts c = count(g_, doc);
    std::vector<std::size_t> theses;
    for (std::size_t i : doc.claims)
      if (g_.sentences()[i].roles & kThesis) theses.push_back(i);

    out_ += fmt::format("<section class=\"doc\" id=\"doc-{}\">\n<h2>", d + 1);
    text(doc.title);
    out_ += "</h2>\n";
    if (doc.title != doc.key) {
      out_ += "<p class=\"doc-key ui\">";
      text(doc.key);
      out_ += "</p>\n";
    }
    out_ += "<p class=\"summary ui\">";
    text(counts_text(c));
    if (theses.empty()) {
      out_ += " · no thesis";
    } else {
      out_ += " · thesis: ";
      quote_link(theses.front(), kSummaryChars);
    }
    out_ += "</p>\n";
    for (std::size_t i : theses) {
      out_ += "<blockquote class=\"thesis-quote\"><span class=\"badge\">thesis</span>";
      text(one_line(g_.sentences()[i].text));
      out_ += "</blockquote>\n";
    }
    if (doc.text)
      whole_text(*doc.text, marked_[d]);
    else
      sentence_list(doc);
    links(doc);
    out_ += "</section>\n";
  }

  // The sentences of `doc` marked in its text: those with a span, in order, leaving out any
  // that would overlap the one before (marks cannot nest; records from mlsplit never do).
  std::vector<std::size_t> marked_in_text(const Document& doc) const {
    std::vector<std::size_t> marked;
    std::int64_t last_end = 0;
    for (std::size_t i : doc.sentences) {
      const Sentence& s = g_.sentences()[i];
      if (!s.start || *s.end <= *s.start || *s.start < last_end) continue;
      marked.push_back(i);
      last_end = *s.end;
    }
    return marked;
  }

  static constexpr std::size_t kNone = ~std::size_t(0);

  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

  // The document's text in paragraphs (blank lines part them), with its sentences marked.
  void whole_text(const std::string& t, const std::vector<std::size_t>& marked) {
    out_ += "<div class=\"text\">\n<p>";
    std::size_t pos = 0;
    // A byte order mark counts in the offsets but is no character of the text.
    if (t.compare(0, 3, "\xEF\xBB\xBF") == 0 && (marked.empty() || *g_.sentences()[marked.front()].start >= 3)) pos = 3;
    std::size_t next = 0;      // the next sentence in `marked` to open
    std::size_t open = kNone;  // the sentence whose mark is open
    bool empty_paragraph = true;
    while (pos < t.size()) {
      const std::size_t event = open != kNone          ? std::size_t(*g_.sentences()[open].end)
                                : next < marked.size() ? std::size_t(*g_.sentences()[marked[next]].start)
                                                       : t.size();
      if (pos == event) {
        if (open != kNone) {
          close_mark(open);
          open = kNone;
        } else {
          open = marked[next++];
          open_mark(open, true);
          empty_paragraph = false;
        }
        continue;
      }
      std::size_t nl = t.find('\n', pos);
      const std::size_t run_end = nl == std::string::npos || nl > event ? event : nl;
      if (run_end > pos) {
        std::string_view run(t.data() + pos, run_end - pos);
        for (char c : run)
          if (!is_space(c)) empty_paragraph = false;
        text(run);
        pos = run_end;
        continue;
      }
      // At a line break: a run of white space holding two of them ends a paragraph.
      std::size_t q = pos;
      int breaks = 0;
      while (q < event && is_space(t[q])) breaks += t[q++] == '\n';
      if (breaks >= 2) {
        if (!empty_paragraph) {
          if (open != kNone) out_ += "</mark>";
          out_ += "</p>\n<p>";
          if (open != kNone) open_mark(open, false);
          empty_paragraph = true;
        }
      } else if (q < t.size()) {  // white space at the very end shows nothing
        out_ += '\n';
      }
      pos = q;
    }
    if (open != kNone) close_mark(open);
    out_ += "</p>\n</div>\n";
  }

  // Without the document: its sentences in order, where they are, and "…" for what lies between.
  void sentence_list(const Document& doc) {
    out_ += "<ol class=\"sentences\">\n";
    std::optional<std::int64_t> last_sent;
    bool first = true;
    for (std::size_t i : doc.sentences) {
      const Sentence& s = g_.sentences()[i];
      const bool gap = s.sent && (first ? *s.sent > 0 : !last_sent || *s.sent != *last_sent + 1);
      if (gap) out_ += "<li class=\"gap\" aria-hidden=\"true\">…</li>\n";
      last_sent = s.sent;
      first = false;
      out_ += "<li>";
      if (s.para || s.sent) {
        out_ += "<span class=\"loc\">";
        if (s.para) out_ += fmt::format("¶{}", *s.para + 1);
        if (s.para && s.sent) out_ += " · ";
        if (s.sent) out_ += fmt::format("s{}", *s.sent + 1);
        out_ += "</span>";
      }
      open_mark(i, true);
      text(s.text);
      close_mark(i);
      out_ += "</li>\n";
    }
    out_ += "</ol>\n";
  }

  // A sentence quoted briefly, as a link to where the text marks it (when it does).
  void quote_link(std::size_t i, std::size_t max_chars) {
    if (shown_[i]) out_ += fmt::format("<a href=\"#s{}\">", i + 1);
    out_ += "“";
    text(brief(g_.sentences()[i].text, max_chars));
    out_ += "”";
    if (shown_[i]) out_ += "</a>";
  }

  // For each claim (theses first), the supports linked to it, strongest first.
  void links(const Document& doc) {
    out_ += "<section class=\"links\">\n<h3>Links</h3>\n";
    if (doc.claims.empty()) {
      out_ += "<p class=\"none ui\">No claims.</p>\n</section>\n";
      return;
    }
    out_ += "<ol class=\"claims\">\n";
    for (std::size_t i : doc.claims) {
      const Sentence& claim = g_.sentences()[i];
      out_ += "<li>\n<div class=\"cq\">";
      out_ += (claim.roles & kThesis) ? "<span class=\"tag thesis\">thesis</span>" : "<span class=\"tag\">claim</span>";
      quote_link(i, kQuoteChars);
      out_ += "</div>\n";
      if (claim.links.empty()) {
        out_ += "<p class=\"none ui\">No support linked.</p>\n</li>\n";
        continue;
      }
      out_ += "<ul class=\"supports\">\n";
      for (std::size_t k : claim.links) {
        const Link& l = g_.links()[k];
        const char* stance = l.attack ? "against" : "for";
        out_ += fmt::format("<li class=\"{}\"><span class=\"stance {}\">{}</span>", stance, stance, stance);
        out_ += l.score ? fmt::format("<span class=\"ls\">{:.2f}</span>", *l.score) : "<span class=\"ls\">–</span>";
        out_ += "<span class=\"sq\">";
        quote_link(l.support, kQuoteChars);
        out_ += "</span>";
        const Sentence& support = g_.sentences()[l.support];
        if (support.doc != claim.doc) {
          out_ += " <span class=\"from\">(";
          text(g_.documents()[support.doc].title);
          out_ += ")</span>";
        }
        out_ += "</li>\n";
      }
      out_ += "</ul>\n</li>\n";
    }
    out_ += "</ol>\n</section>\n";
  }

  const ArgumentGraph& g_;
  const RoleNames& names_;
  std::string& out_;
  std::vector<bool> shown_;                       // sentences the page marks (an anchor points at each)
  std::vector<std::vector<std::size_t>> marked_;  // per document, the sentences its text marks
};

}  // namespace

void append_html_escaped(std::string& out, std::string_view text) {
  for_each_char(text, [&](std::string_view ch) {
    if (ch.size() > 1) {
      out.append(ch);
      return;
    }
    const char c = ch[0];
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F)
          out += "\xEF\xBF\xBD";
        else
          out.push_back(c);
    }
  });
}

void write_html(const ArgumentGraph& graph, const RoleNames& names, std::string_view title, std::string& out) {
  PageWriter(graph, names, out).page(title);
}

}  // namespace mlpipe::show
