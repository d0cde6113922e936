#include "mlpipe/model/selection.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/parse_number.h"

namespace mlpipe {

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
