// The learners mltrain offers, under the names users type (mltrain(1) has the table).
//
// `svm` is libsvm with its types and kernels (--type, --kernel); the linear ones below
// are liblinear's solvers, which train on millions of sparse rows; `xgboost` is
// gradient-boosted trees through XGBoost, and `forest` a random forest grown by XGBoost
// (its trees in one round, each on a sample of the rows and of the features at each
// split). Every learner's model is one file plus the sidecar, and predicts through Model.
#pragma once

#include <string_view>
#include <vector>

namespace mlpipe {

enum class Learner {
  svm,              // libsvm (linear C-SVC on liblinear's dual solver from 5,000 rows)
  linear_svm,       // liblinear: L2-regularised, squared hinge loss (dual)
  linear_svm_hinge, // liblinear: L2-regularised, hinge loss (dual): libsvm's loss
  linear_svm_l1,    // liblinear: L1-regularised, squared hinge loss: sparse weights
  crammer_singer,   // liblinear: one multi-class SVM (Crammer and Singer)
  logistic,         // liblinear: L2-regularised logistic regression (probabilities)
  logistic_l1,      // liblinear: L1-regularised logistic regression (sparse, probabilities)
  linear_svr,       // liblinear: L2-regularised support vector regression, squared loss
  xgboost,          // XGBoost gradient-boosted trees, classification and regression
  forest,           // XGBoost random forest: parallel trees in one round, classification and regression
};

// What a learner can do.
struct LearnerTraits {
  Learner learner;
  std::string_view name;        // as on the command line
  std::string_view description; // one line for --help and the table
  bool classification;          // trains classifiers
  bool regression;              // trains regression models
  bool probabilities;           // binary classifiers give P(first class) without calibration
  bool linear;                  // a weight vector per decision function
};

const std::vector<LearnerTraits>& all_learners();
const LearnerTraits& traits(Learner l);
std::string_view learner_name(Learner l);
// Tree learners (xgboost, forest): XGBoost JSON models, predicted by TreeEnsemble.
bool is_tree_learner(Learner l);

}  // namespace mlpipe
