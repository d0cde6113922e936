// Scaling fitted on training rows, applied to vectors, and folded into linear models.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "mlpipe/model/cross_validation.h"
#include "mlpipe/model/scaling.h"
#include "mlpipe/model/train.h"

using namespace mlpipe;

namespace {

Dataset two_features() {
  Dataset d;
  d.classification = false;
  // Feature 1: 1, 3 (mean 2, sd 1); feature 2: absent (0), 4 (mean 2, sd 2).
  d.add_row(std::vector<std::uint32_t>{1}, std::vector<double>{1.0}, 0);
  d.add_row(std::vector<std::uint32_t>{1, 2}, std::vector<double>{3.0, 4.0}, 1);
  return d;
}

}  // namespace

TEST_CASE("standard scaling counts absent features as zeros") {
  Dataset d = two_features();
  Scaling s = fit_scaling(d, ScaleMethod::standard);
  REQUIRE(s.dimension() == 2);
  CHECK(s.offset[1] == doctest::Approx(2));
  CHECK(s.factor[1] == doctest::Approx(1));
  CHECK(s.offset[2] == doctest::Approx(2));
  CHECK(s.factor[2] == doctest::Approx(0.5));
  SparseVector x, out;
  x.push(1, 1.0f);  // feature 2 absent: becomes (0 - 2) / 2 = -1
  s.apply(x, out);
  REQUIRE(out.size() == 2);
  CHECK(out.val[0] == doctest::Approx(-1));
  CHECK(out.val[1] == doctest::Approx(-1));
  // An index the training never saw passes through.
  x.push(9, 5.0f);
  s.apply(x, out);
  CHECK(out.idx.back() == 9);
  CHECK(out.val.back() == 5.0f);
  // The scaled data set: both rows, every feature, zeros left out.
  Dataset scaled = scale_dataset(d, s);
  CHECK(scaled.nodes[0].index == 1);
  CHECK(scaled.nodes[0].value == doctest::Approx(-1));
  CHECK(scaled.nodes[1].index == 2);
  CHECK(scaled.nodes[1].value == doctest::Approx(-1));
}

TEST_CASE("fitting on some rows only: held-out rows do not shape the scaling") {
  Dataset d = two_features();
  Scaling s = fit_scaling(d, ScaleMethod::standard, {1});
  CHECK(s.offset[1] == doctest::Approx(3));
  CHECK(s.factor[1] == doctest::Approx(1));  // constant on that row: factor 1
}

TEST_CASE("min-max scaling counts implicit zeros in the range") {
  Dataset d = two_features();
  Scaling s = fit_scaling(d, ScaleMethod::minmax);
  CHECK(s.offset[1] == doctest::Approx(1));  // both rows hold feature 1: its minimum is 1
  CHECK(s.offset[2] == doctest::Approx(0));  // a row without feature 2 holds an implicit 0
  SparseVector x, out;
  x.push(2, 2.0f);
  s.apply(x, out);
  // Feature 1 spans [1, 3]: an absent one (0) maps to -0.5; feature 2 spans [0, 4].
  REQUIRE(out.size() == 2);
  CHECK(out.val[0] == doctest::Approx(-0.5));
  CHECK(out.val[1] == doctest::Approx(0.5));
}

TEST_CASE("a linear model trained on scaled rows reads raw rows once the scaling is folded in") {
  Dataset d;
  d.classification = true;
  d.class_names = {"a", "b", "c"};
  d.class_labels = {1, 2, 3};
  const double rows[6][3] = {{10, 200, 0}, {12, 180, 0}, {30, 100, 1}, {33, 90, 1}, {50, 20, 2}, {55, 10, 2}};
  for (const auto& r : rows)
    d.add_row(std::vector<std::uint32_t>{1, 2}, std::vector<double>{r[0], r[1]}, r[2]);
  for (Learner l : {Learner::svm, Learner::logistic, Learner::crammer_singer}) {
    TrainParams p;
    p.learner = l;
    p.kernel = KernelType::linear;
    p.scale = ScaleMethod::standard;
    TrainedWithScaling t = train_final_model(d, p);
    CHECK(t.folded == ScaleMethod::standard);
    CHECK(t.scaling.method == ScaleMethod::none);
    // The same decisions as the scaled model on scaled rows.
    Scaling s = fit_scaling(d, ScaleMethod::standard);
    Trained scaled = train_model(scale_dataset(d, s), p);
    Model::Scratch a, b;
    for (const auto& r : rows) {
      SparseVector x, xs;
      x.push(1, float(r[0]));
      x.push(2, float(r[1]));
      s.apply(x, xs);
      std::vector<double> da, db;
      t.trained.model.decision_values(x, a, da);
      scaled.model.decision_values(xs, b, db);
      REQUIRE(da.size() == db.size());
      for (std::size_t k = 0; k < da.size(); ++k) CHECK(da[k] == doctest::Approx(db[k]).epsilon(1e-5));
    }
  }
}

TEST_CASE("cross-validation fits the scaling on each fold's training rows only") {
  // One feature whose held-out values are far from the training ones: fitted on all rows,
  // the scaling would differ from the fold's, and so would the held-out decisions.
  Dataset d;
  d.class_names = {"hi", "lo"};
  d.class_labels = {1, -1};
  for (int i = 0; i < 12; ++i) {
    const double v = i < 6 ? 10.0 + i : 1.0 + i;
    d.add_row(std::vector<std::uint32_t>{1, 2}, std::vector<double>{v, 100.0 * (i % 3)}, i % 2);
  }
  TrainParams p;
  p.kernel = KernelType::rbf;
  p.scale = ScaleMethod::standard;
  const int k = 3;
  std::vector<int> folds(d.rows());
  for (std::size_t r = 0; r < d.rows(); ++r) folds[r] = int(r % k);
  CvResult cv = cross_validate(d, p, folds, k, 1);
  for (int f = 0; f < k; ++f) {
    std::vector<std::size_t> train_rows;
    for (std::size_t r = 0; r < d.rows(); ++r)
      if (folds[r] != f) train_rows.push_back(r);
    Dataset scaled = scale_dataset(d, fit_scaling(d, ScaleMethod::standard, train_rows));
    Trained t = train_model(scaled, p, train_rows);
    Model::Scratch s;
    for (std::size_t r = 0; r < d.rows(); ++r) {
      if (folds[r] != f) continue;
      SparseVector x;
      for (std::size_t q = scaled.start[r]; scaled.nodes[q].index != -1; ++q)
        x.push(std::uint32_t(scaled.nodes[q].index), float(scaled.nodes[q].value));
      CHECK(cv.scores[r] == doctest::Approx(t.model.decision(x, s)));
    }
  }
}
