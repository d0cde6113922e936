#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "mlpipe/core/error.h"
#include "mlpipe/pairs/pair_features.h"

using namespace mlpipe;

namespace {

PairSide side(std::vector<std::uint32_t> idx, std::vector<float> val, std::string doc, std::int64_t para,
              std::int64_t sent, std::vector<double> scores) {
  PairSide s;
  s.features.idx = std::move(idx);
  s.features.val = std::move(val);
  s.norm = norm_upto(s.features, UINT32_MAX, &s.similar);
  s.doc = std::move(doc);
  s.para = para;
  s.sent = sent;
  s.has_para = s.has_sent = true;
  s.scores = std::move(scores);
  return s;
}

}  // namespace

TEST_CASE("pair-only features: similarity, shared features, locality, order, scores") {
  PairSpec spec;
  spec.dim = 16;
  PairSide l = side({1, 3, 5}, {1, 1, 1}, "\"d\"", 0, 2, {1.5, -0.5});
  PairSide r = side({3, 5, 8, 9}, {1, 1, 1, 1}, "\"d\"", 0, 5, {-1, 2});
  PairOnly p;
  compute_pair_only(spec, l, r, p);
  REQUIRE(p.values.size() == spec.pair_count());
  REQUIRE(spec.pair_count() == 13);
  CHECK(p.shared == 2);
  CHECK(p.values[0] == doctest::Approx(2.0 / (std::sqrt(3.0) * 2.0)));  // cosine
  CHECK(p.values[1] == doctest::Approx(std::log(3.0)));                  // log1p(shared)
  CHECK(p.values[2] == doctest::Approx(2.0 / 5.0));                      // jaccard
  CHECK(p.values[3] == 1);                                               // same doc
  CHECK(p.values[4] == doctest::Approx(1.0 / 4.0));                      // 1/(1+3)
  CHECK(p.values[5] == doctest::Approx(std::log(4.0)));
  CHECK(p.values[6] == 0);   // not adjacent
  CHECK(p.values[7] == 1);   // left (sent 2) before right (sent 5)
  CHECK(p.values[8] == 1);   // same paragraph
  CHECK(p.values[9] == 1.5);
  CHECK(p.values[10] == -0.5);
  CHECK(p.values[11] == -1);
  CHECK(p.values[12] == 2);

  // Swapped order, another paragraph, another document.
  r.sent = 1;
  r.para = 1;
  compute_pair_only(spec, l, r, p);
  CHECK(p.values[6] == 1);
  CHECK(p.values[7] == -1);
  CHECK(p.values[8] == 0);
  r.doc = "\"e\"";
  compute_pair_only(spec, l, r, p);
  CHECK_FALSE(p.has_distance);
  CHECK(p.values[3] == 0);
  CHECK(p.values[4] == 0);
  CHECK(p.values[7] == 0);
  CHECK(p.values[8] == 0);

  // Empty vectors: no division by zero.
  PairSide empty = side({}, {}, "", 0, 0, {0, 0});
  compute_pair_only(spec, empty, empty, p);
  CHECK(p.values[0] == 0);
  CHECK(p.values[2] == 0);
}

TEST_CASE("the pair vector: left in [1,D], right in [D+1,2D], pair features after 2D") {
  PairSpec spec;
  spec.dim = 10;
  spec.side_scores = {"claim"};
  PairSide l = side({2, 10}, {0.5f, 0.25f}, "\"d\"", 0, 0, {3});
  PairSide r = side({1}, {1}, "\"d\"", 0, 1, {0});
  PairOnly p;
  compute_pair_only(spec, l, r, p);
  SparseVector v;
  assemble_pair_vector(spec, l, r, p, v);
  REQUIRE(v.idx.size() >= 3);
  CHECK(v.idx[0] == 2);
  CHECK(v.idx[1] == 10);
  CHECK(v.idx[2] == 11);  // right index 1 -> D + 1
  for (std::size_t i = 1; i < v.idx.size(); ++i) CHECK(v.idx[i] > v.idx[i - 1]);
  CHECK(v.idx.back() <= spec.max_index());
  CHECK(spec.max_index() == 20 + 9 + 2);
  // left.claim = 3 is pair feature 9 (0-based): index 2D + 1 + 9.
  bool found = false;
  for (std::size_t i = 0; i < v.idx.size(); ++i)
    if (v.idx[i] == 30) found = v.val[i] == 3;
  CHECK(found);
}

TEST_CASE("pair spec: canonical JSON, round trip, and checks") {
  PairSpec spec;
  spec.dim = 16;
  std::string json = canonical_pair_spec_json(spec);
  CHECK(json ==
        "{\"mllink_pairs\":1,\"dim\":16,\"side_scores\":[\"claim\",\"support\"],\"layout\":{\"left\":[1,16],"
        "\"right\":[17,32],\"pair\":[33,45]},\"pair_features\":[\"cosine\",\"shared_log1p\",\"jaccard\",\"same_doc\","
        "\"distance_inverse\",\"distance_log1p\",\"adjacent\",\"order\",\"same_para\",\"left.claim\","
        "\"left.support\",\"right.claim\",\"right.support\"],\"features\":null}\n");
  CHECK(is_pair_spec(json));
  PairSpec back = parse_pair_spec(json, "s.json");
  CHECK(canonical_pair_spec_json(back) == json);

  spec.side_scores = {};
  spec.features = R"({"vocabulary":{"type":"hashing","hash_bits":4}})";
  json = canonical_pair_spec_json(spec);
  CHECK(canonical_pair_spec_json(parse_pair_spec(json, "s.json")) == json);

  CHECK_THROWS_WITH_AS(parse_pair_spec("{\"dim\":3}", "s.json"), doctest::Contains("not a pair spec"), Error);
  CHECK_THROWS_WITH_AS(parse_pair_spec("{\"mllink_pairs\":2}", "s.json"), doctest::Contains("version 2"), Error);
  CHECK_THROWS_AS(parse_pair_spec("{\"mllink_pairs\":1,", "s.json"), Error);
  std::string other = canonical_pair_spec_json(PairSpec{});
  other.replace(other.find("cosine"), 6, "cosino");
  CHECK_THROWS_WITH_AS(parse_pair_spec(other, "s.json"), doctest::Contains("position 0"), Error);
}

TEST_CASE("side dimension from mlfeat's spec") {
  std::string canonical;
  CHECK(dim_of_feature_spec(R"({"mlfeat_spec":1, "vocabulary":{"type":"hashing","hash_bits":18}})", "f.json",
                            canonical) == (1u << 18));
  CHECK(canonical == R"({"mlfeat_spec":1,"vocabulary":{"type":"hashing","hash_bits":18}})");
  CHECK(dim_of_feature_spec(R"({"vocabulary":{"type":"fitted","file":"v.tsv","terms":5000}})", "f.json", canonical) ==
        5000);
  CHECK_THROWS_AS(dim_of_feature_spec(R"({"vocabulary":{"type":"hashing","hash_bits":40}})", "f.json", canonical),
                  Error);
  CHECK_THROWS_AS(dim_of_feature_spec(R"({"tokens":{}})", "f.json", canonical), Error);
}

TEST_CASE("similarity over the word block only, when the spec has feature groups") {
  PairSpec spec;
  spec.similarity_limit = 4;  // indices 5 and up are a group's (dense cues every side shares)
  PairSide l = side({1, 3, 5, 6}, {1, 1, 1, 1}, "\"d\"", 0, 2, {0, 0});
  PairSide r = side({2, 5, 6}, {1, 1, 1}, "\"d\"", 0, 5, {0, 0});
  l.norm = norm_upto(l.features, spec.similarity_limit, &l.similar);
  r.norm = norm_upto(r.features, spec.similarity_limit, &r.similar);
  CHECK(l.similar == 2);
  CHECK(r.similar == 1);
  PairOnly p;
  compute_pair_only(spec, l, r, p);
  CHECK(p.shared == 0);
  CHECK(p.values[0] == 0.0);  // cosine: the words share nothing
  CHECK(p.values[2] == 0.0);  // jaccard
  spec.similarity_limit = UINT32_MAX;
  l.norm = norm_upto(l.features, spec.similarity_limit, &l.similar);
  r.norm = norm_upto(r.features, spec.similarity_limit, &r.similar);
  compute_pair_only(spec, l, r, p);
  CHECK(p.shared == 2);
  CHECK(p.values[0] == doctest::Approx(2.0 / (2.0 * std::sqrt(3.0))));
  CHECK(p.values[2] == doctest::Approx(2.0 / 5.0));
}

TEST_CASE("a feature spec with groups: the side dimension counts them, similarity reads the words") {
  const std::string with_groups =
      R"({"mlfeat_spec":1,"tokens":{"lowercase":"unicode","stop_words":"none","stem":"english","numbers":"normalize","ngrams":1,"char_ngrams":null},)"
      R"("vocabulary":{"type":"hashing","hash_bits":10},"weight":"tf","norm":"l2",)"
      R"("groups":[{"name":"shape"},{"name":"syntax","pos":3,"tree":0,"bits":8}],"topic_field":"topic"})";
  std::string canonical;
  const std::uint32_t dim = dim_of_feature_spec(with_groups, "f.json", canonical);
  CHECK(dim > 1024 + 256);  // the words, the shape block, the 2^8 syntax buckets
  CHECK(dim < 1024 + 256 + 100);
  CHECK(similarity_limit_of(canonical, "f.json") == 1024);
  // Without groups the whole side is compared, as before.
  CHECK(similarity_limit_of(R"({"mlfeat_spec":1,"vocabulary":{"type":"hashing","hash_bits":10}})", "f.json") ==
        UINT32_MAX);
  CHECK(similarity_limit_of("", "f.json") == UINT32_MAX);
}

TEST_CASE("crossed pair features: the sides' scores multiplied, logits, distance buckets") {
  PairSpec spec;
  spec.crossed = true;
  CHECK(spec.pair_count() == kPairFeatureNames.size() + 4 + kCrossedFeatureNames.size());
  const auto names = spec.pair_feature_names();
  CHECK(names[kPairFeatureNames.size() + 4] == "x.product");
  PairSide l = side({1}, {1}, "\"d\"", 0, 2, {0.8, 0.1});
  PairSide r = side({1}, {1}, "\"d\"", 0, 4, {0.2, 0.5});
  PairOnly p;
  compute_pair_only(spec, l, r, p);
  const double* x = p.values.data() + kPairFeatureNames.size() + 4;
  CHECK(x[0] == doctest::Approx(0.4));  // left's claim x right's evidence
  CHECK(x[1] == doctest::Approx(std::sqrt(0.4)));
  CHECK(x[2] == doctest::Approx(std::log(0.8 / 0.2)));
  CHECK(x[3] == doctest::Approx(0.0));
  CHECK(x[4] == doctest::Approx(std::log(4.0)));
  CHECK(x[5 + 2] == 1.0);                 // distance 2: the "<=3" bucket
  CHECK(x[11 + 2] == doctest::Approx(0.4));
  CHECK(x[5] + x[6] + x[8] + x[9] + x[10] == 0.0);
  CHECK(x[17] == doctest::Approx(0.4));   // same paragraph
  CHECK(x[18] == doctest::Approx(0.4));   // cosine 1
  // Scores outside [0, 1] (decision values) are clamped, never NaN.
  PairSide big = side({1}, {1}, "\"e\"", 0, 0, {3.5, -2});
  PairSide other = side({1}, {1}, "\"f\"", 0, 0, {3.5, -2});
  compute_pair_only(spec, big, other, p);
  x = p.values.data() + kPairFeatureNames.size() + 4;
  CHECK(x[0] == 0.0);
  CHECK(std::isfinite(x[2]));
  CHECK(x[5] + x[6] + x[7] + x[8] + x[9] + x[10] == 0.0);  // another document: no distance
  // The spec round-trips with its "crossed" key; specs without it read as before.
  PairSpec back = parse_pair_spec(canonical_pair_spec_json(spec), "s.json");
  CHECK(back.crossed);
  CHECK(canonical_pair_spec_json(back) == canonical_pair_spec_json(spec));
  PairSpec plain;
  CHECK(canonical_pair_spec_json(plain).find("crossed") == std::string::npos);
  spec.side_scores = {"claim"};
  CHECK_THROWS_WITH_AS(parse_pair_spec(canonical_pair_spec_json(spec), "s.json"),
                       doctest::Contains("\"crossed\" needs two side scores"), Error);
}

TEST_CASE("a pair-only layout round-trips; without the key a spec is not pair-only") {
  PairSpec spec;
  spec.pair_only = true;
  const std::string json = canonical_pair_spec_json(spec);
  CHECK(json.find("\"pair_only\":true") != std::string::npos);
  CHECK(parse_pair_spec(json, "s.json").pair_only);
  CHECK_FALSE(parse_pair_spec(canonical_pair_spec_json(PairSpec{}), "s.json").pair_only);
}

TEST_CASE("long-document pair features: set for a long or unknown document, crossed with locality and scores") {
  PairSpec spec;
  spec.crossed = true;
  spec.long_docs = 40;
  const std::size_t base = kPairFeatureNames.size() + 4 + kCrossedFeatureNames.size();
  CHECK(spec.pair_count() == base + kLongDocFeatureNames.size());
  CHECK(spec.pair_feature_names()[base] == "long.doc");
  PairSide l = side({1}, {1}, "\"d\"", 0, 2, {0.8, 0.1});
  PairSide r = side({1}, {1}, "\"d\"", 0, 3, {0.2, 0.5});
  PairOnly p;
  // A short document: nothing.
  l.doc_sents = r.doc_sents = 12;
  compute_pair_only(spec, l, r, p);
  for (std::size_t k = base; k < p.values.size(); ++k) CHECK(p.values[k] == 0.0);
  // A long one, and one of unknown length: the indicator and its crossings.
  for (std::int64_t n : {std::int64_t(300), std::int64_t(-1)}) {
    l.doc_sents = r.doc_sents = n;
    compute_pair_only(spec, l, r, p);
    const double* x = p.values.data() + base;
    CHECK(x[0] == 1.0);
    CHECK(x[1] == doctest::Approx(0.5));  // distance 1
    CHECK(x[2] == 1.0);                   // same paragraph
    CHECK(x[3] == doctest::Approx(0.4));
    CHECK(x[4] == doctest::Approx(std::log(4.0)));
    CHECK(x[5] == doctest::Approx(0.8));
    CHECK(x[6] == doctest::Approx(0.5));
  }
  // The spec says so, and round-trips; a bad value is refused.
  const std::string json = canonical_pair_spec_json(spec);
  CHECK(json.find("\"long_docs\":40") != std::string::npos);
  CHECK(parse_pair_spec(json, "s.json").long_docs == 40);
  std::string bad = json;
  bad.replace(bad.find("\"long_docs\":40"), 14, "\"long_docs\":-4");
  CHECK_THROWS_WITH_AS(parse_pair_spec(bad, "s.json"), doctest::Contains("\"long_docs\" must be a whole number"), Error);
}
