// The metric that ranks candidates, and the candidates --compare and --grid try.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/model/class_labels.h"
#include "mlpipe/model/selection.h"

using namespace mlpipe;

namespace {

Dataset binary(std::size_t first, std::size_t second) {
  Dataset d;
  d.class_names = {"yes", "no"};
  d.class_labels = {1, -1};
  for (std::size_t i = 0; i < first + second; ++i)
    d.add_row(std::vector<std::uint32_t>{1}, std::vector<double>{double(i)}, i < first ? 0 : 1);
  return d;
}

}  // namespace

TEST_CASE("the default metric: F1 of the positive class only when binary classes are imbalanced") {
  CHECK(default_metric(binary(10, 90)).metric == Metric::f1);
  CHECK(default_metric(binary(90, 10)).metric == Metric::f1);  // the smaller class decides
  CHECK(default_metric(binary(40, 60)).metric == Metric::accuracy);
  Dataset r;
  r.classification = false;
  CHECK(default_metric(r).metric == Metric::r2);
  CHECK_THROWS_AS(check_metric(Metric::mse, binary(5, 5)), Error);
  CHECK_THROWS_AS(check_metric(Metric::accuracy, r), Error);
  CHECK_NOTHROW(check_metric(Metric::auc, binary(5, 5)));
}

TEST_CASE("metric scores: larger is better, errors negated, undefined last") {
  Metrics m;
  m.per_class.resize(2);
  m.per_class[0].f1 = 0.25;
  m.macro_f1 = 0.6;
  m.mse = 4;
  CHECK(metric_value(m, Metric::f1) == 0.25);
  CHECK(metric_score(m, Metric::mse) == -4);
  CHECK(std::isinf(metric_score(m, Metric::auc)));  // no ROC AUC
  m.per_class.resize(3);
  CHECK(metric_value(m, Metric::f1) == 0.6);  // more classes: macro F1
}

TEST_CASE("grids: C and gamma for kernels, C for linear learners, depth × eta for trees") {
  GridSpec g;
  g.costs = grid_exponents("-1:1:1", "--grid-c");
  g.gammas = {0.5, 1};
  g.depths = {2, 4};
  g.etas = {0.1, 0.3, 1};
  CHECK(g.costs == std::vector<double>{0.5, 1, 2});
  TrainParams p;
  CHECK(expand_grid(p, g).size() == 6);
  p.kernel = KernelType::linear;
  CHECK(expand_grid(p, g).size() == 3);
  p.learner = Learner::logistic;
  CHECK(expand_grid(p, g).size() == 3);
  p.learner = Learner::xgboost;
  CHECK(expand_grid(p, g).size() == 6);
  CHECK_THROWS_AS(grid_exponents("1:2", "--grid-c"), Error);
}

TEST_CASE("compare tries every learner suited to the task") {
  TrainParams base;
  for (const TrainParams& p : compare_candidates(base, true)) CHECK(traits(p.learner).classification);
  for (const TrainParams& p : compare_candidates(base, false)) CHECK(traits(p.learner).regression);
  CHECK(compare_candidates(base, true).size() > compare_candidates(base, false).size());
}

TEST_CASE("class labels: model order, types, and --positive") {
  ClassLabels labels;
  Dataset d;
  for (double v : {0.0, 1.0, 0.0, 2.0}) d.add_row(std::vector<std::uint32_t>{}, std::vector<double>{}, double(labels.number(v)));
  labels.order(d, "");
  CHECK(d.class_names == std::vector<std::string>{"2", "1", "0"});
  CHECK(d.target == std::vector<double>{2, 1, 2, 0});
  CHECK(labels.type() == LabelType::number);
  CHECK_THROWS_AS(labels.string("x"), Error);
  ClassLabels s;
  Dataset e;
  for (const char* v : {"b", "a", "b"}) e.add_row(std::vector<std::uint32_t>{}, std::vector<double>{}, double(s.string(v)));
  s.order(e, "a");
  CHECK(e.class_names == std::vector<std::string>{"a", "b"});
  CHECK(e.class_labels == std::vector<int>{1, -1});
  CHECK_THROWS_AS(s.order(e, "c"), Error);
}
