#include <doctest/doctest.h>

#include <string>

#include "mlpipe/core/json_syntax.h"
#include "mlpipe/show/aif_writer.h"
#include "show_test_util.h"

using namespace mlpipe;
using namespace mlpipe::show;
using mlpipe::show::test::graph_of;

TEST_CASE("AIF: I-nodes for sentences, RA for a support, CA for an attack, edges through them") {
  ArgumentGraph g = graph_of({
      R"({"claim":{"doc":"a","sent":0,"text":"C"},"support":{"doc":"a","sent":1,"text":"S"},"scores":{"link":0.7}})",
      R"({"claim":{"doc":"b","sent":0,"text":"D"},"support":{"doc":"b","sent":1,"text":"X"},"stance":"attack"})",
  });
  std::string aif;
  write_aif(g, aif);
  CHECK(aif == R"({"nodes":[
{"nodeID":"1","text":"C","type":"I","timestamp":""},
{"nodeID":"2","text":"S","type":"I","timestamp":""},
{"nodeID":"3","text":"D","type":"I","timestamp":""},
{"nodeID":"4","text":"X","type":"I","timestamp":""},
{"nodeID":"5","text":"Default Inference","type":"RA","timestamp":""},
{"nodeID":"6","text":"Default Conflict","type":"CA","timestamp":""}
],"edges":[
{"edgeID":"1","fromID":"2","toID":"5","formEdgeID":null},
{"edgeID":"2","fromID":"5","toID":"1","formEdgeID":null},
{"edgeID":"3","fromID":"4","toID":"6","formEdgeID":null},
{"edgeID":"4","fromID":"6","toID":"3","formEdgeID":null}
],"locutions":[]}
)");
  CHECK_NOTHROW(check_json(aif));
}

TEST_CASE("AIF text is JSON-escaped; a document's invalid UTF-8 is repaired") {
  ArgumentGraph g;
  g.add_document("d", "", "x\xE9y");
  test::add_records(g, {R"({"doc":"d","sent":0,"start":0,"end":3,"roles":["claim"]})",
                        R"({"doc":"e","sent":0,"text":"a \"q\" \\ b\nc\u0001","roles":["claim"]})"});
  g.finish();
  std::string aif;
  write_aif(g, aif);
  CHECK(aif.find(R"("text":"x\uFFFDy")") == std::string::npos);  // written as UTF-8, not escaped
  CHECK(aif.find("\"text\":\"x\xEF\xBF\xBDy\"") != std::string::npos);
  CHECK(aif.find(R"("text":"a \"q\" \\ b\nc\u0001")") != std::string::npos);
  CHECK_NOTHROW(check_json(aif));
}

TEST_CASE("AIF of nothing is an empty graph") {
  ArgumentGraph g;
  g.finish();
  std::string aif;
  write_aif(g, aif);
  CHECK(aif == "{\"nodes\":[],\"edges\":[],\"locutions\":[]}\n");
  CHECK_NOTHROW(check_json(aif));
}
