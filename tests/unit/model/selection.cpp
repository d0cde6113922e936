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

TEST_CASE("F1 ranks by the rarer class, whichever came first, unless --positive named one") {
  CHECK(f1_class_of(binary(10, 90), false) == 0);
  CHECK(f1_class_of(binary(90, 10), false) == 1);  // "no" is the rare one
  CHECK(f1_class_of(binary(50, 50), false) == 0);
  CHECK(f1_class_of(binary(90, 10), true) == 0);   // --positive: the first class
  const MetricChoice m = default_metric(binary(90, 10));
  CHECK(m.metric == Metric::f1);
  CHECK(m.f1_class == 1);
  CHECK(m.reason == "binary classes, 10% of rows in class no");
  Metrics figures;
  figures.per_class.resize(2);
  figures.per_class[0].f1 = 0.95;
  figures.per_class[1].f1 = 0.4;
  CHECK(metric_value(figures, Metric::f1, m.f1_class) == 0.4);
  CHECK(metric_score(figures, Metric::f1, m.f1_class) == 0.4);
}

TEST_CASE("numeric targets: a quantity (many values for the rows) or classes") {
  auto values = [](std::size_t rows, std::size_t distinct, double step = 1) {
    std::vector<double> y;
    for (std::size_t r = 0; r < rows; ++r) y.push_back(double(r % distinct) * step);
    return y;
  };
  CHECK(targets_look_numeric(values(442, 214)));     // scikit-learn's diabetes
  CHECK(targets_look_numeric(values(361, 35)));      // fewer than 20 rows a value
  CHECK_FALSE(targets_look_numeric(values(1797, 10)));  // digits: ten classes
  CHECK_FALSE(targets_look_numeric(values(100, 20)));    // 20 values are still classes
  CHECK_FALSE(targets_look_numeric(values(20000, 26)));  // letters coded 0..25
  CHECK(targets_look_numeric(values(20000, 26, 0.5)));   // not whole numbers: a quantity
  CHECK_FALSE(targets_look_numeric(values(100, 3, 0.5)));  // three values: classes (which then fail)
  CHECK_THROWS_WITH_AS(ClassLabels::check_class_number(1.5), doctest::Contains("class label 1.5 is not an integer"),
                       Error);
  CHECK_NOTHROW(ClassLabels::check_class_number(-3));
  // While the task is undecided, numbers are checked against the labels' type only.
  ClassLabels labels;
  labels.expect_number(2.5);
  CHECK(labels.size() == 0);
  CHECK_THROWS_WITH_AS(labels.string("x"), doctest::Contains("earlier labels are a number"), Error);
  ClassLabels text;
  text.string("x");
  CHECK_THROWS_WITH_AS(text.expect_number(3), doctest::Contains("label '3' is a number, but earlier labels are a string"),
                       Error);
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
  p.learner = Learner::forest;
  CHECK(expand_grid(p, g).size() == 2);  // depths only: a forest has no learning rate
  CHECK_THROWS_AS(grid_exponents("1:2", "--grid-c"), Error);
}

TEST_CASE("compare tries every learner suited to the task") {
  TrainParams base;
  for (const TrainParams& p : compare_candidates(base, true)) CHECK(traits(p.learner).classification);
  for (const TrainParams& p : compare_candidates(base, false)) CHECK(traits(p.learner).regression);
  CHECK(compare_candidates(base, true).size() > compare_candidates(base, false).size());
  for (bool classification : {true, false}) {
    std::size_t forests = 0;
    for (const TrainParams& p : compare_candidates(base, classification)) forests += p.learner == Learner::forest;
    CHECK(forests == 1);
  }
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
