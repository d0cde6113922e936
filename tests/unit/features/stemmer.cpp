#include "mlpipe/features/stemmer.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "mlpipe/core/error.h"

using namespace mlpipe;
using namespace mlpipe::features;

TEST_CASE("Snowball English stems") {
  Stemmer s("english");
  CHECK(s.enabled());
  CHECK(s.stem("running") == "run");
  CHECK(s.stem("cats") == "cat");
  CHECK(s.stem("generously") == "generous");
  CHECK(s.stem("taxation") == "taxat");
  CHECK(s.stem("") == "");
}

TEST_CASE("other languages, none, and unknown names") {
  Stemmer de("german");
  CHECK(de.stem("häuser") == "haus");
  Stemmer none("none");
  CHECK_FALSE(none.enabled());
  CHECK(none.stem("running") == "running");
  auto langs = stemmer_languages();
  CHECK(std::find(langs.begin(), langs.end(), "english") != langs.end());
  CHECK(std::find(langs.begin(), langs.end(), "porter") != langs.end());
  CHECK_THROWS_WITH_AS(Stemmer("klingon"), doctest::Contains("--stem: unknown language 'klingon'"), Error);
  // Aliases are refused so that a spec names each stemmer one way.
  CHECK_THROWS_AS(Stemmer("en"), Error);
  try {
    Stemmer bad("xx");
  } catch (const Error& e) {
    CHECK(e.is_usage());
  }
}

TEST_CASE("stemmers are independent objects") {
  Stemmer a("english"), b("english");
  std::string_view x = a.stem("connections");
  std::string first(x);
  b.stem("generalizations");
  CHECK(a.stem("connections") == first);
}
