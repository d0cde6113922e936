#include "mlpipe/model/threshold.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "mlpipe/core/error.h"

namespace mlpipe {

ChosenThreshold best_f1_threshold(const std::vector<double>& scores, const std::vector<bool>& positive) {
  const std::size_t n = scores.size();
  std::size_t total_pos = 0;
  for (bool p : positive) total_pos += p;
  if (total_pos == 0) throw Error("no positive row: F1 of the positive class is undefined");
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return scores[x] > scores[y]; });

  ChosenThreshold best;
  best.threshold = scores[order[0]];  // nothing predicted positive: F1 0
  std::size_t tp = 0;
  // Walk down the distinct scores; after a run of equal scores, the cut falls between this
  // run and the next lower score, which becomes T.
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && scores[order[j]] == scores[order[i]]) tp += positive[order[j++]];
    double predicted = double(j);
    double precision = double(tp) / predicted, recall = double(tp) / double(total_pos);
    double f1 = tp ? 2 * precision * recall / (precision + recall) : 0;
    if (f1 > best.f1) {
      best.f1 = f1;
      best.precision = precision;
      best.recall = recall;
      best.threshold = j < n ? scores[order[j]]
                             : std::nextafter(scores[order[n - 1]], -std::numeric_limits<double>::infinity());
    }
    i = j;
  }
  return best;
}

}  // namespace mlpipe
