// The digest of a feature spec: its content counts, its text's shape and the vocabulary's
// path do not.
#include "mlpipe/core/spec_digest.h"

#include <doctest/doctest.h>

#include "mlpipe/core/error.h"

using mlpipe::feature_spec_digest;

namespace {

const char* kSpec =
    R"({"mlfeat_spec":1,"tokens":{"stem":"english","ngrams":2},"vocabulary":{"type":"fitted","file":"vocab.tsv",)"
    R"("digest":"31c8819b67166b45","terms":20000},"weight":"tfidf","groups":[{"name":"syntax","bits":16}]})";

}  // namespace

TEST_CASE("feature_spec_digest: 16 hex digits, the same for the same content") {
  const std::string d = feature_spec_digest(kSpec);
  CHECK(d.size() == 16);
  CHECK(d.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(feature_spec_digest(kSpec) == d);
  // White space and number spelling are not content.
  std::string spaced = R"({ "mlfeat_spec": 1.0, "tokens": {"stem": "english", "ngrams": 2}, "vocabulary": )"
                       R"({"type": "fitted", "file": "vocab.tsv", "digest": "31c8819b67166b45", "terms": 20000}, )"
                       R"("weight": "tfidf", "groups": [ {"name": "syntax", "bits": 16} ] })";
  CHECK(feature_spec_digest(spaced + "\n") == feature_spec_digest(std::string(kSpec)));
}

TEST_CASE("feature_spec_digest: the vocabulary's path does not count, its digest does") {
  std::string moved = kSpec;
  moved.replace(moved.find("vocab.tsv"), 9, "/srv/models/v.tsv");
  CHECK(feature_spec_digest(moved) == feature_spec_digest(kSpec));
  std::string other = kSpec;
  other.replace(other.find("31c8819b"), 8, "41c8819b");
  CHECK(feature_spec_digest(other) != feature_spec_digest(kSpec));
}

TEST_CASE("feature_spec_digest: every option counts, and a 'file' elsewhere too") {
  for (const auto& change : {std::pair{"\"ngrams\":2", "\"ngrams\":1"}, std::pair{"\"bits\":16", "\"bits\":15"},
                              std::pair{"tfidf", "tf"}, std::pair{"\"groups\":[{", "\"groups\":[{\"file\":\"x\","}}) {
    std::string changed = kSpec;
    changed.replace(changed.find(change.first), std::string(change.first).size(), change.second);
    CHECK_MESSAGE(feature_spec_digest(changed) != feature_spec_digest(kSpec), change.second);
  }
}

TEST_CASE("feature_spec_digest: not JSON is an error") {
  CHECK_THROWS_AS(feature_spec_digest("{\"mlfeat_spec\":"), mlpipe::Error);
}
