// K-fold cross-validation: each (parameter set, fold) training on the other folds' rows,
// with imputation and scaling fitted on those rows alone, and predicting the fold's rows;
// the metrics over every held-out row. The folds come from folds.h.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "mlpipe/model/dataset.h"
#include "mlpipe/model/metrics.h"
#include "mlpipe/model/task_farm.h"
#include "mlpipe/model/train_params.h"

namespace mlpipe {

struct CvResult {
  Metrics metrics;
  std::size_t solver_warnings = 0;  // trainings that stopped at the solver's iteration limit
  std::vector<double> predicted;  // per row: class index or regression value
  std::vector<double> scores;     // per row: decision value for the first class (binary)
  double seconds = 0;             // training and prediction, summed over the folds
  // cross_validate_sets: why this set could not be trained ("" when it was); then the
  // other members are unset.
  std::string failure;
};

// K-fold cross-validation of `p` (without probability estimates; they don't change the
// decision). Folds train in parallel on `threads` threads when the solver allows it.
CvResult cross_validate(const Dataset& d, const TrainParams& p, const std::vector<int>& folds, int k, int threads);

// Cross-validates several parameter sets at once, (set, fold) trainings spread over the
// threads where the solver allows it. `progress` is called after each training.
std::vector<CvResult> cross_validate_many(const Dataset& d, const std::vector<TrainParams>& params,
                                          const std::vector<int>& folds, int k, int threads,
                                          const FarmProgress& progress);
// The same with the trainings run by `farm`: on its threads, and over its ranks when it has
// peers (every rank then calls this with the same arguments and gets the same results).
std::vector<CvResult> cross_validate_many(const Dataset& d, const std::vector<TrainParams>& params,
                                          const std::vector<int>& folds, int k, TaskFarm& farm,
                                          const FarmProgress& progress);
// The same, but a set that cannot be trained on these data (an infeasible nu) gets its
// error in CvResult::failure instead of ending everything; usage errors are still thrown.
std::vector<CvResult> cross_validate_sets(const Dataset& d, const std::vector<TrainParams>& params,
                                          const std::vector<int>& folds, int k, TaskFarm& farm,
                                          const FarmProgress& progress);

}  // namespace mlpipe
