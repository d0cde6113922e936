// Evaluation metrics for cross-validation: classification (accuracy, per-class
// precision/recall/F1, ROC AUC and average precision for two classes) and regression
// (MSE, MAE, R²). Definitions follow scikit-learn's, so figures can be compared.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace mlpipe {

struct ClassMetrics {
  double precision = 0, recall = 0, f1 = 0;  // 0 when undefined (no predictions / no support)
  std::size_t support = 0;
};

struct Metrics {
  bool regression = false;
  std::size_t n = 0;
  // Classification.
  double accuracy = 0;
  double macro_f1 = 0;
  std::vector<ClassMetrics> per_class;
  std::optional<double> roc_auc, average_precision;  // two classes, with scores
  // Regression.
  double mse = 0, mae = 0, r2 = 0;
};

// `truth` and `predicted` are class indices in [0, classes). `first_class_scores`, when
// given, rank the rows by how much they belong to class 0 (decision values or
// probabilities), for ROC AUC and average precision with class 0 as the positive class.
Metrics classification_metrics(const std::vector<int>& truth, const std::vector<int>& predicted, std::size_t classes,
                               const std::vector<double>* first_class_scores = nullptr);
Metrics regression_metrics(const std::vector<double>& truth, const std::vector<double>& predicted);

// Area under the ROC curve (tied scores count one half); nullopt without both classes.
std::optional<double> roc_auc(const std::vector<bool>& positive, const std::vector<double>& scores);
// Average precision: Σ (R_n − R_{n−1}) P_n over distinct score thresholds, high to low.
std::optional<double> average_precision(const std::vector<bool>& positive, const std::vector<double>& scores);

}  // namespace mlpipe
