// Dense rows scored as mlclassify scores them, without NDJSON in between: the tensor route's
// common case, one numeric input of shape [N, D], for a model with one decision function (a
// binary classifier, a regression or a one-class model). Writing each row as {"x": [...]} for
// mlclassify's stage and reading its records back costs several times what scoring them
// does; this applies the same model the same way:
//  - a row is the sparse vector mlclassify makes of {"x": [...]}: its non-zero values, as
//    floats, at indices 1 … D;
//  - its score is what mlclassify writes: the decision value (the regression value), or the
//    probability of the sidecar's calibration;
//  - it passes the threshold mlclassify applies by default: the sidecar's, in the score's
//    units, else 0 for decision values and 0.5 for probabilities (regression: none);
//  - a binary classifier's class is its first class when the row passes, else its second,
//    typed as the labels it was trained from (number, boolean or string).
// Multi-class models (votes, per-class values) keep going through the stage.
// tests/unit/serve/dense_scorer.cpp holds the two ways to the same answers.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mlpipe/model/model.h"
#include "mlpipe/model/threshold_units.h"
#include "mlpipe/serve/oip_tensors.h"

namespace mlpipe::serve {

class DenseScorer {
 public:
  // A scorer of `model`, or null when it is not a model this handles.
  static std::unique_ptr<const DenseScorer> of(const Model& model);

  // The outputs for `rows` rows of `width` values each (row-major in `values`): "score",
  // "passed" when there is a threshold, "class" for a classifier. Safe from many threads.
  InferOutputs score(const std::vector<double>& values, std::uint64_t rows, std::uint64_t width) const;

 private:
  DenseScorer() = default;

  Model model_;
  ScoreUnits units_ = ScoreUnits::decision();  // the decision value, or the calibration's probability
  std::optional<double> threshold_;  // passes when score > threshold
  bool classifies_ = false;          // a binary classifier: a class per row
  enum class ClassType { string, number, boolean } class_type_ = ClassType::string;
  std::string class_names_[2];
  double class_numbers_[2] = {0, 0};
};

}  // namespace mlpipe::serve
