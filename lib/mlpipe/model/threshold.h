// Choosing a decision threshold from held-out scores. mlpipe's rule everywhere is
// "passes when score > threshold", so a chosen threshold is a score that is itself left out.
#pragma once

#include <vector>

namespace mlpipe {

struct ChosenThreshold {
  double threshold = 0;
  double f1 = 0;  // F1 of the positive class at that threshold
  double precision = 0, recall = 0;
};

// The threshold T maximising the positive class's F1 when "score > T" predicts positive.
// T is one of the scores (the highest one predicted negative); when the best choice
// predicts every row positive, T is just below the lowest score. Among equal F1, the
// highest T wins (fewer positives). Throws Error without a positive row.
ChosenThreshold best_f1_threshold(const std::vector<double>& scores, const std::vector<bool>& positive);

}  // namespace mlpipe
