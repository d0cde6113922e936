// Which metric ranks candidates (--metric, or the default for the data), and a metric's
// value from cross-validated Metrics: what --compare and --grid rank by, and what the
// sidecar's "cv" records as the score.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "mlpipe/model/metrics.h"

namespace mlpipe {

struct Dataset;

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

}  // namespace mlpipe
