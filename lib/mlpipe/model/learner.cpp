#include "mlpipe/model/learner.h"

namespace mlpipe {

const std::vector<LearnerTraits>& all_learners() {
  static const std::vector<LearnerTraits> table{
      {Learner::svm, "svm", "libsvm SVM: --type and --kernel (default C-SVC, RBF kernel)", true, true, false, false},
      {Learner::linear_svm, "linear-svm", "linear SVM, L2-regularised, squared hinge loss (liblinear)", true, false,
       false, true},
      {Learner::linear_svm_hinge, "linear-svm-hinge", "linear SVM, L2-regularised, hinge loss (liblinear)", true,
       false, false, true},
      {Learner::linear_svm_l1, "linear-svm-l1", "linear SVM, L1-regularised: sparse weights (liblinear)", true, false,
       false, true},
      {Learner::crammer_singer, "crammer-singer", "one multi-class linear SVM, Crammer and Singer (liblinear)", true,
       false, false, true},
      {Learner::logistic, "logistic", "logistic regression, L2-regularised, with probabilities (liblinear)", true,
       false, true, true},
      {Learner::logistic_l1, "logistic-l1", "logistic regression, L1-regularised: sparse weights (liblinear)", true,
       false, true, true},
      {Learner::linear_svr, "linear-svr", "linear support vector regression, squared loss (liblinear)", false, true,
       false, true},
      {Learner::xgboost, "xgboost", "gradient-boosted trees (XGBoost): --trees, --depth, --eta", true, true, true,
       false},
      {Learner::forest, "forest", "random forest (XGBoost): --trees, --depth", true, true, true, false},
  };
  return table;
}

const LearnerTraits& traits(Learner l) {
  for (const LearnerTraits& t : all_learners())
    if (t.learner == l) return t;
  return all_learners().front();
}

std::string_view learner_name(Learner l) { return traits(l).name; }

bool is_tree_learner(Learner l) { return l == Learner::xgboost || l == Learner::forest; }

}  // namespace mlpipe
