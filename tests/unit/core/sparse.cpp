#include <doctest/doctest.h>

#include <cmath>

#include "mlpipe/core/sparse.h"

using namespace mlpipe;

namespace {
SparseVector vec(std::initializer_list<std::pair<std::uint32_t, float>> entries) {
  SparseVector v;
  for (auto [i, x] : entries) v.push(i, x);
  return v;
}
}  // namespace

TEST_CASE("overlap: dot product and shared indices in one pass") {
  SparseVector a = vec({{1, 2}, {3, 1}, {7, 4}, {9, 0.5f}});
  SparseVector b = vec({{2, 5}, {3, 3}, {7, -1}, {10, 8}});
  Overlap o = overlap(a, b);
  CHECK(o.dot == doctest::Approx(3 - 4));
  CHECK(o.shared == 2);
  CHECK(dot(a, b) == o.dot);
  CHECK(overlap(a, SparseVector{}).shared == 0);
  CHECK(overlap(a, a).shared == 4);
  CHECK(overlap(a, a).dot == doctest::Approx(4 + 1 + 16 + 0.25));
}

TEST_CASE("norm and l2_normalize") {
  SparseVector a = vec({{1, 3}, {4, 4}});
  CHECK(norm(a) == doctest::Approx(5));
  l2_normalize(a);
  CHECK(norm(a) == doctest::Approx(1));
  SparseVector zero = vec({{2, 0}});
  l2_normalize(zero);
  CHECK(zero.val[0] == 0);
}
