// Model selection: what --compare and --grid try, and the cross-validation of them all,
// ranked by a metric (metric_choice.h), returning evaluated candidates best first.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/model/cross_validation.h"
#include "mlpipe/model/metric_choice.h"
#include "mlpipe/model/train_params.h"

namespace mlpipe {

// What --grid searches, per learner: log2 C (and gamma for kernels) for SVMs and linear
// learners, tree depth and learning rate for xgboost, tree depth for forest.
struct GridSpec {
  std::vector<double> costs, gammas;
  std::vector<int> depths;
  std::vector<double> etas;
};
// "LO:HI:STEP" exponents of 2 as values; Error::usage naming `option` when malformed.
std::vector<double> grid_exponents(const std::string& spec, const char* option);
std::vector<TrainParams> expand_grid(const TrainParams& base, const GridSpec& grid);

// The candidates of --compare: every learner suited to the task, at its defaults (and
// the options given that apply to it: weights, seed, scaling).
std::vector<TrainParams> compare_candidates(const TrainParams& base, bool classification);

struct Evaluated {
  TrainParams params;
  CvResult cv;
  double seconds = 0;
  double score = 0;  // metric_score of cv.metrics
};

struct SelectionSetup {
  std::vector<int> folds;  // fold of each row
  int k = 5;
  int threads = 1;
  TaskFarm* farm = nullptr;  // where the trainings run; nullptr: on `threads` threads here
  Metric metric = Metric::accuracy;
  std::size_t f1_class = 0;  // see MetricChoice
  FarmProgress progress;  // job j is grids' point j / k (in order, all candidates' points), fold j % k
};

struct Selection {
  std::vector<Evaluated> best;          // each candidate's best point, best first
  std::vector<Evaluated> points;        // with one candidate: every grid point, best first
  std::vector<std::string> not_trained; // "algorithm: why" for candidates that failed on these data
};

// Cross-validates each candidate at each of its grid points (one point without a grid).
// A candidate that cannot be trained on these data (an infeasible nu) is named in
// not_trained; usage errors propagate. Ties keep the candidates' order.
Selection select_model(const Dataset& d, const std::vector<std::vector<TrainParams>>& grids, const SelectionSetup& setup);

}  // namespace mlpipe
