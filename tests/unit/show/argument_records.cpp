#include <doctest/doctest.h>

#include <string>

#include "mlpipe/core/error.h"
#include "show_test_util.h"

using namespace mlpipe;
using namespace mlpipe::show;
using mlpipe::show::test::add_records;
using mlpipe::show::test::graph_of;

namespace {

// The message of the Error that adding `record` throws.
std::string error_of(std::string_view record, const RoleNames& names = {}) {
  ArgumentGraph g;
  try {
    add_records(g, {record}, names);
  } catch (const Error& e) {
    CHECK_FALSE(e.has_location());  // the runner adds FILE:LINE
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("roles come from 'roles', else from mlclassify's 'passed'") {
  ArgumentGraph g = graph_of({
      R"({"doc":"d","sent":0,"text":"a","roles":["thesis","claim"]})",
      R"({"doc":"d","sent":1,"text":"b","passed":{"claim":false,"support":true,"other":true}})",
      R"({"doc":"d","sent":2,"text":"c","passed":{"claim":true,"support":true}})",
      R"({"doc":"d","sent":3,"text":"d","passed":{"claim":false,"support":false}})",  // no role: not drawn
      R"({"doc":"d","sent":4,"text":"e","roles":[]})",
  });
  REQUIRE(g.sentences().size() == 3);
  CHECK(g.sentences()[0].roles == (kThesis | kClaim));
  CHECK(g.sentences()[1].roles == kSupport);
  CHECK(g.sentences()[2].roles == (kClaim | kSupport));
}

TEST_CASE("scores keep the record's order and leave out nulls") {
  ArgumentGraph g =
      graph_of({R"({"doc":"d","sent":0,"roles":["claim"],"scores":{"support":0.25,"x":null,"claim":-1.5}})"});
  const std::vector<Score>& s = g.sentences()[0].scores;
  REQUIRE(s.size() == 2);
  CHECK(s[0].name == "support");
  CHECK(s[0].value == 0.25);
  CHECK(s[1].name == "claim");
  CHECK(s[1].value == -1.5);
}

TEST_CASE("a link's stance, score, and the key as the sides' document") {
  ArgumentGraph g = graph_of({
      R"({"key":"k","claim":{"sent":0,"text":"C"},"support":{"sent":1,"text":"S"},"scores":{"link":0.74},"stance":"attack"})",
      R"({"key":7,"claim":{"sent":0,"text":"C7"},"support":{"doc":"other","sent":1,"text":"S7"}})",
  });
  REQUIRE(g.documents().size() == 3);
  CHECK(g.documents()[0].key == "k");
  CHECK(g.documents()[1].key == "7");  // a number key is its JSON text
  CHECK(g.documents()[2].key == "other");
  REQUIRE(g.links().size() == 2);
  CHECK(g.links()[0].attack);
  CHECK(g.links()[0].score == 0.74);
  CHECK_FALSE(g.links()[1].attack);
  CHECK_FALSE(g.links()[1].score.has_value());
  CHECK(g.sentences()[g.links()[0].claim].roles == kClaim);
  CHECK(g.sentences()[g.links()[0].support].roles == kSupport);
}

TEST_CASE("--left/--right rename the sides, the roles and the scores") {
  RoleNames names{"claim", "evidence"};
  ArgumentGraph g = graph_of({R"({"claim":{"doc":"d","sent":0},"evidence":{"doc":"d","sent":2}})",
                              R"({"doc":"d","sent":3,"roles":["evidence"]})",
                              R"({"doc":"d","sent":4,"passed":{"evidence":true,"support":true}})"},
                             names);
  REQUIRE(g.sentences().size() == 4);
  CHECK(g.sentences()[1].roles == kSupport);
  CHECK(g.sentences()[2].roles == kSupport);
  CHECK(g.sentences()[3].roles == kSupport);
  CHECK(error_of(R"({"doc":"d","sent":0,"roles":["support"]})", names) ==
        R"(field 'roles': element 0 ("support") is not "thesis", "claim" or "evidence")");
  CHECK(error_of(R"({"claim":{"doc":"d","sent":0},"support":{"doc":"d","sent":2}})", names) ==
        "field 'evidence' is missing (a link record holds both sides, 'claim' and 'evidence'; --left/--right name "
        "them)");
}

TEST_CASE("records of neither kind, and fields of the wrong type, say what was expected") {
  CHECK(error_of(R"({"key":"a","scores":{"link":0.5}})") ==
        "expected a sentence record (with 'doc' and 'roles') or a link record (with objects 'claim' and 'support')");
  CHECK(error_of(R"({"key":"a","claim":{"doc":"a","sent":0}})") ==
        "field 'support' is missing (a link record holds both sides, 'claim' and 'support'; --left/--right name "
        "them)");
  CHECK(error_of(R"({"claim":"x","support":{"doc":"a","sent":0}})") ==
        "field 'claim': expected an object (a side of a link record), found a string");
  CHECK(error_of(R"({"claim":{"sent":0},"support":{"doc":"a","sent":1}})") ==
        "field 'claim.doc' is missing (expected the document key, as mlsplit writes it)");
  CHECK(error_of(R"({"claim":{"doc":"a","sent":"0"},"support":{"doc":"a","sent":1}})") ==
        "field 'claim.sent': expected an integer, found a string");
  CHECK(error_of(R"({"claim":{"doc":"a","sent":0},"support":{"doc":"a","sent":0}})") ==
        "the two sides of the link are one sentence");
  CHECK(error_of(R"({"claim":{"doc":"a","sent":0},"support":{"doc":"a","sent":1},"stance":"neutral"})") ==
        R"(field 'stance': expected "support" or "attack", found "neutral")");
  CHECK(error_of(R"({"claim":{"doc":"a","sent":0},"support":{"doc":"a","sent":1},"scores":{"link":"high"}})") ==
        "field 'scores.link': expected a number, found a string");
  CHECK(
      error_of(R"({"doc":"a","sent":0,"text":"x"})") ==
      R"(a sentence record needs 'roles' (an array of "thesis", "claim", "support") or 'passed' (mlclassify's decisions))");
  CHECK(error_of(R"({"doc":["a"],"sent":0,"roles":["claim"]})") ==
        "field 'doc': expected a string (the document key), found an array");
  CHECK(error_of(R"({"doc":"a","sent":0,"roles":"claim"})") ==
        "field 'roles': expected an array of strings, found a string");
  CHECK(error_of(R"({"doc":"a","sent":0,"roles":["claim"],"scores":{"claim":true}})") ==
        "field 'scores.claim': expected a number, found a boolean");
  CHECK(error_of(R"({"doc":"a","sent":0,"passed":{"claim":1}})") ==
        "field 'passed.claim': expected true or false, found a number");
  CHECK(error_of(R"({"doc":"a","start":3,"roles":["claim"]})") ==
        "field 'end' is missing (a sentence's bytes need both 'start' and 'end')");
  CHECK(error_of(R"({"doc":"a","sent":0,"roles":["claim"],"text":5})") ==
        "field 'text': expected a string, found a number");
}

TEST_CASE("a record refused leaves the graph as it was") {
  // The claim side is fine, the support side lies past the end of its document: neither is added.
  ArgumentGraph g;
  g.add_document("d", "", "Short text.");
  ArgumentRecords reader({});
  JsonText bad(R"({"claim":{"doc":"d","sent":0,"start":0,"end":5},"support":{"doc":"d","sent":1,"start":6,"end":90}})",
               "test");
  CHECK_THROWS_AS(reader.add(bad.reader(), g), Error);
  CHECK(g.sentences().empty());
  CHECK(g.links().empty());
  JsonText same(R"({"claim":{"doc":"d","sent":0,"start":0,"end":5},"support":{"doc":"d","sent":0}})", "test");
  CHECK_THROWS_WITH_AS(reader.add(same.reader(), g), "the two sides of the link are one sentence", Error);
  CHECK(g.sentences().empty());
}
