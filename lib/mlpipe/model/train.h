// Training: labelled rows in, a model file and a ready Model out, with every learner of
// learner.h (libsvm, liblinear's solvers, XGBoost), scaling fitted on the training rows;
// cross-validation with deterministic, stratified folds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mlpipe/model/imputation.h"
#include "mlpipe/model/learner.h"
#include "mlpipe/model/metrics.h"
#include "mlpipe/model/model.h"
#include "mlpipe/model/scaling.h"
#include "mlpipe/model/svm_file.h"
#include "mlpipe/model/task_farm.h"

namespace mlpipe {

// Training rows in compressed form. For classification, `target` holds class indices
// into class_names/class_labels (model order: the first class is the positive one).
struct Dataset {
  // Laid out as libsvm's svm_node (and liblinear's feature_node), so that rows are
  // handed to the solvers without copying.
  struct Node {
    int index;
    double value;
  };
  std::vector<Node> nodes;            // each row's features (indices increasing), then {-1, 0}
  std::vector<std::size_t> start;     // row r begins at nodes[start[r]]
  std::vector<double> target;
  bool classification = true;
  std::vector<std::string> class_names;  // model order
  std::vector<int> class_labels;         // the libsvm label of each class
  std::uint32_t max_index = 0;
  // Tabular rows (CSV columns, column_prep.h): the kind of each feature index ([0]
  // unused), for what is fitted on each training set (imputation.h). Empty for other data.
  // A tabular row holds every number feature, 0 included, and NaN for a missing cell
  // until imputed; indicators only where they are 1.
  std::vector<FeatureKind> kinds;

  std::size_t rows() const { return start.size(); }
  bool tabular() const { return !kinds.empty(); }
  std::size_t classes() const { return class_names.size(); }
  // Appends a row; throws Error for an index beyond libsvm's int range.
  template <typename Index, typename Value>
  void add_row(const std::vector<Index>& idx, const std::vector<Value>& val, double y);
  std::size_t features_of(std::size_t r) const;
};

[[noreturn]] void throw_index_too_large(std::uint64_t index);

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

// Checks parameters against the data (libsvm's svm_check_parameter and ours); throws
// Error::usage.
void check_params(const TrainParams& p, const Dataset& d);

// A trained model: the model file's text and the same model, ready to predict rows in the
// space it was trained in (Model applies a sidecar's scaling; this one has none).
struct Trained {
  std::string text;
  Model model;
  std::size_t solver_warnings = 0;  // libsvm or liblinear stopped at its iteration limit
  // A multi-class logistic regression (liblinear, one-vs-rest): each class's intercept
  // b_c, in model order. Its stored weight vector c is w_c, so that the class's score is
  // w_c·x + b_c and its probability, as liblinear gives it, the sigmoid of that score
  // divided by the sum of all classes' sigmoids. Empty for other models.
  std::vector<double> intercepts;
};

// Trains on the rows listed in `rows` (all rows when empty), as given (no scaling here).
// libsvm and liblinear models are libsvm model files (liblinear's and compact linear
// models hold one collapsed weight vector per decision function); xgboost's are its JSON.
// Trainings with liblinear or probability draw from libc's rand(), seeded from p.seed here:
// they take a process-wide lock, so that they run one at a time whichever thread calls
// (serial_training() says which, so that a pool need not tie up threads waiting for it).
Trained train_model(const Dataset& d, const TrainParams& p, const std::vector<std::size_t>& rows = {});
bool serial_training(const TrainParams& p, std::size_t rows);

// Each class's weight, by class index: n / (classes present × n_c) over `rows`.
std::vector<double> balanced_weights(const Dataset& d, const std::vector<std::size_t>& rows);
// --balanced (over `rows`) times --weight NAME=W, by class index; Error::usage for an
// unknown class name.
std::vector<double> class_weight_of(const Dataset& d, const TrainParams& p, const std::vector<std::size_t>& rows);

// The rows as `p` trains on `rows` of `d` (all rows when empty): tabular rows with their
// missing values filled and unseen levels dropped as fitted on those rows (imputation.h;
// a tree learner keeps missing values missing), then scaled as fitted on them. `data`
// points at `d` itself when nothing changes it.
struct PreparedRows {
  std::optional<Dataset> owned;
  const Dataset* data = nullptr;
  Imputation imputation;  // fitted (tabular data only)
  Scaling scaling;
};
PreparedRows prepare_rows(const Dataset& d, const TrainParams& p, const std::vector<std::size_t>& rows = {});

// Fits the preparation (imputation, p.scale) on all rows and trains: what `mltrain -o`
// writes. A linear model has the scaling folded into its weights (it then reads raw
// features, in svm-predict too): `scaling` is none and `folded` says which method was
// folded.
struct TrainedWithScaling {
  Trained trained;
  Imputation imputation;  // tabular data: the fills a missing cell gets at prediction
  Scaling scaling;
  ScaleMethod folded = ScaleMethod::none;
};
TrainedWithScaling train_final_model(const Dataset& d, const TrainParams& p);

// Fold of each row (0..k-1): classes are shuffled separately (seeded) and dealt round
// robin, so every fold has each class in proportion. The same data, k and seed give the
// same folds on every machine.
std::vector<int> assign_folds(const Dataset& d, int k, unsigned seed);

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

template <typename Index, typename Value>
void Dataset::add_row(const std::vector<Index>& idx, const std::vector<Value>& val, double y) {
  start.push_back(nodes.size());
  for (std::size_t k = 0; k < idx.size(); ++k) {
    if (std::uint64_t(idx[k]) > 2147483647u) throw_index_too_large(std::uint64_t(idx[k]));
    nodes.push_back({int(idx[k]), double(val[k])});
    if (std::uint32_t(idx[k]) > max_index) max_index = std::uint32_t(idx[k]);
  }
  nodes.push_back({-1, 0});
  target.push_back(y);
}

}  // namespace mlpipe
