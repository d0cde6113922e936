#include <doctest/doctest.h>

#include <string>

#include "mlpipe/show/dot_writer.h"
#include "show_test_util.h"

using namespace mlpipe::show;
using mlpipe::show::test::graph_of;
using mlpipe::show::test::occurrences;

TEST_CASE("DOT strings: quotes and backslashes escaped, line breaks and controls made spaces") {
  CHECK(dot_quoted("say \"hi\"") == R"("say \"hi\"")");
  CHECK(dot_quoted(R"(C:\path\n)") == R"("C:\\path\\n")");
  CHECK(dot_quoted("two\nlines\r\x01") == "\"two lines  \"");
  CHECK(dot_quoted("\xE9t\xC3\xA9") == "\"\xEF\xBF\xBDt\xC3\xA9\"");
  CHECK(dot_quoted("ends with \\") == R"("ends with \\")");
}

TEST_CASE("DOT labels wrap at words with \\n") {
  CHECK(dot_label("the quick brown \"fox\" jumps", 10) == R"("the quick\nbrown\n\"fox\"\njumps")");
}

TEST_CASE("one digraph, a cluster per document, bold thesis, red dashed attacks") {
  ArgumentGraph g = graph_of({
      R"({"claim":{"doc":"a","sent":0,"text":"Claim A"},"support":{"doc":"a","sent":1,"text":"Sup A"},"scores":{"link":0.746}})",
      R"({"claim":{"doc":"b","sent":0,"text":"Claim B"},"support":{"doc":"b","sent":1,"text":"Att B"},"stance":"attack"})",
      R"({"doc":"a","sent":0,"text":"Claim A","roles":["thesis"]})",
  });
  std::string dot;
  write_dot(g, "My \"title\"", dot);
  CHECK(dot.rfind("digraph arguments {\n  graph [label=\"My \\\"title\\\"\"", 0) == 0);
  CHECK(occurrences(dot, "digraph") == 1);
  CHECK(occurrences(dot, "subgraph cluster_") == 2);
  CHECK(dot.find("subgraph cluster_2 {\n    label=\"b\";") != std::string::npos);
  CHECK(dot.find("n1 [label=\"Claim A\", fillcolor=\"#d5e8f7\", color=\"#0072b2\", style=\"rounded,filled,bold\", "
                 "penwidth=3") != std::string::npos);
  CHECK(dot.find("n2 -> n1 [label=\"0.75\"];") != std::string::npos);
  CHECK(dot.find("n4 -> n3 [color=\"#b3261e\", fontcolor=\"#b3261e\", style=dashed, arrowhead=tee];") !=
        std::string::npos);
  CHECK(dot.substr(dot.size() - 2) == "}\n");
}
