// A binary model's scores and thresholds in the units a program writes them in.
//
// A sidecar keeps a model's threshold as a decision value of its first class (mltrain
// --threshold: "passes when d > T"). A program writes the decision value, or a probability
// (by the sidecar's Platt calibration, by libsvm's own estimates, or a tree model's logistic
// of its margin), and its score faces one class: mlclassify's the first, mllink's the class
// that means "linked". The threshold it applies must be in the same units and face the same
// way, so that "score > T" decides what "d > T" decides. mlclassify, mllink and mlserve's
// dense scorer all take both from here.
#pragma once

#include <optional>

#include "mlpipe/model/calibration.h"

namespace mlpipe {

// The class of a binary model that a score speaks for.
enum class Facing { first_class, second_class };

class ScoreUnits {
 public:
  enum class Kind {
    decision,            // the decision value, turned to face the class
    calibrated,          // P(the class) by the sidecar's Platt calibration of the decision value
    libsvm_probability,  // P(first class) by libsvm's estimates (probA, probB), clamped as libsvm clamps it
    tree_probability,    // P(first class): the logistic of a tree model's margin
  };

  static ScoreUnits decision(Facing facing = Facing::first_class);
  static ScoreUnits calibrated(const PlattCalibration& calibration, Facing facing = Facing::first_class);
  // `estimates`: libsvm's probA and probB of the model's one pair of classes.
  static ScoreUnits libsvm_probability(const PlattCalibration& estimates);
  static ScoreUnits tree_probability();

  Kind kind() const { return kind_; }
  // +1 facing the first class, -1 the second: what turns a decision value (or a linear
  // model's weights) to face the class.
  double sign() const { return sign_; }

  // The score of decision value d, in decision or calibrated units (libsvm's and a tree
  // model's probabilities are the model's own: Model::predict_probability).
  double score(double decision) const { return score_faced(sign_ * decision); }
  // The same for a decision value already turned to face the class (sign() * d): mllink
  // turns a linear model's weights once rather than each score.
  double score_faced(double faced) const;

  // The sidecar's decision threshold in these units, or when it has none the default: 0 for
  // decision values, 0.5 for probabilities.
  double threshold(std::optional<double> decision_threshold) const;

 private:
  ScoreUnits(Kind kind, double sign, PlattCalibration sigmoid) : kind_(kind), sign_(sign), sigmoid_(sigmoid) {}

  Kind kind_;
  double sign_;
  PlattCalibration sigmoid_;  // calibrated and libsvm_probability: decision value -> P(first class)
};

}  // namespace mlpipe
