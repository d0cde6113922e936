#include <doctest/doctest.h>

#include <string>

#include "mlpipe/show/html_writer.h"
#include "show_test_util.h"

using namespace mlpipe;
using namespace mlpipe::show;
using mlpipe::show::test::add_records;
using mlpipe::show::test::graph_of;
using mlpipe::show::test::occurrences;

namespace {

std::string page(const ArgumentGraph& g, std::string_view title = "T") {
  std::string out;
  write_html(g, RoleNames{}, title, out);
  return out;
}

std::string escaped(std::string_view s) {
  std::string out;
  append_html_escaped(out, s);
  return out;
}

}  // namespace

TEST_CASE("HTML escaping: markup, quotes, invalid UTF-8 and control characters") {
  CHECK(escaped("<script>alert(\"x\" & 'y')</script>") ==
        "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;");
  CHECK(escaped("caf\xC3\xA9 \xE9") == "caf\xC3\xA9 \xEF\xBF\xBD");
  CHECK(escaped("a\x01"
                "b\nc") ==
        "a\xEF\xBF\xBD"
        "b\nc");
}

TEST_CASE("nothing from the records reaches the page unescaped") {
  const std::string evil = "<script>alert(1)</script>\\\" onmouseover=\\\"x";
  std::string sent = R"({"doc":")" + evil + R"(","sent":0,"text":")" + evil + R"(","roles":["thesis","claim"],)" +
                     R"("scores":{")" + evil + R"(":0.5}})";
  ArgumentGraph g;
  add_records(g, {sent});
  g.finish();
  std::string html = page(g, "<script>title</script>");
  // The page has no script at all: every "<script" would be from the data.
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("onmouseover=\"") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;x") != std::string::npos);
  CHECK(html.find("<title>&lt;script&gt;title&lt;/script&gt;</title>") != std::string::npos);
}

TEST_CASE("a document given whole: sentences marked at their bytes, paragraphs at blank lines") {
  ArgumentGraph g;
  g.add_document("d.txt", "", "\xEF\xBB\xBFTitle\n\nWe should act. Data shows it\nworks.\n\nThe end <b>.");
  add_records(
      g,
      {
          R"({"doc":"d.txt","sent":1,"start":10,"end":24,"text":"We should act.","roles":["thesis","claim"],"scores":{"claim":0.9,"thesis":0.8}})",
          R"({"claim":{"doc":"d.txt","sent":1,"start":10,"end":24},"support":{"doc":"d.txt","sent":2,"start":25,"end":45,"scores":{"support":0.7}},"scores":{"link":0.66}})",
      });
  g.finish();
  std::string html = page(g);
  // The byte order mark is not shown; the title is its own paragraph.
  CHECK(html.find("\xEF\xBB\xBF") == std::string::npos);
  CHECK(html.find("<div class=\"text\">\n<p>Title</p>\n<p><mark class=\"s claim thesis\" id=\"s1\"") !=
        std::string::npos);
  // The thesis: badge, its text, its score; then the support, its text from the document.
  CHECK(html.find("<span class=\"badge\">thesis</span>We should act.<span class=\"sc\">0.80</span></mark> ") !=
        std::string::npos);
  CHECK(html.find("<mark class=\"s support\" id=\"s2\" title=\"support · support 0.700 · sentence 3\">Data shows "
                  "it\nworks.<span class=\"sc support\">0.70</span></mark></p>\n<p>The end &lt;b&gt;.</p>") !=
        std::string::npos);
  // The thesis quoted on top, and the link under it.
  CHECK(
      html.find("<blockquote class=\"thesis-quote\"><span class=\"badge\">thesis</span>We should act.</blockquote>") !=
      std::string::npos);
  CHECK(html.find("<li class=\"for\"><span class=\"stance for\">for</span><span class=\"ls\">0.66</span><span "
                  "class=\"sq\"><a href=\"#s2\">“Data shows it works.”</a></span></li>") != std::string::npos);
  CHECK(html.find("1 claim · 1 support · 1 link · thesis: <a href=\"#s1\">“We should act.”</a>") != std::string::npos);
}

TEST_CASE("a mark across a blank line is closed and opened again") {
  ArgumentGraph g;
  g.add_document("d", "", "A b.\n\nC d.");
  add_records(g, {R"({"doc":"d","sent":0,"start":0,"end":10,"roles":["claim"]})"});
  g.finish();
  std::string html = page(g);
  CHECK(html.find("A b.</mark></p>\n<p><mark class=\"s claim\" title=\"claim · sentence 1\">C d.</mark>") !=
        std::string::npos);
}

TEST_CASE("attacks say against; several documents get a table of contents; one gets none") {
  ArgumentGraph two = graph_of({
      R"({"claim":{"doc":"a","sent":0,"text":"Claim A"},"support":{"doc":"a","sent":1,"text":"Attack A"},"stance":"attack","scores":{"link":0.5}})",
      R"({"doc":"b","sent":0,"text":"Claim B","roles":["claim"]})",
  });
  std::string html = page(two);
  CHECK(html.find("<li class=\"against\"><span class=\"stance against\">against</span>") != std::string::npos);
  CHECK(html.find("1 link (1 against)") != std::string::npos);
  CHECK(html.find("<nav class=\"toc ui\">") != std::string::npos);
  CHECK(occurrences(html, "<section class=\"doc\"") == 2);
  // Without the documents: each one's sentences in order, gaps shown.
  CHECK(html.find("<li class=\"gap\" aria-hidden=\"true\">…</li>") == std::string::npos);
  std::string one = page(graph_of({R"({"doc":"b","sent":3,"text":"Claim B","roles":["claim"]})"}));
  CHECK(one.find("<nav class=\"toc") == std::string::npos);
  CHECK(one.find("<li class=\"gap\" aria-hidden=\"true\">…</li>\n<li><span class=\"loc\">s4</span>") !=
        std::string::npos);
}

TEST_CASE("long sentences are quoted briefly in the list of links") {
  std::string long_text(30, 'x');
  for (int i = 0; i < 40; ++i) long_text += " word";
  ArgumentGraph g = graph_of(
      {R"({"claim":{"doc":"a","sent":0,"text":")" + long_text + R"("},"support":{"doc":"a","sent":1,"text":"S"}})"});
  std::string html = page(g);
  CHECK(html.find("word word…”") != std::string::npos);
}
