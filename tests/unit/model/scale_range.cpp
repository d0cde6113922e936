// The svm-scale range file written beside a model with scaling: read back as svm-scale
// reads it, it must map every feature as Scaling::apply does.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/model/scale_range.h"
#include "mlpipe/model/scaling.h"
#include "mlpipe/model/train.h"

using namespace mlpipe;

namespace {

// svm-scale -r as libsvm 3.24 applies a range file to one row: every index from 1 to the
// largest of the file's and the row's, absent ones as 0; an index the file does not list,
// or lists with min == max, is left out; zeros are not written.
struct SvmScale {
  double lower = 0, upper = 0;
  std::map<int, std::pair<double, double>> range;
  bool y_section = false;

  explicit SvmScale(const std::string& text) {
    std::istringstream in(text);
    std::string head;
    in >> head;
    y_section = head == "y";
    REQUIRE(head == "x");
    in >> lower >> upper;
    int j;
    double lo, hi;
    while (in >> j >> lo >> hi) range[j] = {lo, hi};
  }

  std::map<int, double> apply(const SparseVector& x) const {
    int top = range.empty() ? 0 : range.rbegin()->first;
    if (!x.empty()) top = std::max(top, int(x.idx.back()));
    std::map<int, double> out;
    std::size_t k = 0;
    for (int j = 1; j <= top; ++j) {
      const bool present = k < x.size() && int(x.idx[k]) == j;
      double v = present ? double(x.val[k++]) : 0.0;
      auto r = range.find(j);
      if (r == range.end() || r->second.first == r->second.second) continue;
      const auto [lo, hi] = r->second;
      if (v == lo) v = lower;
      else if (v == hi) v = upper;
      else v = lower + (upper - lower) * (v - lo) / (hi - lo);
      if (v != 0) out[j] = v;
    }
    return out;
  }
};

std::map<int, double> as_map(const SparseVector& v) {
  std::map<int, double> m;
  for (std::size_t k = 0; k < v.size(); ++k)
    if (v.val[k] != 0) m[int(v.idx[k])] = v.val[k];
  return m;
}

// The same features, values within float rounding (Scaling::apply gives floats).
void check_same(const std::map<int, double>& theirs, const std::map<int, double>& ours) {
  REQUIRE(theirs.size() == ours.size());
  for (const auto& [j, v] : theirs) {
    REQUIRE(ours.count(j) == 1);
    CHECK(ours.at(j) == doctest::Approx(v).epsilon(1e-6));
  }
}

Dataset rows() {
  Dataset d;
  d.classification = false;
  // Feature 1 varies, 2 is mostly absent, 3 is constant 5, 4 never appears below 5.
  d.add_row(std::vector<std::uint32_t>{1, 3}, std::vector<double>{1000.5, 5.0}, 0);
  d.add_row(std::vector<std::uint32_t>{1, 2, 3}, std::vector<double>{1003.25, 0.75, 5.0}, 1);
  d.add_row(std::vector<std::uint32_t>{1, 3, 5}, std::vector<double>{999.0, 5.0, 2.0}, 2);
  return d;
}

std::vector<SparseVector> probes() {
  std::vector<SparseVector> v(5);
  v[0].push(1, 1000.5f);
  v[0].push(3, 5.0f);
  v[1].push(2, 0.75f);  // the others absent: zeros, scaled too
  v[2].push(1, 2000.0f);
  v[2].push(3, 7.0f);  // a constant feature at another value: x - 5
  v[2].push(4, 3.0f);
  v[2].push(6, -1.5f);  // beyond the scaling, within the dimension: as it is
  v[4].push(5, 2.0f);
  return v;  // v[3]: the empty row
}

}  // namespace

TEST_CASE("range file: svm-scale maps standard scaling as the model does, absent features included") {
  Dataset d = rows();
  Scaling s = fit_scaling(d, ScaleMethod::standard);
  std::string text = format_scale_range(s, 6);
  CHECK(text.rfind("x\n0 1\n", 0) == 0);
  SvmScale svm(text);
  CHECK_FALSE(svm.y_section);
  CHECK(svm.range.size() == 6);  // every index up to the dimension, none degenerate
  CHECK(svm.range.at(6) == std::pair<double, double>{0, 1});
  CHECK(svm.range.at(3) == std::pair<double, double>{5, 6});  // constant: x - 5
  for (const SparseVector& x : probes()) {
    SparseVector ours;
    s.apply(x, ours);
    check_same(svm.apply(x), as_map(ours));
  }
}

TEST_CASE("range file: min-max scaling keeps zeros of non-negative features absent on both sides") {
  Dataset d = rows();
  Scaling s = fit_scaling(d, ScaleMethod::minmax);
  SvmScale svm(format_scale_range(s, s.dimension()));
  CHECK(svm.range.size() == 5);
  // Feature 2's minimum is the zeros of the rows without it: 0 maps to 0, written by neither.
  CHECK(svm.range.at(2).first == 0);
  for (const SparseVector& x : probes()) {
    if (!x.empty() && x.idx.back() > 5) continue;  // beyond this file's dimension
    SparseVector ours;
    s.apply(x, ours);
    check_same(svm.apply(x), as_map(ours));
  }
}

TEST_CASE("range file: the map as written is the model's to far below float rounding") {
  Scaling s;
  s.method = ScaleMethod::standard;
  s.offset = {0, 1.6e9, -3.25, 0.1};
  s.factor = {1, 1 / 1e5, 7.0, 1 / 3.0};
  SvmScale svm(format_scale_range(s, 3));
  for (std::size_t j = 1; j <= 3; ++j) {
    const auto [lo, hi] = svm.range.at(int(j));
    CHECK(lo == s.offset[j]);  // written exactly
    CHECK(std::fabs((hi - lo) * s.factor[j] - 1) <= kRangeFactorTolerance);
  }
}

TEST_CASE("range file: refused when svm-scale could not apply the map") {
  Scaling none;
  CHECK_THROWS_AS(format_scale_range(none, 3), Error);
  Scaling s;
  s.method = ScaleMethod::standard;
  s.offset = {0, 1e15};  // a spread of 1/3 next to 1e15, whose doubles are 1/8 apart
  s.factor = {1, 3.0};
  CHECK_THROWS_WITH_AS(format_scale_range(s, 1), doctest::Contains("feature 1: its offset"), Error);
  s.offset = {0, 0};
  s.factor = {1, std::nan("")};
  CHECK_THROWS_WITH_AS(format_scale_range(s, 1), doctest::Contains("no map svm-scale can apply"), Error);
}
