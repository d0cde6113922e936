// See metric_choice.h.
#include "mlpipe/model/metric_choice.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/model/dataset.h"

namespace mlpipe {

namespace {

struct MetricName {
  Metric metric;
  std::string_view name;
};
constexpr MetricName kMetricNames[] = {
    {Metric::accuracy, "accuracy"}, {Metric::f1, "f1"},   {Metric::macro_f1, "macro-f1"}, {Metric::auc, "auc"},
    {Metric::ap, "ap"},             {Metric::mse, "mse"}, {Metric::mae, "mae"},           {Metric::r2, "r2"},
};

}  // namespace

std::string_view metric_name(Metric m) {
  for (const MetricName& n : kMetricNames)
    if (n.metric == m) return n.name;
  return "?";
}

std::optional<Metric> metric_by_name(std::string_view name) {
  for (const MetricName& n : kMetricNames)
    if (n.name == name) return n.metric;
  return std::nullopt;
}

bool is_regression_metric(Metric m) { return m == Metric::mse || m == Metric::mae || m == Metric::r2; }

namespace {

// The rows of class 0 among the rows of `d`.
std::size_t first_class_rows(const Dataset& d) {
  std::size_t first = 0;
  for (double t : d.target) first += t == 0;
  return first;
}

}  // namespace

std::size_t f1_class_of(const Dataset& d, bool positive_given) {
  if (!d.classification || d.classes() != 2 || positive_given) return 0;
  return 2 * first_class_rows(d) > d.rows() ? 1 : 0;
}

MetricChoice default_metric(const Dataset& d, bool positive_given) {
  if (!d.classification) return {Metric::r2, "regression", 0};
  if (d.classes() == 2) {
    const std::size_t c = f1_class_of(d, positive_given);
    const std::size_t first = first_class_rows(d);
    const double share = d.rows() ? double(c == 0 ? first : d.rows() - first) / double(d.rows()) : 0.5;
    if (std::min(share, 1 - share) < kImbalancedShare)
      return {Metric::f1, fmt::format("binary classes, {:.0f}% of rows in class {}", 100 * share, d.class_names[c]), c};
    return {Metric::accuracy, "balanced binary classes", 0};
  }
  return {Metric::accuracy, fmt::format("{} classes", d.classes()), 0};
}

void check_metric(Metric m, const Dataset& d) {
  if (is_regression_metric(m) && d.classification)
    throw Error::usage(fmt::format("--metric {}: a regression metric, but the task is classification (--task regression for a numeric target)", metric_name(m)));
  if (!is_regression_metric(m) && !d.classification)
    throw Error::usage(fmt::format("--metric {}: a classification metric, but the task is regression (use r2, mse or mae)",
                                   metric_name(m)));
  if ((m == Metric::auc || m == Metric::ap) && d.classes() != 2)
    throw Error::usage(fmt::format("--metric {}: ranks one positive class; the data have {} classes", metric_name(m),
                                   d.classes()));
}

double metric_value(const Metrics& m, Metric metric, std::size_t f1_class) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  switch (metric) {
    case Metric::accuracy: return m.accuracy;
    case Metric::f1:
      if (m.per_class.size() == 2) return m.per_class[f1_class < 2 ? f1_class : 0].f1;
      return m.macro_f1;
    case Metric::macro_f1: return m.macro_f1;
    case Metric::auc: return m.roc_auc.value_or(nan);
    case Metric::ap: return m.average_precision.value_or(nan);
    case Metric::mse: return m.mse;
    case Metric::mae: return m.mae;
    case Metric::r2: return m.r2;
  }
  return nan;
}

double metric_score(const Metrics& m, Metric metric, std::size_t f1_class) {
  double v = metric_value(m, metric, f1_class);
  if (std::isnan(v)) return -std::numeric_limits<double>::infinity();
  return metric == Metric::mse || metric == Metric::mae ? -v : v;
}

}  // namespace mlpipe
