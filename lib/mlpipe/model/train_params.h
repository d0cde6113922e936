// What a training is asked for (TrainParams: the learner and its options, as mltrain's
// command line gives them) and what those parameters come to on given rows: the solver,
// the kernel's gamma, the SVR tube, the tree depth, the scaling, the class weights. Checked
// here, once, for every caller (mltrain's options, each training).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mlpipe/model/dataset.h"
#include "mlpipe/model/learner.h"
#include "mlpipe/model/scaling.h"
#include "mlpipe/model/svm_file.h"

namespace mlpipe {

enum class Solver { automatic, libsvm, liblinear };

// Rows from which --solver auto picks liblinear for a linear C-SVC.
inline constexpr std::size_t kLiblinearRows = 5000;

// How the RBF, poly and sigmoid kernels' gamma is chosen when --gamma gives no value.
enum class GammaRule {
  scale,     // 1 / (features × variance of the training values): scikit-learn's default
  features,  // 1 / features: libsvm's default
};

// The tree learners' defaults, chosen on the development files of bench/mlaas.sh (never
// on the files it reports as held out; mltrain(1) says so). Boosted trees: shallow trees
// with a small learning rate, each on 80% of the rows and of the features, which beat
// XGBoost's own defaults (depth 6, eta 0.3, every row and feature) on each of those files.
// A forest: deep trees, each on the share of distinct rows a bootstrap sample holds,
// choosing each split among Breiman's number of features (forest_feature_sample), with
// leaves of a single row allowed and their weights barely regularised.
inline constexpr int kBoostDepth = 4;
inline constexpr double kBoostEta = 0.1;
inline constexpr double kBoostRowSample = 0.8;
inline constexpr double kBoostFeatureSample = 0.8;
inline constexpr int kForestDepth = 20;
inline constexpr double kForestRowSample = 0.632;
inline constexpr double kForestMinChildWeight = 0.25;
inline constexpr double kForestLambda = 1e-5;

// The share of the features a forest's split chooses among: √p of p for classes, p/3 for
// regression (Breiman's).
double forest_feature_sample(const Dataset& d);

struct TrainParams {
  Learner learner = Learner::svm;
  SvmType type = SvmType::c_svc;  // svm; the other learners set it from the task
  KernelType kernel = KernelType::rbf;
  double cost = 1;
  std::optional<double> gamma;  // default: by gamma_rule
  GammaRule gamma_rule = GammaRule::scale;
  int degree = 3;
  double coef0 = 0;
  double nu = 0.5;
  std::optional<double> epsilon;  // epsilon-SVR's tube; default 0.01 × the targets' standard deviation
  double tolerance = 1e-3;
  double cache_mb = 200;
  std::vector<std::pair<std::string, double>> class_weights;  // by class name
  bool balanced = false;     // weight classes by n / (classes * n_c)
  bool probability = false;  // libsvm's probability estimates (internal 5-fold CV)
  unsigned seed = 1;
  Solver solver = Solver::automatic;
  bool compact = false;  // store a linear libsvm model as collapsed weight vectors
  std::optional<ScaleMethod> scale;  // nullopt: auto (scale_for)
  // xgboost and forest
  int threads = 1;  // XGBoost's own threads for the final model (folds train one each)
  int trees = 100;  // xgboost: boosting rounds; forest: the trees of the forest
  std::optional<int> depth;  // default: the learner's (tree_depth)
  double eta = kBoostEta;  // xgboost
};

// The maximum tree depth `p` trains with: the one given, else its learner's default.
int tree_depth(const TrainParams& p);

// The scaling `p` trains with on `d`: the one given, else (auto) standard for SVMs and
// linear learners on tabular data (at most kAutoScaleMaxFeatures features), none for
// trees and for wide sparse data such as hashed text.
ScaleMethod scale_for(const TrainParams& p, const Dataset& d);

// A description of the learner and its options for tables ("svm rbf", "logistic").
std::string algorithm_name(const TrainParams& p, std::size_t rows);

// The solver training will use for `p` on `rows` rows (never automatic).
Solver resolve_solver(const TrainParams& p, std::size_t rows);
std::string_view solver_name(Solver s);
// The kernel's gamma on `rows` of `d` (all when empty), which are already scaled.
double effective_gamma(const TrainParams& p, const Dataset& d, const std::vector<std::size_t>& rows = {});
double effective_epsilon(const TrainParams& p, const Dataset& d);

// --solver liblinear's rule: a linear C-SVC, without probability estimates. Throws
// Error::usage. mltrain checks it on its options, and check_params again once the labels
// have decided the task.
void check_solver(const TrainParams& p);

// Checks parameters against the data (libsvm's own svm_check_parameter follows when it
// trains); throws Error::usage for a bad value, Error for data that cannot be trained.
void check_params(const TrainParams& p, const Dataset& d);

// --balanced (over `rows`) times --weight NAME=W, by class index; Error::usage for an
// unknown class name.
std::vector<double> class_weight_of(const Dataset& d, const TrainParams& p, const std::vector<std::size_t>& rows);

}  // namespace mlpipe
