#include <doctest/doctest.h>

#include <string>

#include "mlpipe/core/error.h"
#include "show_test_util.h"

using namespace mlpipe;
using namespace mlpipe::show;
using mlpipe::show::test::add_records;
using mlpipe::show::test::graph_of;

namespace {

std::vector<std::string> texts(const ArgumentGraph& g) {
  std::vector<std::string> out;
  for (const Sentence& s : g.sentences()) out.push_back(s.text);
  return out;
}

}  // namespace

TEST_CASE("sentences are numbered by document, then by position, whatever their arrival") {
  ArgumentGraph g = graph_of({
      R"({"doc":"b","sent":0,"start":0,"end":2,"text":"B0","roles":["claim"]})",
      R"({"doc":"a","sent":5,"start":50,"end":52,"text":"A5","roles":["support"]})",
      R"({"doc":"a","sent":1,"start":10,"end":12,"text":"A1","roles":["claim"]})",
      R"({"doc":"b","sent":2,"start":20,"end":22,"text":"B2","roles":["support"]})",
  });
  // Documents in order of first appearance; sentences by offset within each.
  REQUIRE(g.documents().size() == 2);
  CHECK(g.documents()[0].key == "b");
  CHECK(g.documents()[1].key == "a");
  CHECK(texts(g) == std::vector<std::string>{"B0", "B2", "A1", "A5"});
  CHECK(g.documents()[0].sentences == std::vector<std::size_t>{0, 1});
  CHECK(g.documents()[1].sentences == std::vector<std::size_t>{2, 3});
  CHECK(g.sentences()[2].doc == 1);
}

TEST_CASE("documents given whole come first, in the order given") {
  ArgumentGraph g;
  g.add_document("x.txt", "", "One. Two.");
  g.add_document("y.txt", "Why", "Three.");
  add_records(g, {R"({"doc":"z.txt","sent":0,"text":"Z","roles":["claim"]})",
                  R"({"doc":"y.txt","sent":0,"start":0,"end":6,"roles":["claim"]})"});
  g.finish();
  REQUIRE(g.documents().size() == 3);
  CHECK(g.documents()[0].key == "x.txt");
  CHECK(g.documents()[0].title == "x.txt");  // no title: the key
  CHECK(g.documents()[1].title == "Why");
  CHECK(g.documents()[2].key == "z.txt");
  CHECK_FALSE(g.documents()[2].text.has_value());
  // A sentence without text takes its bytes from the document.
  CHECK(g.sentences()[0].text == "Three.");
  CHECK_THROWS_AS(g.add_document("x.txt", "", ""), Error);
}

TEST_CASE("a link's sides are merged with the sentence records of the same sentence") {
  ArgumentGraph g = graph_of({
      R"({"key":"d","claim":{"doc":"d","sent":1,"start":10,"end":20,"text":"C","scores":{"claim":0.9}},)"
      R"("support":{"doc":"d","sent":3,"start":30,"end":40,"text":"S","scores":{"support":0.7}},"scores":{"link":0.5}})",
      R"({"doc":"d","sent":1,"start":10,"end":20,"text":"C","scores":{"claim":0.9,"thesis":0.8},"roles":["thesis","claim"]})",
      // The same support named by its index only (no span): still the same sentence.
      R"({"doc":"d","sent":3,"text":"S","scores":{"claim":0.2},"roles":["support","claim"]})",
  });
  REQUIRE(g.sentences().size() == 2);
  const Sentence& claim = g.sentences()[0];
  const Sentence& support = g.sentences()[1];
  CHECK(claim.roles == (kThesis | kClaim));
  CHECK(claim.score("thesis") == 0.8);
  CHECK(claim.score("claim") == 0.9);
  CHECK(support.roles == (kSupport | kClaim));
  CHECK(support.score("support") == 0.7);
  CHECK(support.score("claim") == 0.2);
  CHECK(support.start == 30);
  REQUIRE(g.links().size() == 1);
  CHECK(g.links()[0].support == 1);
  CHECK(g.links()[0].claim == 0);
  CHECK(claim.links == std::vector<std::size_t>{0});
}

TEST_CASE("sentences with different spans are different, even with one index") {
  ArgumentGraph g = graph_of({
      R"({"doc":"d","sent":1,"start":0,"end":5,"text":"first","roles":["claim"]})",
      R"({"doc":"d","sent":1,"start":6,"end":9,"text":"two","roles":["claim"]})",
  });
  CHECK(g.sentences().size() == 2);
}

TEST_CASE("a second link between the same sentences is ignored") {
  ArgumentGraph g = graph_of({
      R"({"claim":{"doc":"d","sent":0,"text":"C"},"support":{"doc":"d","sent":1,"text":"S"},"scores":{"link":0.3}})",
      R"({"claim":{"doc":"d","sent":0,"text":"C"},"support":{"doc":"d","sent":1,"text":"S"},"scores":{"link":0.9},"stance":"attack"})",
  });
  REQUIRE(g.links().size() == 1);
  CHECK(g.links()[0].score == 0.3);
  CHECK_FALSE(g.links()[0].attack);
}

TEST_CASE("claims: theses first; links by claim, then strongest first") {
  ArgumentGraph g = graph_of({
      R"({"claim":{"doc":"d","sent":2,"text":"C2"},"support":{"doc":"d","sent":5,"text":"S5"},"scores":{"link":0.2}})",
      R"({"claim":{"doc":"d","sent":2,"text":"C2"},"support":{"doc":"d","sent":4,"text":"S4"},"scores":{"link":0.8}})",
      R"({"claim":{"doc":"d","sent":2,"text":"C2"},"support":{"doc":"d","sent":3,"text":"S3"}})",
      R"({"claim":{"doc":"d","sent":7,"text":"T7"},"support":{"doc":"d","sent":6,"text":"S6"},"scores":{"link":0.1},"stance":"attack"})",
      R"({"doc":"d","sent":7,"text":"T7","roles":["thesis"]})",
      R"({"doc":"d","sent":0,"text":"C0","roles":["claim"]})",
  });
  CHECK(texts(g) == std::vector<std::string>{"C0", "C2", "S3", "S4", "S5", "S6", "T7"});
  const Document& d = g.documents()[0];
  CHECK(d.claims == std::vector<std::size_t>{6, 0, 1});  // T7 (thesis), C0, C2
  REQUIRE(g.links().size() == 4);
  // The thesis's link first; then C2's: 0.8, 0.2, and the one without a score last.
  CHECK(g.links()[0].claim == 6);
  CHECK(g.links()[0].attack);
  CHECK(g.sentences()[g.links()[1].support].text == "S4");
  CHECK(g.sentences()[g.links()[2].support].text == "S5");
  CHECK(g.sentences()[g.links()[3].support].text == "S3");
  CHECK(g.sentences()[1].links == std::vector<std::size_t>{1, 2, 3});
}

TEST_CASE("the same records in another order give the same graph") {
  const char* a = R"({"doc":"d","sent":1,"start":5,"end":9,"text":"C","roles":["claim"],"scores":{"claim":0.5}})";
  const char* b =
      R"({"claim":{"doc":"d","sent":1,"start":5,"end":9,"text":"C"},"support":{"doc":"d","sent":3,"start":20,"end":24,"text":"S"},"scores":{"link":0.4}})";
  const char* c = R"({"doc":"d","sent":3,"start":20,"end":24,"text":"S","roles":["support"]})";
  ArgumentGraph g1 = graph_of({a, b, c});
  ArgumentGraph g2 = graph_of({c, b, a});
  CHECK(texts(g1) == texts(g2));
  REQUIRE(g1.links().size() == 1);
  CHECK(g1.links()[0].support == g2.links()[0].support);
  CHECK(g1.links()[0].claim == g2.links()[0].claim);
}

TEST_CASE("a sentence must agree with the document it is in") {
  ArgumentGraph g;
  g.add_document("d", "", "\xEF\xBB\xBFHello there. Bye.");
  // The byte order mark counts: "Hello there." is bytes 3..15.
  CHECK_NOTHROW(add_records(g, {R"({"doc":"d","sent":0,"start":3,"end":15,"text":"Hello there.","roles":["claim"]})"}));
  CHECK_THROWS_WITH_AS(add_records(g, {R"({"doc":"d","sent":1,"start":16,"end":25,"text":"Bye.","roles":["claim"]})"}),
                       doctest::Contains("past the end of document 'd'"), Error);
  CHECK_THROWS_WITH_AS(add_records(g, {R"({"doc":"d","sent":1,"start":15,"end":20,"text":"Bye.","roles":["claim"]})"}),
                       doctest::Contains("field 'text' is not bytes 15..20 of document 'd'"), Error);
  CHECK_THROWS_WITH_AS(add_records(g, {R"({"doc":"d","sent":1,"start":9,"end":3,"roles":["claim"]})"}),
                       doctest::Contains("expected 0 <= start <= end"), Error);
}

TEST_CASE("a sentence needs a span or an index") {
  ArgumentGraph g;
  CHECK_THROWS_WITH_AS(add_records(g, {R"({"doc":"d","text":"x","roles":["claim"]})"}),
                       doctest::Contains("needs 'start' and 'end' (its bytes), or 'sent'"), Error);
}

TEST_CASE("sentences without text get a stand-in") {
  ArgumentGraph g =
      graph_of({R"({"doc":"d","sent":4,"roles":["claim"]})", R"({"doc":"d","start":7,"end":9,"roles":["support"]})"});
  CHECK(texts(g) == std::vector<std::string>{"[bytes 7..9]", "[sentence 4]"});
}
