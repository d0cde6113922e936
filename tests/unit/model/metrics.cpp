// Metrics against hand-computed values (and scikit-learn's definitions), and the
// determinism of cross-validation folds.
#include <doctest/doctest.h>

#include <vector>

#include "mlpipe/model/folds.h"
#include "mlpipe/model/metrics.h"
#include "mlpipe/model/train.h"

using namespace mlpipe;

TEST_CASE("accuracy, precision, recall and F1 per class") {
  std::vector<int> truth{0, 0, 0, 1, 1, 2};
  std::vector<int> pred{0, 0, 1, 1, 2, 2};
  Metrics m = classification_metrics(truth, pred, 3);
  CHECK(m.accuracy == doctest::Approx(4.0 / 6));
  CHECK(m.per_class[0].precision == doctest::Approx(1.0));
  CHECK(m.per_class[0].recall == doctest::Approx(2.0 / 3));
  CHECK(m.per_class[0].f1 == doctest::Approx(0.8));
  CHECK(m.per_class[1].precision == doctest::Approx(0.5));
  CHECK(m.per_class[1].recall == doctest::Approx(0.5));
  CHECK(m.per_class[2].precision == doctest::Approx(0.5));
  CHECK(m.per_class[2].recall == doctest::Approx(1.0));
  CHECK(m.per_class[0].support == 3);
  CHECK(m.macro_f1 == doctest::Approx((0.8 + 0.5 + 2.0 / 3) / 3));
  CHECK_FALSE(m.roc_auc.has_value());
}

TEST_CASE("ROC AUC and average precision as scikit-learn computes them") {
  // sklearn.metrics.roc_auc_score([1,1,0,1,0,0],[0.9,0.8,0.7,0.6,0.55,0.2]) = 0.8888…
  std::vector<bool> pos{true, true, false, true, false, false};
  std::vector<double> s{0.9, 0.8, 0.7, 0.6, 0.55, 0.2};
  CHECK(*roc_auc(pos, s) == doctest::Approx(8.0 / 9));
  // average_precision_score: (1/3)*1 + (1/3)*1 + (1/3)*(3/4) = 0.91666…
  CHECK(*average_precision(pos, s) == doctest::Approx(11.0 / 12));
  // Ties count one half, and group together for average precision.
  std::vector<double> tied{1, 1, 1, 1, 1, 1};
  CHECK(*roc_auc(pos, tied) == doctest::Approx(0.5));
  CHECK(*average_precision(pos, tied) == doctest::Approx(0.5));
  CHECK_FALSE(roc_auc({true, true}, {1, 2}).has_value());
}

TEST_CASE("two classes with scores get AUC and AP with class 0 positive") {
  std::vector<double> scores{2, -1, 0.5, -2};
  Metrics m = classification_metrics({0, 1, 0, 1}, {0, 1, 1, 1}, 2, &scores);
  CHECK(*m.roc_auc == doctest::Approx(1.0));
  CHECK(*m.average_precision == doctest::Approx(1.0));
}

TEST_CASE("regression metrics") {
  Metrics m = regression_metrics({1, 2, 3, 4}, {1.5, 2, 2.5, 5});
  CHECK(m.mse == doctest::Approx((0.25 + 0 + 0.25 + 1) / 4));
  CHECK(m.mae == doctest::Approx((0.5 + 0 + 0.5 + 1) / 4));
  CHECK(m.r2 == doctest::Approx(1 - 1.5 / 5));
}

namespace {
Dataset labelled(std::size_t n, std::size_t classes) {
  Dataset d;
  d.classification = true;
  for (std::size_t c = 0; c < classes; ++c) {
    d.class_names.push_back(std::string(1, char('a' + c)));
    d.class_labels.push_back(int(c) + 1);
  }
  std::vector<std::uint32_t> idx{1};
  for (std::size_t i = 0; i < n; ++i) d.add_row(idx, std::vector<double>{double(i)}, double(i % classes));
  return d;
}
}  // namespace

TEST_CASE("folds are deterministic, stratified and balanced") {
  Dataset d = labelled(103, 3);
  std::vector<int> a = assign_folds(d, 5, 42), b = assign_folds(d, 5, 42), c = assign_folds(d, 5, 43);
  CHECK(a == b);
  CHECK(a != c);
  // Each fold holds each class within one row of its share.
  for (int f = 0; f < 5; ++f)
    for (std::size_t cls = 0; cls < 3; ++cls) {
      int n = 0, total = 0;
      for (std::size_t r = 0; r < d.rows(); ++r)
        if (std::size_t(d.target[r]) == cls) {
          ++total;
          n += a[r] == f;
        }
      CHECK(n >= total / 5 - 1);
      CHECK(n <= total / 5 + 1);
    }
  Dataset small = labelled(10, 2);
  std::vector<int> fs = assign_folds(small, 2, 1);
  int ones = 0;
  for (int f : fs) ones += f;
  CHECK(ones == 5);
}
