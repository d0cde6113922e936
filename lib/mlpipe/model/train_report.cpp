#include "mlpipe/model/train_report.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "mlpipe/model/train.h"

namespace mlpipe {

namespace {

std::string fmt4(double v) { return std::isnan(v) ? "-     " : fmt::format("{:.4f}", v); }

}  // namespace

std::string params_text(const TrainParams& p, const Dataset& d) {
  std::string s;
  const ScaleMethod scale = scale_for(p, d);
  if (p.learner == Learner::xgboost) {
    s = fmt::format("trees={} depth={} eta={}", p.trees, tree_depth(p), p.eta);
  } else if (p.learner == Learner::forest) {
    s = fmt::format("trees={} depth={}", p.trees, tree_depth(p));
  } else {
    s = fmt::format("C={}", p.cost);
    if (p.learner == Learner::svm && p.kernel != KernelType::linear)
      s += fmt::format(" gamma={:.6g}", effective_gamma(p, *prepare_rows(d, p).data));
    if (p.learner == Learner::svm && p.kernel == KernelType::poly) s += fmt::format(" degree={}", p.degree);
    if (p.learner == Learner::svm && (p.kernel == KernelType::poly || p.kernel == KernelType::sigmoid))
      s += fmt::format(" coef0={}", p.coef0);
    if (p.learner == Learner::svm &&
        (p.type == SvmType::nu_svc || p.type == SvmType::nu_svr || p.type == SvmType::one_class))
      s += fmt::format(" nu={}", p.nu);
    if ((p.learner == Learner::svm && p.type == SvmType::epsilon_svr) || p.learner == Learner::linear_svr)
      s += fmt::format(" epsilon={:.6g}", effective_epsilon(p, d));
  }
  if (scale != ScaleMethod::none) s += fmt::format(" scale={}", scale_method_name(scale));
  return s;
}

void report_metrics(std::string& out, const Metrics& m, const Dataset& d) {
  if (m.regression) {
    fmt::format_to(std::back_inserter(out), "MSE {:.6g}  MAE {:.6g}  R2 {}\n", m.mse, m.mae, fmt4(m.r2));
    return;
  }
  fmt::format_to(std::back_inserter(out), "accuracy {}  macro F1 {}", fmt4(m.accuracy), fmt4(m.macro_f1));
  if (m.roc_auc) fmt::format_to(std::back_inserter(out), "  ROC AUC {}", fmt4(*m.roc_auc));
  if (m.average_precision) fmt::format_to(std::back_inserter(out), "  average precision {}", fmt4(*m.average_precision));
  out += '\n';
  std::size_t width = 5;
  for (const auto& n : d.class_names) width = std::max(width, n.size());
  fmt::format_to(std::back_inserter(out), "{:<{}}  precision  recall  f1      support\n", "class", width);
  for (std::size_t c = 0; c < m.per_class.size(); ++c) {
    const ClassMetrics& cm = m.per_class[c];
    fmt::format_to(std::back_inserter(out), "{:<{}}  {}     {}  {}  {}\n", d.class_names[c], width, fmt4(cm.precision),
                   fmt4(cm.recall), fmt4(cm.f1), cm.support);
  }
}

std::string metric_title(const MetricChoice& m, const Dataset& d) {
  switch (m.metric) {
    case Metric::accuracy: return "accuracy";
    case Metric::f1: return d.classes() == 2 ? fmt::format("F1 of class {}", d.class_names[m.f1_class]) : "macro F1";
    case Metric::macro_f1: return "macro F1";
    case Metric::auc: return "ROC AUC";
    case Metric::ap: return "average precision";
    case Metric::mse: return "MSE";
    case Metric::mae: return "MAE";
    case Metric::r2: return "R2";
  }
  return "?";
}

std::string compare_table(const Selection& sel, const Dataset& d, int k, bool grid, const MetricChoice& metric) {
  std::string out;
  const bool classify = d.classification;
  const bool binary = classify && d.classes() == 2;
  fmt::format_to(std::back_inserter(out), "{}-fold cross-validation of {} algorithms on {} rows{}, ranked by {}{}\n", k,
                 sel.best.size(), d.rows(), grid ? " (each at its best grid point)" : "", metric_title(metric, d),
                 metric.reason.empty() ? "" : fmt::format(" ({})", metric.reason));
  // Each row's texts once: a kernel's params text scales the data to show its gamma.
  std::size_t aw = 9, pw = 6;
  std::vector<std::string> algorithm, params;
  for (const Evaluated& e : sel.best) {
    algorithm.push_back(algorithm_name(e.params, d.rows()));
    params.push_back(params_text(e.params, d));
    aw = std::max(aw, algorithm.back().size());
    pw = std::max(pw, params.back().size());
  }
  // The ranking metric gets a column of its own unless the table shows it anyway (F1 of
  // the positive class is the one it does not).
  const bool own_column = metric.metric == Metric::f1;
  const std::string mname(metric_name(metric.metric));
  fmt::format_to(std::back_inserter(out), "rank  {:<{}}  {:<{}}", "algorithm", aw, "params", pw);
  if (own_column) fmt::format_to(std::back_inserter(out), "  {:<8}", mname);
  if (classify)
    fmt::format_to(std::back_inserter(out), "  accuracy  macro-F1{}", binary ? "  ROC-AUC  avg-prec" : "");
  else
    out += "  R2       MSE          MAE        ";
  out += "  seconds\n";
  for (std::size_t i = 0; i < sel.best.size(); ++i) {
    const Evaluated& e = sel.best[i];
    const Metrics& m = e.cv.metrics;
    const double v = metric_value(m, metric.metric, metric.f1_class);
    fmt::format_to(std::back_inserter(out), "{:<4}  {:<{}}  {:<{}}", i + 1, algorithm[i], aw, params[i], pw);
    if (own_column) fmt::format_to(std::back_inserter(out), "  {:<8}", fmt4(v));
    if (classify) {
      fmt::format_to(std::back_inserter(out), "  {}    {}  ", fmt4(m.accuracy), fmt4(m.macro_f1));
      if (binary)
        fmt::format_to(std::back_inserter(out), "{}   {}    ", m.roc_auc ? fmt4(*m.roc_auc) : "-     ",
                       m.average_precision ? fmt4(*m.average_precision) : "-     ");
    } else {
      fmt::format_to(std::back_inserter(out), "  {:<7}  {:<11.6g}  {:<11.6g}  ", fmt4(m.r2), m.mse, m.mae);
    }
    fmt::format_to(std::back_inserter(out), "{:.2f}\n", e.seconds);
  }
  for (const std::string& n : sel.not_trained) fmt::format_to(std::back_inserter(out), "not trained: {}\n", n);
  return out;
}

std::string grid_table(const Selection& sel, const Dataset& d, int k, const MetricChoice& metric) {
  std::string out;
  fmt::format_to(std::back_inserter(out), "grid search: {} points, {}-fold cross-validation, {} rows, ranked by {}; best 5:\n",
                 sel.points.size(), k, d.rows(), metric_title(metric, d));
  for (std::size_t i = 0; i < std::min<std::size_t>(5, sel.points.size()); ++i) {
    const Metrics& m = sel.points[i].cv.metrics;
    std::string figures =
        m.regression ? fmt::format("R2 {}  MSE {:.6g}", fmt4(m.r2), m.mse)
                     : fmt::format("accuracy {}  macro F1 {}", fmt4(m.accuracy), fmt4(m.macro_f1));
    if (metric.metric != Metric::accuracy && metric.metric != Metric::r2 && metric.metric != Metric::macro_f1)
      figures = fmt::format("{} {}  {}", metric_title(metric, d), fmt4(metric_value(m, metric.metric, metric.f1_class)),
                            figures);
    fmt::format_to(std::back_inserter(out), "  {:<32}  {}\n", params_text(sel.points[i].params, d), figures);
  }
  return out;
}

}  // namespace mlpipe
