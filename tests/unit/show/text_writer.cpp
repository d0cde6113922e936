#include <doctest/doctest.h>

#include <string>

#include "mlpipe/show/text_writer.h"
#include "show_test_util.h"

using namespace mlpipe::show;
using mlpipe::show::test::graph_of;

TEST_CASE("text: per document the thesis first, then claims by their best link; supports for and against") {
  ArgumentGraph g = graph_of({
      R"({"doc":"a","sent":0,"text":"Weak claim.","roles":["claim"],"scores":{"claim":0.6}})",
      R"({"doc":"a","sent":1,"text":"The thesis.","roles":["thesis","claim"],"scores":{"thesis":0.9,"claim":0.8}})",
      R"({"claim":{"doc":"a","sent":2,"text":"Strong claim."},"support":{"doc":"a","sent":3,"text":"A reason."},"scores":{"link":0.91}})",
      R"({"claim":{"doc":"a","sent":2,"text":"Strong claim."},"support":{"doc":"a","sent":4,"text":"An objection."},"scores":{"link":0.5},"stance":"attack"})",
      R"({"doc":"b","sent":0,"text":"Another text's only claim.","roles":["claim"]})",
  });
  std::string out;
  write_text(g, RoleNames{}, TextLayout{}, out);
  CHECK(out ==
        "== a: 3 claims, 2 supports, 2 links\n"
        "thesis \"The thesis.\"  (thesis 0.90)\n"
        "claim  \"Strong claim.\"\n"
        "   for     0.91 \"A reason.\"\n"
        "   against 0.50 \"An objection.\"\n"
        "claim  \"Weak claim.\"  (claim 0.60)\n"
        "\n"
        "== b: 1 claim, 0 supports, 0 links\n"
        "claim  \"Another text's only claim.\"\n");
  std::string two;
  write_text(g, RoleNames{}, TextLayout{2, 110}, two);
  CHECK(two.find("   (1 more claim)\n") != std::string::npos);
  CHECK(two.find("Weak claim") == std::string::npos);
}

TEST_CASE("text: long sentences cut at a word with an ellipsis; a document without claims says so") {
  ArgumentGraph g = graph_of({
      R"({"doc":"a","sent":0,"text":"one two three four five six seven eight nine ten","roles":["thesis"]})",
      R"({"doc":"b","sent":0,"text":"Only a reason.","roles":["support"]})",
  });
  std::string out;
  write_text(g, RoleNames{}, TextLayout{5, 20}, out);
  CHECK(out.find("thesis \"one two three four…\"") != std::string::npos);
  CHECK(out.find("== b: 0 claims, 1 support, 0 links\n   (no claim found)\n") != std::string::npos);
}
