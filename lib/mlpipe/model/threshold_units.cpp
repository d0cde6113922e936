// See threshold_units.h. Each formula is the one the score it goes with is made by, so that
// a threshold taken from the sidecar decides as the decision value would.
#include "mlpipe/model/threshold_units.h"

#include <algorithm>
#include <cmath>

namespace mlpipe {

namespace {

double sign_of(Facing facing) { return facing == Facing::first_class ? 1 : -1; }

// P(the faced class) for the sigmoid's P(first class) of decision value d.
double faced_probability(const PlattCalibration& sigmoid, double sign, double d) {
  const double p = apply_platt(sigmoid, d);
  return sign > 0 ? p : 1 - p;
}

}  // namespace

ScoreUnits ScoreUnits::decision(Facing facing) { return ScoreUnits(Kind::decision, sign_of(facing), {}); }

ScoreUnits ScoreUnits::calibrated(const PlattCalibration& calibration, Facing facing) {
  return ScoreUnits(Kind::calibrated, sign_of(facing), calibration);
}

ScoreUnits ScoreUnits::libsvm_probability(const PlattCalibration& estimates) {
  return ScoreUnits(Kind::libsvm_probability, 1, estimates);
}

ScoreUnits ScoreUnits::tree_probability() { return ScoreUnits(Kind::tree_probability, 1, {}); }

double ScoreUnits::score_faced(double faced) const {
  if (kind_ == Kind::calibrated) return faced_probability(sigmoid_, sign_, sign_ * faced);
  return faced;
}

double ScoreUnits::threshold(std::optional<double> decision_threshold) const {
  switch (kind_) {
    case Kind::decision: return decision_threshold ? sign_ * *decision_threshold : 0.0;
    case Kind::calibrated:
      return decision_threshold ? faced_probability(sigmoid_, sign_, *decision_threshold) : 0.5;
    case Kind::libsvm_probability:
      // Only a sigmoid that rises with d (probA < 0) keeps the order of decision values:
      // otherwise no probability decides as "d > T" does, and the default stands.
      if (!decision_threshold || !(sigmoid_.a < 0)) return 0.5;
      return std::clamp(apply_platt(sigmoid_, *decision_threshold), 1e-7, 1 - 1e-7);
    case Kind::tree_probability: return decision_threshold ? 1 / (1 + std::exp(-*decision_threshold)) : 0.5;
  }
  return 0.0;
}

}  // namespace mlpipe
