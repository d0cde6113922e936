#include "mlpipe/features/weighting.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

#include "mlpipe/features/vocabulary.h"

using namespace mlpipe;
using namespace mlpipe::features;

namespace {
SparseVector weighed(std::vector<std::uint32_t> idx, Weight w, bool l2, const Vocabulary* v = nullptr) {
  SparseVector out;
  weigh(idx, w, v, l2, out);
  return out;
}
}  // namespace

TEST_CASE("counts become weights, indices strictly increasing") {
  auto tf = weighed({5, 2, 5, 9, 5}, Weight::tf, false);
  CHECK(tf.idx == std::vector<std::uint32_t>{2, 5, 9});
  CHECK(tf.val == std::vector<float>{1, 3, 1});
  CHECK(weighed({5, 2, 5}, Weight::binary, false).val == std::vector<float>{1, 1});
  auto sub = weighed({5, 2, 5, 5}, Weight::sublinear, false);
  CHECK(sub.val[0] == doctest::Approx(1.0));
  CHECK(sub.val[1] == doctest::Approx(1 + std::log(3.0)));
  CHECK(weighed({}, Weight::tf, true).empty());
}

TEST_CASE("l2 normalisation") {
  auto v = weighed({1, 2, 2}, Weight::tf, true);
  CHECK(v.val[0] == doctest::Approx(1 / std::sqrt(5.0)));
  CHECK(v.val[1] == doctest::Approx(2 / std::sqrt(5.0)));
  CHECK(norm(v) == doctest::Approx(1.0));
}

TEST_CASE("tf-idf uses the vocabulary's IDF") {
  Vocabulary voc({{"a", 3, 1.0}, {"b", 1, 2.5}}, 3, TokenSpec{}, 1, 0);
  auto v = weighed({2, 1, 2}, Weight::tfidf, false, &voc);
  CHECK(v.val == std::vector<float>{1.0f, 5.0f});
}

TEST_CASE("the index sort agrees with std::sort on any input") {
  std::mt19937 rng(7);
  std::vector<std::uint32_t> scratch;
  for (std::uint32_t max : {1u, 7u, 1000u, 1u << 20, 0xFFFFFFFFu}) {
    for (std::size_t n : {0, 1, 2, 3, 17, 60, 500, 3000}) {
      for (int skew = 0; skew < 2; ++skew) {
        std::vector<std::uint32_t> idx(n);
        for (auto& x : idx) {
          x = 1 + std::uint32_t(rng() % max);
          if (skew && (rng() & 1)) x = std::min<std::uint32_t>(max, 3);  // many repeats
        }
        std::vector<std::uint32_t> want = idx;
        std::sort(want.begin(), want.end());
        SparseVector got, ref;
        weigh(idx, Weight::tf, nullptr, false, got, max, scratch);
        std::vector<std::uint32_t> w2 = want;
        weigh(w2, Weight::tf, nullptr, false, ref);
        CAPTURE(max);
        CAPTURE(n);
        CHECK(got.idx == ref.idx);
        CHECK(got.val == ref.val);
        CHECK(std::adjacent_find(got.idx.begin(), got.idx.end(), std::greater_equal<>()) == got.idx.end());
      }
    }
  }
}

TEST_CASE("vectors as JSON and libsvm text") {
  VectorWriter w;
  SparseVector v;
  v.push(3, 0.5f);
  v.push(10, 2.0f);
  v.push(11, 0.1f);
  v.push(12, 0.5f);
  std::string json, svm;
  w.json(json, v);
  CHECK(json == R"({"idx":[3,10,11,12],"val":[0.5,2,0.1,0.5]})");
  w.libsvm(svm, v);
  CHECK(svm == " 3:0.5 10:2 11:0.1 12:0.5");
  json.clear();
  w.json(json, SparseVector{});
  CHECK(json == R"({"idx":[],"val":[]})");
}
