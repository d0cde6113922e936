// Model selection: which metric ranks candidates, what --compare and --grid try, and the
// cross-validation of them all, returning evaluated candidates best first.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/model/cross_validation.h"
#include "mlpipe/model/train_params.h"

namespace mlpipe {

enum class Metric { accuracy, f1, macro_f1, auc, ap, mse, mae, r2 };

std::string_view metric_name(Metric m);
std::optional<Metric> metric_by_name(std::string_view name);
bool is_regression_metric(Metric m);

// The metric and why it was chosen, for the report ("F1 of class 1: binary data, 8% of rows").
struct MetricChoice {
  Metric metric = Metric::accuracy;
  std::string reason;
  std::size_t f1_class = 0;  // Metric::f1 with two classes: the class whose F1 it is (f1_class_of)
};

// Binary classes where the smaller one holds less than this share of the rows count as
// imbalanced: accuracy would reward predicting the larger class everywhere.
inline constexpr double kImbalancedShare = 0.35;

// The class whose F1 the f1 metric is, with two classes: the first (positive) one when
// --positive named it, else the rarer one (the first when both hold as many rows): the
// class a user looks for in imbalanced data, whatever order the labels came in.
std::size_t f1_class_of(const Dataset& d, bool positive_given);

// The default: F1 of the rarer class (f1_class_of) for imbalanced binary data, accuracy for
// other classification, R² for regression.
MetricChoice default_metric(const Dataset& d, bool positive_given = false);
// Throws Error::usage when `m` does not apply to the data (MSE of classes, AUC of three).
void check_metric(Metric m, const Dataset& d);
// The metric's value in its own units (F1 of class `f1_class` for two classes; macro F1
// for more), NaN when undefined.
double metric_value(const Metrics& m, Metric metric, std::size_t f1_class = 0);
// Larger is better: the value, negated for errors (MSE, MAE); NaN ranks last.
double metric_score(const Metrics& m, Metric metric, std::size_t f1_class = 0);

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
