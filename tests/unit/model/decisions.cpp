// What mltrain decides from cross-validation: Platt calibration, the best-F1 threshold,
// and folds that keep groups whole.
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/model/calibration.h"
#include "mlpipe/model/folds.h"
#include "mlpipe/model/threshold.h"

using namespace mlpipe;

TEST_CASE("Platt scaling on separable data rises with the decision value and stays finite") {
  std::vector<double> d{-3, -2, -1.5, -1, 1, 1.5, 2, 3};
  std::vector<bool> pos{false, false, false, false, true, true, true, true};
  PlattCalibration c = fit_platt(d, pos);
  CHECK(c.a < 0);
  CHECK(std::isfinite(c.a));
  CHECK(std::isfinite(c.b));
  CHECK(apply_platt(c, 3) > 0.8);
  CHECK(apply_platt(c, -3) < 0.2);
  CHECK(apply_platt(c, 0) == doctest::Approx(0.5).epsilon(0.05));  // symmetric data: b near 0
}

TEST_CASE("Platt scaling recovers the sigmoid that generated noisy labels") {
  // Labels drawn with P(positive | d) = 1 / (1 + exp(-2d + 0.5)).
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<double> d;
  std::vector<bool> pos;
  for (int i = 0; i < 20000; ++i) {
    double x = -3 + 6 * u(rng);
    d.push_back(x);
    pos.push_back(u(rng) < 1 / (1 + std::exp(-2 * x + 0.5)));
  }
  PlattCalibration c = fit_platt(d, pos);
  CHECK(c.a == doctest::Approx(-2).epsilon(0.08));
  CHECK(c.b == doctest::Approx(0.5).epsilon(0.2));
}

TEST_CASE("Platt scaling: no rows is an error, extreme values do not overflow") {
  CHECK_THROWS_AS(fit_platt({}, {}), Error);
  PlattCalibration c{-2, 0};
  CHECK(apply_platt(c, 1e6) == doctest::Approx(1));
  CHECK(apply_platt(c, -1e6) == doctest::Approx(0));
}

TEST_CASE("best-F1 threshold on a hand-made list") {
  // Sorted: 0.9+ 0.8+ 0.7- 0.6+ 0.4- 0.3+ 0.1-
  std::vector<double> s{0.1, 0.9, 0.4, 0.8, 0.3, 0.7, 0.6};
  std::vector<bool> p{false, true, false, true, true, false, true};
  // Cuts: top1 F1 2/5=.4; top2 .667; top3 (P 2/3 R 2/4) .571; top4 (3/4, 3/4) .75;
  // top5 (3/5, 3/4) .667; top6 (4/6, 1) .8; top7 (4/7, 1) .727. Best: top 6, T = 0.1.
  ChosenThreshold t = best_f1_threshold(s, p);
  CHECK(t.threshold == 0.1);
  CHECK(t.f1 == doctest::Approx(0.8));
  CHECK(t.recall == doctest::Approx(1));
}

TEST_CASE("best-F1 threshold: tied scores are cut together, every-row cut goes below the lowest") {
  std::vector<double> s{1, 1, 0};
  std::vector<bool> p{true, false, true};
  // Cut after the tie: P 1/2 R 1/2 F1 .5; all three: P 2/3 R 1 F1 .8.
  ChosenThreshold t = best_f1_threshold(s, p);
  CHECK(t.threshold < 0);
  CHECK(t.threshold > -1e-300);
  CHECK(t.f1 == doctest::Approx(0.8));
  CHECK_THROWS_AS(best_f1_threshold({1, 2}, {false, false}), Error);
}

TEST_CASE("best-F1 threshold: among equal F1 the highest threshold wins") {
  std::vector<double> s{3, 2, 1};
  std::vector<bool> p{true, false, false};
  ChosenThreshold t = best_f1_threshold(s, p);
  CHECK(t.threshold == 2);
  CHECK(t.f1 == doctest::Approx(1));
}

TEST_CASE("grouped folds keep groups whole, balance rows and are deterministic") {
  std::vector<std::string> g;
  const int sizes[] = {40, 5, 17, 30, 8, 12, 25, 3, 9, 21, 14, 6};
  for (int k = 0; k < 12; ++k)
    for (int i = 0; i < sizes[k]; ++i) g.push_back("\"m" + std::to_string(k) + "\"");
  // Interleave, so that groups are not contiguous in the input.
  std::mt19937_64 rng(3);
  for (std::size_t i = g.size(); i > 1; --i) std::swap(g[i - 1], g[std::size_t(rng() % i)]);
  std::vector<int> f = assign_group_folds(g, 5, 1);
  std::map<std::string, std::set<int>> folds_of;
  std::vector<int> load(5, 0);
  for (std::size_t r = 0; r < g.size(); ++r) {
    folds_of[g[r]].insert(f[r]);
    ++load[std::size_t(f[r])];
  }
  for (const auto& [name, folds] : folds_of) CHECK(folds.size() == 1);
  for (int l : load) {
    CHECK(l > 0);
    CHECK(l >= 32);  // 190 rows / 5 = 38; largest-first placement keeps each fold near it
    CHECK(l <= 44);
  }
  CHECK(assign_group_folds(g, 5, 1) == f);
  CHECK_THROWS_AS(assign_group_folds({"a", "b", "a"}, 3, 1), Error);
}
