// Platt scaling: a sigmoid that turns a binary classifier's decision values into
// probabilities of its first (positive) class,
//
//   P(positive | d) = 1 / (1 + exp(a·d + b)),
//
// fitted by regularised maximum likelihood (Platt 1999, with the Newton method and the
// target smoothing of Lin, Lin and Weng 2007 — what libsvm uses inside svm-train -b 1).
// mltrain fits it on out-of-fold decision values, so that the probabilities are honest
// about data the model did not see; it is stored in the sidecar and applied by mlclassify
// and mllink, so that scores of different models are on one scale.
#pragma once

#include <vector>

namespace mlpipe {

struct PlattCalibration {
  double a = 0, b = 0;  // a < 0 when larger decision values mean "more positive"
};

// Fits a and b on decision values and their truth (true: the positive class). Needs at
// least one row; throws Error otherwise.
PlattCalibration fit_platt(const std::vector<double>& decision, const std::vector<bool>& positive);

// The probability of the positive class for decision value d, computed without overflow.
double apply_platt(const PlattCalibration& c, double d);

}  // namespace mlpipe
