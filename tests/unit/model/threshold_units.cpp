// A sidecar's decision threshold in the units a program writes its scores in, and those
// scores: each unit and facing, the defaults, and that "score > threshold" decides as
// "decision > threshold" does.
#include <doctest/doctest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "mlpipe/model/calibration.h"
#include "mlpipe/model/threshold_units.h"

using namespace mlpipe;

namespace {

const PlattCalibration kRising{-2.0, 0.25};  // P(first class) rises with the decision value

struct ThresholdCase {
  std::string units;
  ScoreUnits scale;
  std::optional<double> decision_threshold;
  double expected;
};

}  // namespace

TEST_CASE("a sidecar's threshold in each unit, and the default without one") {
  const std::vector<ThresholdCase> cases{
      {"decision", ScoreUnits::decision(), std::nullopt, 0.0},
      {"decision", ScoreUnits::decision(), 0.3, 0.3},
      {"decision facing the second class", ScoreUnits::decision(Facing::second_class), std::nullopt, 0.0},
      {"decision facing the second class", ScoreUnits::decision(Facing::second_class), 0.3, -0.3},
      {"calibrated", ScoreUnits::calibrated(kRising), std::nullopt, 0.5},
      {"calibrated", ScoreUnits::calibrated(kRising), 0.3, apply_platt(kRising, 0.3)},
      {"calibrated facing the second class", ScoreUnits::calibrated(kRising, Facing::second_class), std::nullopt, 0.5},
      {"calibrated facing the second class", ScoreUnits::calibrated(kRising, Facing::second_class), 0.3,
       1 - apply_platt(kRising, 0.3)},
      {"libsvm probability", ScoreUnits::libsvm_probability(kRising), std::nullopt, 0.5},
      {"libsvm probability", ScoreUnits::libsvm_probability(kRising), 0.3, apply_platt(kRising, 0.3)},
      {"libsvm probability, clamped", ScoreUnits::libsvm_probability(kRising), 100.0, 1 - 1e-7},
      {"libsvm probability, clamped", ScoreUnits::libsvm_probability(kRising), -100.0, 1e-7},
      {"libsvm probability of a falling sigmoid", ScoreUnits::libsvm_probability({2.0, 0}), 0.3, 0.5},
      {"tree probability", ScoreUnits::tree_probability(), std::nullopt, 0.5},
      {"tree probability", ScoreUnits::tree_probability(), 0.0, 0.5},
      {"tree probability", ScoreUnits::tree_probability(), 2.0, 1 / (1 + std::exp(-2.0))},
  };
  for (const ThresholdCase& c : cases) {
    CAPTURE(c.units);
    CAPTURE(c.decision_threshold.value_or(-999));
    CHECK(c.scale.threshold(c.decision_threshold) == c.expected);
  }
}

TEST_CASE("scores face their class: the first class's decision value turned, its probability's complement") {
  const ScoreUnits first = ScoreUnits::decision(), second = ScoreUnits::decision(Facing::second_class);
  CHECK(first.sign() == 1);
  CHECK(second.sign() == -1);
  CHECK(first.score(1.5) == 1.5);
  CHECK(second.score(1.5) == -1.5);
  CHECK(second.score_faced(-1.5) == -1.5);

  const ScoreUnits p1 = ScoreUnits::calibrated(kRising), p2 = ScoreUnits::calibrated(kRising, Facing::second_class);
  CHECK(p1.score(0.7) == apply_platt(kRising, 0.7));
  CHECK(p2.score(0.7) == 1 - apply_platt(kRising, 0.7));
  CHECK(p2.score_faced(p2.sign() * 0.7) == p2.score(0.7));
  CHECK(p1.kind() == ScoreUnits::Kind::calibrated);
  CHECK(ScoreUnits::tree_probability().kind() == ScoreUnits::Kind::tree_probability);
}

TEST_CASE("a score passes its threshold exactly when the faced decision value passes the sidecar's") {
  const double t = 0.4;
  for (Facing facing : {Facing::first_class, Facing::second_class})
    for (const ScoreUnits& u : {ScoreUnits::decision(facing), ScoreUnits::calibrated(kRising, facing)}) {
      const double faced_t = u.sign() * t;
      for (double d : {-3.0, -0.5, 0.0, 0.39, 0.41, 1.0, 4.0}) {
        CAPTURE(d);
        CHECK((u.score(d) > u.threshold(t)) == (u.sign() * d > faced_t));
      }
    }
}
