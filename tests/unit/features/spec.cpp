#include "mlpipe/features/spec_file.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "mlpipe/core/error.h"
#include "mlpipe/features/spec_compare.h"

using namespace mlpipe;

namespace {
std::string parse_error(const std::string& json) {
  try {
    parse_spec(json, "s.json");
  } catch (const Error& e) {
    CHECK(e.file() == "s.json");
    return e.what();
  }
  return "no error";
}
const std::string kDefault =
    R"({"mlfeat_spec":1,"tokens":{"lowercase":"unicode","stop_words":"none","stem":"english","numbers":"normalize","ngrams":1,"char_ngrams":null},"vocabulary":{"type":"hashing","hash_bits":20},"weight":"tf","norm":"l2"})"
    "\n";
}  // namespace

TEST_CASE("the default spec, canonical") {
  FeatureSpec spec;
  CHECK(canonical_spec_json(spec) == kDefault);
  CHECK(canonical_spec_json(parse_spec(kDefault, "")) == kDefault);
  // Key order and spacing in the input do not matter; the canonical form is the same.
  std::string shuffled =
      R"({ "norm":"l2", "weight":"tf", "vocabulary":{"hash_bits":20,"type":"hashing"},
          "tokens":{"char_ngrams":null,"ngrams":1,"numbers":"normalize","stem":"english","stop_words":"none","lowercase":"unicode"},
          "mlfeat_spec":1 })";
  CHECK(canonical_spec_json(parse_spec(shuffled, "")) == kDefault);
}

TEST_CASE("every option round-trips") {
  FeatureSpec spec;
  spec.tokens.stop_words = "list";
  spec.tokens.stop_list = {"a", "the"};
  spec.tokens.stem = "german";
  spec.tokens.keep_numbers = true;
  spec.tokens.ngrams = 3;
  spec.tokens.char_min = 2;
  spec.tokens.char_max = 4;
  spec.hashing = false;
  spec.vocab = {"dir/v.tsv", "0123456789abcdef", 10, 5};
  spec.weight = Weight::tfidf;
  spec.l2 = false;
  std::string json = canonical_spec_json(spec);
  CHECK(
      json ==
      R"({"mlfeat_spec":1,"tokens":{"lowercase":"unicode","stop_words":["a","the"],"stem":"german","numbers":"keep","ngrams":3,"char_ngrams":[2,4]},"vocabulary":{"type":"fitted","file":"dir/v.tsv","digest":"0123456789abcdef","terms":10,"docs":5},"weight":"tfidf","norm":"none"})"
      "\n");
  FeatureSpec back = parse_spec(json, "");
  CHECK(canonical_spec_json(back) == json);
  CHECK(spec_mismatch(spec, back).empty());
  // A relative vocabulary path is relative to the spec's directory.
  CHECK(parse_spec(json, "models/features.json").vocab.file == "models/dir/v.tsv");
}

TEST_CASE("spec files: the vocabulary path is written relative to the spec") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "mlfeat-spec-test";
  fs::create_directories(dir / "m");
  FeatureSpec spec;
  spec.hashing = false;
  spec.weight = Weight::tfidf;
  spec.vocab = {(dir / "m" / "v.tsv").string(), "0123456789abcdef", 1, 1};
  std::string path = (dir / "m" / "spec.json").string();
  write_spec_file(path, spec);
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  CHECK(text.find(R"("file":"v.tsv")") != std::string::npos);
  FeatureSpec back = read_spec_file(path, local_files());
  CHECK(back.vocab.file == (dir / "m" / "v.tsv").string());
  fs::remove_all(dir);
}

TEST_CASE("mismatches are explained") {
  FeatureSpec a, b;
  CHECK(spec_mismatch(a, b).empty());
  b.tokens.stem = "none";
  CHECK(spec_mismatch(a, b) == "stem: english (expected) vs none (given)");
  b = a;
  b.hash_bits = 18;
  CHECK(spec_mismatch(a, b) == "hash_bits: 20 (expected) vs 18 (given)");
  b = a;
  b.hashing = false;
  CHECK(spec_mismatch(a, b) == "vocabulary: hashing (expected) vs fitted (given)");
  // The vocabulary is compared by digest, not by where the file is.
  FeatureSpec f1, f2;
  f1.hashing = f2.hashing = false;
  f1.vocab = {"a/v.tsv", "0123456789abcdef", 3, 2};
  f2.vocab = {"b/v.tsv", "0123456789abcdef", 3, 2};
  CHECK(spec_mismatch(f1, f2).empty());
  f2.vocab.digest = "fedcba9876543210";
  CHECK(spec_mismatch(f1, f2) == "vocabulary digest: 0123456789abcdef (expected) vs fedcba9876543210 (given)");
}

TEST_CASE("bad specs are refused with the key") {
  CHECK(parse_error("[1]") == "expected a JSON object (an mlfeat feature spec)");
  CHECK(parse_error("{").find("invalid JSON") == 0);
  CHECK(parse_error("{}") == "not an mlfeat feature spec (no key 'mlfeat_spec')");

  // The default spec with one piece replaced, and the error it gets.
  struct Row {
    std::string from, to, error;
  };
  const Row rows[] = {
      {R"("mlfeat_spec":1)", R"("mlfeat_spec":2)", "key 'mlfeat_spec': version 2 is not supported (expected 1)"},
      {R"("stem":"english")", R"("stem":"klingon")", "key 'tokens.stem': unknown stemmer 'klingon'"},
      {R"("ngrams":1)", R"("ngrams":0)", "key 'tokens.ngrams': expected an integer from 1 to 16"},
      {R"("hash_bits":20)", R"("hash_bits":32)", "key 'vocabulary.hash_bits': expected an integer from 1 to 31"},
      {R"("weight":"tf")", R"("weight":"tfidf")",
       R"(key 'weight': tfidf needs a fitted vocabulary (vocabulary.type "fitted"))"},
      {R"("norm":"l2")", R"("norm":"l1")", "key 'norm': 'l1' is not one of l2, none"},
      {R"("norm":"l2")", R"("norm":"l2","extra":1)",
       "unknown key 'extra' (expected mlfeat_spec, tokens, vocabulary, weight, norm)"},
      {R"("char_ngrams":null)", R"("char_ngrams":[3,2])", "key 'tokens.char_ngrams': expected an integer from 3 to 16"},
      {R"("stop_words":"none")", R"("stop_words":["b","a"])",
       "key 'tokens.stop_words': the words must be sorted and unique"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.to);
    std::string spec = kDefault;
    const auto at = spec.find(row.from);
    REQUIRE(at != std::string::npos);
    CHECK(parse_error(spec.replace(at, row.from.size(), row.to)) == row.error);
  }
}
