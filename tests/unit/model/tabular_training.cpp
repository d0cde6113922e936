// Training on tabular rows: missing values imputed inside each fold, the sidecar's fills
// from all rows; and the class probabilities of multi-class logistic regressions, which
// must be liblinear's.
#include <doctest/doctest.h>
#include <linear.h>

#include <cmath>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/model/cross_validation.h"
#include "mlpipe/model/imputation.h"
#include "mlpipe/model/model.h"
#include "mlpipe/model/train.h"

using namespace mlpipe;

namespace {

// Two number columns; the second is missing in every third row.
Dataset tabular_rows() {
  Dataset d;
  d.class_names = {"hi", "lo"};
  d.class_labels = {1, -1};
  for (int i = 0; i < 24; ++i) {
    const double a = i < 12 ? 10.0 + i : 1.0 + i;
    const double b = i % 3 == 0 ? std::nan("") : 5.0 * (i % 4);
    d.add_row(std::vector<std::uint32_t>{1, 2}, std::vector<double>{a, b}, i % 2);
  }
  d.kinds = {FeatureKind::number, FeatureKind::number, FeatureKind::number};
  return d;
}

SparseVector vector_of(const Dataset& d, std::size_t r) {
  SparseVector x;
  for (std::size_t q = d.start[r]; d.nodes[q].index != -1; ++q)
    x.push(std::uint32_t(d.nodes[q].index), float(d.nodes[q].value));
  return x;
}

}  // namespace

TEST_CASE("cross-validation imputes (then scales) with each fold's training rows only") {
  Dataset d = tabular_rows();
  TrainParams p;
  p.kernel = KernelType::rbf;
  const int k = 3;
  std::vector<int> folds(d.rows());
  for (std::size_t r = 0; r < d.rows(); ++r) folds[r] = int((r / 2) % k);
  CvResult cv = cross_validate(d, p, folds, k, 1);
  for (int f = 0; f < k; ++f) {
    std::vector<std::size_t> train_rows;
    for (std::size_t r = 0; r < d.rows(); ++r)
      if (folds[r] != f) train_rows.push_back(r);
    const Imputation im = fit_imputation(d, train_rows);
    Dataset filled = impute_dataset(d, im, false);
    Dataset scaled = scale_dataset(filled, fit_scaling(filled, ScaleMethod::standard, train_rows));
    Trained t = train_model(scaled, p, train_rows);
    Model::Scratch s;
    for (std::size_t r = 0; r < d.rows(); ++r)
      if (folds[r] == f) CHECK(cv.scores[r] == doctest::Approx(t.model.decision(vector_of(scaled, r), s)));
  }
  // The model written fills with the mean over every row; a tree learner keeps NaN.
  TrainedWithScaling all = train_final_model(d, p);
  double sum = 0, n = 0;
  for (std::size_t r = 0; r < d.rows(); ++r)
    for (std::size_t q = d.start[r]; d.nodes[q].index != -1; ++q)
      if (d.nodes[q].index == 2 && !std::isnan(d.nodes[q].value)) sum += d.nodes[q].value, ++n;
  CHECK(all.imputation.fill[2] == doctest::Approx(sum / n));
  p.learner = Learner::forest;
  p.trees = 5;
  PreparedRows trees = prepare_rows(d, p);
  CHECK(std::isnan(trees.data->nodes[trees.data->start[0] + 1].value));
}

TEST_CASE("a multi-class logistic regression gives liblinear's class probabilities") {
  Dataset d;
  d.class_names = {"a", "b", "c"};
  d.class_labels = {1, 2, 3};
  const double rows[9][3] = {{10, 200, 0}, {12, 180, 0}, {15, 150, 0}, {30, 100, 1}, {33, 90, 1},
                             {28, 130, 1}, {50, 20, 2},  {55, 10, 2},  {45, 60, 2}};
  for (const auto& r : rows) d.add_row(std::vector<std::uint32_t>{1, 2}, std::vector<double>{r[0], r[1]}, r[2]);
  TrainParams p;
  p.learner = Learner::logistic;
  p.kernel = KernelType::linear;
  TrainedWithScaling t = train_final_model(d, p);
  REQUIRE(t.trained.intercepts.size() == 3);
  ModelInfo info;
  info.class_intercepts = t.trained.intercepts;
  Model m(t.trained.model.file(), info);
  CHECK(m.has_probability());

  // liblinear itself, on the rows as scaled for training (its bias a feature of value 1).
  const Scaling s = fit_scaling(d, ScaleMethod::standard);
  const Dataset scaled = scale_dataset(d, s);
  std::vector<std::vector<feature_node>> nodes(d.rows());
  std::vector<feature_node*> x(d.rows());
  std::vector<double> y(d.rows());
  for (std::size_t r = 0; r < d.rows(); ++r) {
    for (std::size_t q = scaled.start[r]; scaled.nodes[q].index != -1; ++q)
      nodes[r].push_back({scaled.nodes[q].index, scaled.nodes[q].value});
    nodes[r].push_back({3, 1.0});
    nodes[r].push_back({-1, 0});
    x[r] = nodes[r].data();
    y[r] = d.class_labels[std::size_t(d.target[r])];
  }
  problem prob{int(d.rows()), 3, y.data(), x.data(), 1.0};
  parameter par{};
  par.solver_type = L2R_LR;
  par.eps = 0.01;
  par.C = 1;
  model* reference = train(&prob, &par);
  Model::Scratch scratch;
  std::vector<double> ours, theirs(3);
  for (std::size_t r = 0; r < d.rows(); ++r) {
    SparseVector raw;
    raw.push(1, float(rows[r][0]));
    raw.push(2, float(rows[r][1]));
    const std::size_t best = m.predict_probability(raw, scratch, ours);
    CHECK(best == m.predict_class(raw, scratch));
    predict_probability(reference, x[r], theirs.data());
    for (std::size_t c = 0; c < 3; ++c) {
      // liblinear's class order is its labels' order; ours is the model's.
      std::size_t their_c = 0;
      while (reference->label[their_c] != m.labels()[c]) ++their_c;
      CHECK(ours[c] == doctest::Approx(theirs[their_c]).epsilon(1e-4));
    }
  }
  free_and_destroy_model(&reference);
  // Intercepts that do not fit the model are refused.
  info.class_intercepts = {0.5, 1};
  CHECK_THROWS_AS(Model(t.trained.model.file(), info), Error);
}
