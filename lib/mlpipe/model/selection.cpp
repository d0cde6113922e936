#include "mlpipe/model/selection.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/parse_number.h"

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

std::vector<double> grid_exponents(const std::string& spec, const char* option) {
  auto bad = [&]() {
    return Error::usage(fmt::format("{} '{}': expected LO:HI:STEP, exponents of 2 (e.g. -5:15:2)", option, spec));
  };
  std::size_t a = spec.find(':'), b = a == std::string::npos ? a : spec.find(':', a + 1);
  if (b == std::string::npos) throw bad();
  auto num = [&](std::string_view t) {
    const std::optional<double> v = parse_double(t);
    if (!v) throw bad();
    return *v;
  };
  const double lo = num(std::string_view(spec).substr(0, a));
  const double hi = num(std::string_view(spec).substr(a + 1, b - a - 1));
  const double step = num(std::string_view(spec).substr(b + 1));
  if (step == 0 || (hi - lo) / step < 0 || (hi - lo) / step > 1000) throw bad();
  std::vector<double> v;
  for (double e = lo; step > 0 ? e <= hi + 1e-9 : e >= hi - 1e-9; e += step) v.push_back(std::exp2(e));
  return v;
}

std::vector<TrainParams> expand_grid(const TrainParams& base, const GridSpec& grid) {
  std::vector<TrainParams> points;
  if (base.learner == Learner::forest) {
    for (int depth : grid.depths) {
      TrainParams p = base;
      p.depth = depth;
      points.push_back(p);
    }
    return points;
  }
  if (base.learner == Learner::xgboost) {
    for (int depth : grid.depths)
      for (double eta : grid.etas) {
        TrainParams p = base;
        p.depth = depth;
        p.eta = eta;
        points.push_back(p);
      }
    return points;
  }
  const bool has_gamma = base.learner == Learner::svm && base.kernel != KernelType::linear;
  for (double cost : grid.costs) {
    TrainParams p = base;
    p.cost = cost;
    if (!has_gamma) {
      points.push_back(p);
      continue;
    }
    for (double gamma : grid.gammas) {
      p.gamma = gamma;
      points.push_back(p);
    }
  }
  return points;
}

std::vector<TrainParams> compare_candidates(const TrainParams& base, bool classification) {
  std::vector<TrainParams> out;
  auto svm = [&](SvmType t, KernelType k) {
    TrainParams p = base;
    p.learner = Learner::svm;
    p.type = t;
    p.kernel = k;
    p.probability = false;
    out.push_back(p);
  };
  auto learner = [&](Learner l) {
    TrainParams p = base;
    p.learner = l;
    p.probability = false;
    p.type = classification ? SvmType::c_svc : SvmType::epsilon_svr;
    p.kernel = KernelType::linear;
    out.push_back(p);
  };
  if (classification) {
    svm(SvmType::c_svc, KernelType::rbf);
    svm(SvmType::c_svc, KernelType::linear);
    svm(SvmType::c_svc, KernelType::poly);
    svm(SvmType::nu_svc, KernelType::rbf);
    learner(Learner::logistic);
    learner(Learner::logistic_l1);
    learner(Learner::linear_svm);
  } else {
    svm(SvmType::epsilon_svr, KernelType::rbf);
    svm(SvmType::epsilon_svr, KernelType::linear);
    svm(SvmType::nu_svr, KernelType::rbf);
    learner(Learner::linear_svr);
  }
  learner(Learner::xgboost);
  learner(Learner::forest);
  return out;
}

Selection select_model(const Dataset& d, const std::vector<std::vector<TrainParams>>& grids,
                       const SelectionSetup& setup) {
  // Every candidate's every point in one run of the farm: its ranks and threads stay busy
  // across candidates instead of waiting for the slowest fold of each.
  std::vector<TrainParams> all;
  std::vector<std::size_t> candidate_of;
  for (std::size_t c = 0; c < grids.size(); ++c)
    for (const TrainParams& p : grids[c]) {
      all.push_back(p);
      candidate_of.push_back(c);
    }
  TaskFarm local(setup.threads);
  TaskFarm& farm = setup.farm ? *setup.farm : local;
  std::vector<CvResult> cvs = cross_validate_sets(d, all, setup.folds, setup.k, farm, setup.progress);

  Selection sel;
  std::vector<std::vector<Evaluated>> points(grids.size());
  std::vector<std::string> failure(grids.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    const std::size_t c = candidate_of[i];
    if (!cvs[i].failure.empty()) {
      // A grid of one learner stops at a point it cannot train, as plain --cv does.
      if (grids.size() == 1) throw Error(cvs[i].failure);
      if (failure[c].empty()) failure[c] = cvs[i].failure;
      continue;
    }
    const double score = metric_score(cvs[i].metrics, setup.metric, setup.f1_class);
    const double seconds = cvs[i].seconds;
    points[c].push_back({all[i], std::move(cvs[i]), seconds, score});
  }
  for (std::size_t c = 0; c < grids.size(); ++c) {
    if (!failure[c].empty()) {
      // One point it cannot train leaves the algorithm out: its other points are not comparable.
      sel.not_trained.push_back(fmt::format("{}: {}", algorithm_name(grids[c][0], d.rows()), failure[c]));
      continue;
    }
    double seconds = 0;  // the algorithm's trainings, all its points and folds
    for (const Evaluated& e : points[c]) seconds += e.seconds;
    std::stable_sort(points[c].begin(), points[c].end(),
                     [](const Evaluated& a, const Evaluated& b) { return a.score > b.score; });
    sel.best.push_back(points[c].front());
    sel.best.back().seconds = seconds;
    if (grids.size() == 1) sel.points = std::move(points[c]);
  }
  if (sel.best.empty()) throw Error(fmt::format("no algorithm could be trained ({})", sel.not_trained.front()));
  std::stable_sort(sel.best.begin(), sel.best.end(), [](const Evaluated& a, const Evaluated& b) { return a.score > b.score; });
  return sel;
}

}  // namespace mlpipe
