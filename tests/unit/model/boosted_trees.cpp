// Gradient-boosted trees: our predictor against XGBoost's own on models XGBoost trains
// (binary, multi-class, regression, with missing features), deterministic training, and
// rejection of corrupted model files.
#include <doctest/doctest.h>
#include <omp.h>
#include <unistd.h>
#include <xgboost/c_api.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "../temp_dir.h"
#include "mlpipe/core/error.h"
#include "mlpipe/model/boosted_trees.h"
#include "mlpipe/model/boosted_trees_train.h"
#include "mlpipe/model/model.h"
#include "mlpipe/model/train.h"

using namespace mlpipe;
using mlpipe::testing::TempDir;

namespace {

// A libsvm-format file (tests/data/model/*.libsvm, features scaled to [-1, 1], zeros left
// out: they are missing values to XGBoost) as a Dataset; classes in order of appearance.
Dataset read_libsvm(const std::string& file, bool classification) {
  std::ifstream in(std::string(MLPIPE_TEST_DATA) + "/model/" + file);
  REQUIRE(in);
  Dataset d;
  d.classification = classification;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream s(line);
    double y;
    s >> y;
    std::vector<int> idx;
    std::vector<double> val;
    std::string tok;
    while (s >> tok) {
      auto colon = tok.find(':');
      idx.push_back(std::stoi(tok.substr(0, colon)));
      val.push_back(std::stod(tok.substr(colon + 1)));
    }
    double target = y;
    if (classification) {
      int label = int(y);
      std::size_t c = 0;
      while (c < d.class_labels.size() && d.class_labels[c] != label) ++c;
      if (c == d.class_labels.size()) {
        d.class_labels.push_back(label);
        d.class_names.push_back(fmt::format("c{}", label));
      }
      target = double(c);
    }
    d.add_row(idx, val, target);
  }
  return d;
}

SparseVector row_of(const Dataset& d, std::size_t r) {
  SparseVector x;
  for (std::size_t k = d.start[r]; d.nodes[k].index != -1; ++k) x.push(std::uint32_t(d.nodes[k].index), float(d.nodes[k].value));
  return x;
}

// Every row as it is, then every row with every third feature dropped (missing values
// down paths the training data did not take as often).
std::vector<SparseVector> test_rows(const Dataset& d) {
  std::vector<SparseVector> xs;
  for (std::size_t r = 0; r < d.rows(); ++r) xs.push_back(row_of(d, r));
  for (std::size_t r = 0; r < d.rows(); ++r) {
    SparseVector x = row_of(d, r), y;
    for (std::size_t k = 0; k < x.size(); ++k)
      if ((k + r) % 3 != 0) y.push(x.idx[k], x.val[k]);
    xs.push_back(y);
  }
  xs.emplace_back();  // nothing at all: every split takes its default
  return xs;
}

void ok(int rc) {
  if (rc != 0) FAIL(XGBGetLastError());
}

// XGBoost's own predictions of `json` on `xs`: type 0 = transformed, 1 = margins.
std::vector<float> xgboost_predict(const std::string& json, const std::vector<SparseVector>& xs, int type) {
  BoosterHandle b = nullptr;
  ok(XGBoosterCreate(nullptr, 0, &b));
  ok(XGBoosterLoadModelFromBuffer(b, json.data(), json.size()));
  ok(XGBoosterSetParam(b, "nthread", "1"));
  bst_ulong cols = 0;
  ok(XGBoosterGetNumFeature(b, &cols));
  std::vector<std::size_t> ptr{0};
  std::vector<unsigned> idx;
  std::vector<float> val;
  for (const SparseVector& x : xs) {
    for (std::size_t k = 0; k < x.size(); ++k) {
      idx.push_back(x.idx[k]);
      val.push_back(x.val[k]);
    }
    ptr.push_back(idx.size());
  }
  DMatrixHandle m = nullptr;
  ok(XGDMatrixCreateFromCSREx(ptr.data(), idx.data(), val.data(), ptr.size(), val.size(), cols, &m));
  std::string config = fmt::format(
      R"({{"type": {}, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false}})", type);
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* out = nullptr;
  ok(XGBoosterPredictFromDMatrix(b, m, config.c_str(), &shape, &dim, &out));
  bst_ulong n = 1;
  for (bst_ulong i = 0; i < dim; ++i) n *= shape[i];
  std::vector<float> result(out, out + n);
  XGDMatrixFree(m);
  XGBoosterFree(b);
  return result;
}

// Our margins for every row, outputs() per row.
std::vector<float> our_margins(const TreeEnsemble& t, const std::vector<SparseVector>& xs) {
  TreeEnsemble::Scratch s;
  std::vector<float> out(xs.size() * t.outputs());
  for (std::size_t r = 0; r < xs.size(); ++r) t.margins(xs[r], s, out.data() + r * t.outputs());
  return out;
}

std::string trees_error_of(const std::string& json) {
  try {
    TreeEnsemble::parse(json, "bad.json");
  } catch (const Error& e) {
    CHECK(e.file() == "bad.json");
    return e.what();
  }
  return "(no error)";
}

BoostParams small_params() {
  BoostParams p;
  p.trees = 30;
  p.depth = 4;
  p.eta = 0.3;
  return p;
}

// A hand-written model: one tree given by its arrays, on `num_feature` columns.
std::string tiny_model(const std::string& left, const std::string& right, const std::string& split_indices,
                       const std::string& split_conditions, const std::string& default_left, int num_nodes,
                       int num_feature = 10, const std::string& objective = "reg:squarederror",
                       const std::string& base_score = "5E-1") {
  return fmt::format(
      R"({{"learner":{{"attributes":{{}},"feature_names":[],"feature_types":[],"gradient_booster":{{"model":{{)"
      R"("gbtree_model_param":{{"num_parallel_tree":"1","num_trees":"1","size_leaf_vector":"0"}},"tree_info":[0],)"
      R"("trees":[{{"base_weights":[],"categories":[],"categories_nodes":[],"categories_segments":[],)"
      R"("categories_sizes":[],"default_left":[{}],"id":0,"left_children":[{}],"loss_changes":[],"parents":[],)"
      R"("right_children":[{}],"split_conditions":[{}],"split_indices":[{}],"split_type":[],"sum_hessian":[],)"
      R"("tree_param":{{"num_deleted":"0","num_feature":"{}","num_nodes":"{}","size_leaf_vector":"0"}}}}]}},)"
      R"("name":"gbtree"}},"learner_model_param":{{"base_score":"{}","boost_from_average":"1","num_class":"0",)"
      R"("num_feature":"{}","num_target":"1"}},"objective":{{"name":"{}","reg_loss_param":{{"scale_pos_weight":"1"}}}}}},)"
      R"("version":[1,7,4]}})",
      default_left, left, right, split_conditions, split_indices, num_feature, num_nodes, base_score, num_feature,
      objective);
}

// Node 0 splits on feature 2 at 0.1 (missing goes right); leaves 1 (left) = -1, 2 = 2.
std::string valid_tiny() { return tiny_model("1,-1,-1", "2,-1,-1", "2,0,0", "1E-1,-1E0,2E0", "0,0,0", 3); }

std::size_t count_if_different(const std::vector<float>& a, const std::vector<float>& b) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < a.size(); ++i) n += a[i] != b[i];
  return n;
}

}  // namespace

TEST_CASE("binary: our margins are XGBoost's, bit for bit, and > 0 means the first class") {
  Dataset d = read_libsvm("cancer.libsvm", true);
  REQUIRE(d.classes() == 2);
  BoostParams p = small_params();
  p.subsample = 0.8;
  p.colsample = 0.7;
  std::string json = train_boosted_trees(d, p);
  TreeEnsemble t = TreeEnsemble::parse(json, "cancer");
  CHECK(t.task() == TreeTask::binary);
  CHECK(t.outputs() == 1);
  CHECK(t.classes() == 2);
  CHECK(t.trees() == 30);
  CHECK(t.depth() <= 4);
  CHECK(t.version() == "1.7.4");
  CHECK(t.max_index() <= d.max_index);
  CHECK(t.max_index() > 0);

  std::vector<SparseVector> xs = test_rows(d);
  std::vector<float> ours = our_margins(t, xs);
  std::vector<float> theirs = xgboost_predict(json, xs, 1);
  REQUIRE(ours.size() == theirs.size());
  CHECK(count_if_different(ours, theirs) == 0);

  // XGBoost's probability is the sigmoid of that margin.
  std::vector<float> prob = xgboost_predict(json, xs, 0);
  for (std::size_t r = 0; r < xs.size(); ++r) CHECK(1 / (1 + std::exp(-double(ours[r]))) == doctest::Approx(prob[r]).epsilon(1e-6));

  // The positive class is the data's first class (class index 0).
  std::size_t agree = 0;
  for (std::size_t r = 0; r < d.rows(); ++r) agree += (ours[r] > 0) == (d.target[r] == 0);
  CHECK(agree >= d.rows() * 95 / 100);
}

TEST_CASE("multi-class: one margin per class, in class order, as XGBoost computes them") {
  Dataset d = read_libsvm("iris.libsvm", true);
  REQUIRE(d.classes() == 3);
  BoostParams p = small_params();
  p.trees = 20;
  std::string json = train_boosted_trees(d, p);
  TreeEnsemble t = TreeEnsemble::parse(json, "iris");
  CHECK(t.task() == TreeTask::multiclass);
  CHECK(t.outputs() == 3);
  CHECK(t.classes() == 3);
  CHECK(t.trees() == 60);

  std::vector<SparseVector> xs = test_rows(d);
  std::vector<float> ours = our_margins(t, xs);
  std::vector<float> theirs = xgboost_predict(json, xs, 1);
  REQUIRE(ours.size() == theirs.size());
  CHECK(count_if_different(ours, theirs) == 0);

  std::vector<float> prob = xgboost_predict(json, xs, 0);
  std::size_t correct = 0;
  for (std::size_t r = 0; r < xs.size(); ++r) {
    double mx = std::max({ours[3 * r], ours[3 * r + 1], ours[3 * r + 2]}), sum = 0;
    for (int c = 0; c < 3; ++c) sum += std::exp(ours[3 * r + c] - mx);
    for (int c = 0; c < 3; ++c) CHECK(std::exp(ours[3 * r + c] - mx) / sum == doctest::Approx(prob[3 * r + c]).epsilon(1e-6));
    if (r < d.rows()) {
      std::size_t best = std::size_t(std::max_element(&ours[3 * r], &ours[3 * r] + 3) - &ours[3 * r]);
      correct += best == std::size_t(d.target[r]);
    }
  }
  CHECK(correct >= d.rows() * 95 / 100);
}

TEST_CASE("regression: the margin is XGBoost's prediction") {
  Dataset d = read_libsvm("diabetes.libsvm", false);
  BoostParams p = small_params();
  p.subsample = 0.7;
  std::string json = train_boosted_trees(d, p);
  TreeEnsemble t = TreeEnsemble::parse(json, "diabetes");
  CHECK(t.task() == TreeTask::regression);
  CHECK(t.classes() == 0);
  double mean = 0;
  for (double y : d.target) mean += y;
  mean /= double(d.rows());
  CHECK(t.base_margin() == doctest::Approx(mean).epsilon(1e-6));  // starts from the mean target

  std::vector<SparseVector> xs = test_rows(d);
  std::vector<float> ours = our_margins(t, xs);
  CHECK(count_if_different(ours, xgboost_predict(json, xs, 1)) == 0);
  CHECK(count_if_different(ours, xgboost_predict(json, xs, 0)) == 0);
  // It fits: training error well under the targets' spread.
  double se = 0, var = 0;
  for (std::size_t r = 0; r < d.rows(); ++r) {
    se += (ours[r] - d.target[r]) * (ours[r] - d.target[r]);
    var += (d.target[r] - mean) * (d.target[r] - mean);
  }
  CHECK(se < 0.5 * var);
}

TEST_CASE("training on a subset of rows, with class weights, still matches XGBoost") {
  Dataset d = read_libsvm("iris.libsvm", true);
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < d.rows(); r += 2) rows.push_back(r);
  BoostParams p = small_params();
  p.class_weight = {1, 3, 0.5};
  p.balanced = true;
  std::string json = train_boosted_trees(d, p, rows);
  BoostParams plain = small_params();
  CHECK(json != train_boosted_trees(d, plain, rows));  // the weights change the model
  CHECK(json != train_boosted_trees(d, p));            // and so do the rows
  TreeEnsemble t = TreeEnsemble::parse(json, "iris");
  std::vector<SparseVector> xs = test_rows(d);
  CHECK(count_if_different(our_margins(t, xs), xgboost_predict(json, xs, 1)) == 0);
}

TEST_CASE("a random forest: parallel trees in one round, their margins XGBoost's and averaged") {
  Dataset d = read_libsvm("cancer.libsvm", true);
  BoostParams p;
  p.trees = 1;
  p.depth = 8;
  p.eta = 1;
  p.subsample = 0.632;
  p.colsample_bynode = 0.2;
  p.min_child_weight = 0.25;
  p.lambda = 1e-5;
  p.parallel_trees = 40;
  std::string json = train_boosted_trees(d, p);
  TreeEnsemble forest = TreeEnsemble::parse(json, "forest");
  CHECK(forest.trees() == 40);
  std::vector<SparseVector> xs = test_rows(d);
  std::vector<float> ours = our_margins(forest, xs);
  CHECK(count_if_different(ours, xgboost_predict(json, xs, 1)) == 0);
  // XGBoost divides each tree's leaves by the trees of the round: the forest's margins are
  // the trees' average, on the scale of one tree's, not forty times it.
  p.parallel_trees = 1;
  TreeEnsemble one = TreeEnsemble::parse(train_boosted_trees(d, p), "tree");
  double forest_size = 0, tree_size = 0;
  std::vector<float> single = our_margins(one, xs);
  for (std::size_t r = 0; r < d.rows(); ++r) {
    forest_size += std::fabs(ours[r] - forest.base_margin());
    tree_size += std::fabs(single[r] - one.base_margin());
  }
  CHECK(forest_size < 2 * tree_size);
  std::size_t agree = 0;
  for (std::size_t r = 0; r < d.rows(); ++r) agree += (ours[r] > 0) == (d.target[r] == 0);
  CHECK(agree >= d.rows() * 95 / 100);

  // Multi-class and regression forests predict as XGBoost does too.
  p.parallel_trees = 25;
  Dataset iris = read_libsvm("iris.libsvm", true);
  json = train_boosted_trees(iris, p);
  TreeEnsemble multi = TreeEnsemble::parse(json, "iris");
  CHECK(multi.trees() == 75);
  xs = test_rows(iris);
  CHECK(count_if_different(our_margins(multi, xs), xgboost_predict(json, xs, 1)) == 0);
  Dataset diabetes = read_libsvm("diabetes.libsvm", false);
  json = train_boosted_trees(diabetes, p);
  xs = test_rows(diabetes);
  CHECK(count_if_different(our_margins(TreeEnsemble::parse(json, "diabetes"), xs), xgboost_predict(json, xs, 1)) == 0);
}

TEST_CASE("tabular rows: NaN is XGBoost's missing value, 0 a value like any other") {
  // Feature 1 is 0 in the rows of the first class and missing (NaN) in the others': only a
  // 0 kept as a value tells them apart.
  Dataset d;
  d.class_names = {"a", "b"};
  d.class_labels = {1, -1};
  for (int i = 0; i < 60; ++i) {
    const bool first = i % 2 == 0;
    d.add_row(std::vector<std::uint32_t>{1, 2}, std::vector<double>{first ? 0.0 : std::nan(""), double(i % 7)},
              first ? 0 : 1);
  }
  d.kinds = {FeatureKind::number, FeatureKind::number, FeatureKind::number};
  const std::string json = train_boosted_trees(d, small_params());
  TreeEnsemble t = TreeEnsemble::parse(json, "tabular");
  SparseVector zero, nan_value, absent;
  zero.push(1, 0.0f);
  zero.push(2, 3.0f);
  nan_value.push(1, std::nanf(""));
  nan_value.push(2, 3.0f);
  absent.push(2, 3.0f);
  std::vector<float> ours = our_margins(t, {zero, nan_value, absent});
  CHECK(ours[0] > 0);   // the first class
  CHECK(ours[1] < 0);   // missing: the second
  CHECK(ours[1] == ours[2]);
  std::vector<float> theirs = xgboost_predict(json, {zero, absent}, 1);
  CHECK(ours[0] == theirs[0]);
  CHECK(ours[2] == theirs[1]);
}

TEST_CASE("training is deterministic: same bytes across runs, thread counts and concurrent trainings") {
  Dataset d = read_libsvm("cancer.libsvm", true);
  BoostParams p = small_params();
  p.subsample = 0.7;
  p.colsample = 0.6;
  p.seed = 42;
  const int omp_threads = omp_get_max_threads();
  const std::string first = train_boosted_trees(d, p);
  CHECK(omp_get_max_threads() == omp_threads);  // XGBoost leaves the caller's OpenMP settings alone
  CHECK(train_boosted_trees(d, p) == first);
  BoostParams two = p;
  two.threads = 2;
  CHECK(train_boosted_trees(d, two) == first);
  BoostParams other = p;
  other.seed = 43;
  CHECK(train_boosted_trees(d, other) != first);  // the seed matters when sampling

  // Four trainings at once (as cross-validation runs folds), each alike its sequential twin.
  std::vector<std::vector<std::size_t>> folds(4);
  for (std::size_t r = 0; r < d.rows(); ++r)
    for (std::size_t f = 0; f < 4; ++f)
      if (r % 4 != f) folds[f].push_back(r);
  std::vector<std::string> sequential, parallel(4);
  for (std::size_t f = 0; f < 4; ++f) sequential.push_back(train_boosted_trees(d, p, folds[f]));
  std::vector<std::thread> threads;
  for (std::size_t f = 0; f < 4; ++f)
    threads.emplace_back([&, f] { parallel[f] = train_boosted_trees(d, p, folds[f]); });
  for (auto& th : threads) th.join();
  for (std::size_t f = 0; f < 4; ++f) CHECK(parallel[f] == sequential[f]);
}

TEST_CASE("training prints nothing, and bad parameters or data are errors") {
  Dataset d = read_libsvm("iris.libsvm", true);
  // Capture file descriptors 1 and 2 while training.
  std::fflush(stdout);
  std::fflush(stderr);
  char name[] = "/tmp/mlpipe-xgb-XXXXXX";
  int fd = mkstemp(name);
  REQUIRE(fd >= 0);
  int saved_out = dup(1), saved_err = dup(2);
  dup2(fd, 1);
  dup2(fd, 2);
  BoostParams p = small_params();
  p.threads = 2;
  std::string json = train_boosted_trees(d, p);
  std::fflush(stdout);
  std::fflush(stderr);
  dup2(saved_out, 1);
  dup2(saved_err, 2);
  close(saved_out);
  close(saved_err);
  off_t size = lseek(fd, 0, SEEK_END);
  close(fd);
  unlink(name);
  CHECK(size == 0);
  CHECK(!json.empty());

  BoostParams bad = small_params();
  bad.eta = 0;
  CHECK_THROWS_AS(train_boosted_trees(d, bad), Error);
  bad = small_params();
  bad.class_weight = {1, 2};  // three classes
  CHECK_THROWS_AS(train_boosted_trees(d, bad), Error);
  Dataset one;
  one.class_names = {"a"};
  one.class_labels = {1};
  one.add_row(std::vector<int>{1}, std::vector<double>{1.0}, 0);
  CHECK_THROWS_AS(train_boosted_trees(one, small_params()), Error);
}

TEST_CASE("a hand-written tree: float thresholds, default directions, base score") {
  TreeEnsemble t = TreeEnsemble::parse(valid_tiny(), "tiny.json");
  CHECK(t.nodes() == 3);
  CHECK(t.leaves() == 2);
  CHECK(t.max_index() == 2);
  TreeEnsemble::Scratch s;
  auto margin = [&](SparseVector x) {
    float m = 0;
    t.margins(x, s, &m);
    return m;
  };
  SparseVector x;
  CHECK(margin(x) == 0.5f + 2.0f);  // missing: right (default_left 0)
  x.push(2, 0.1f);
  CHECK(margin(x) == 0.5f + 2.0f);  // equal to the threshold: not less, right
  x.val[0] = std::nextafter(0.1f, 0.0f);
  CHECK(margin(x) == 0.5f - 1.0f);  // just below: left
  x.clear();
  x.push(1, -5);
  x.push(3, -5);
  CHECK(margin(x) == 0.5f + 2.0f);  // other features do not matter

  // Default left; a split on a feature beyond the dense table is read by binary search.
  TreeEnsemble big = TreeEnsemble::parse(
      tiny_model("1,-1,-1", "2,-1,-1", "5000000,0,0", "1E-1,-1E0,2E0", "1,0,0", 3, 5000001), "big.json");
  CHECK(big.max_index() == 5000000);
  float m = 0;
  big.margins(SparseVector{}, s, &m);
  CHECK(m == 0.5f - 1.0f);
  SparseVector y;
  y.push(7, 1);
  y.push(5000000, 0.5f);
  big.margins(y, s, &m);
  CHECK(m == 0.5f + 2.0f);
  y.val[1] = -1;
  big.margins(y, s, &m);
  CHECK(m == 0.5f - 1.0f);

  // binary:logistic starts from logit(base_score).
  TreeEnsemble logit = TreeEnsemble::parse(
      tiny_model("-1", "-1", "0", "2.5E-1", "0", 1, 10, "binary:logistic", "2E-1"), "logit.json");
  logit.margins(SparseVector{}, s, &m);
  CHECK(m == doctest::Approx(std::log(0.2 / 0.8) + 0.25).epsilon(1e-6));
}

TEST_CASE("corrupted models are rejected with the file named, never a crash") {
  CHECK(trees_error_of(valid_tiny()) == "(no error)");
  CHECK(trees_error_of("") != "(no error)");
  CHECK(trees_error_of("svm_type c_svc\n").find("invalid JSON") != std::string::npos);
  CHECK(trees_error_of("[1,2]").find("expected a JSON object") != std::string::npos);
  CHECK(trees_error_of("{}").find("no \"learner\"") != std::string::npos);
  CHECK(trees_error_of(valid_tiny() + "{}").find("after the model") != std::string::npos);

  // The hand-written tree broken in one way each, and what its error says.
  struct Row {
    std::string what;
    std::string json;
    std::string says;
  };
  const Row rows[] = {
      {"a child outside the tree", tiny_model("1,-1,-1", "3,-1,-1", "2,0,0", "1E-1,-1E0,2E0", "0,0,0", 3),
       "outside 0..2"},
      {"a node its own child", tiny_model("0,-1,-1", "2,-1,-1", "2,0,0", "1E-1,-1E0,2E0", "0,0,0", 3), "cycle"},
      {"a node the child of two", tiny_model("1,2,-1", "2,0,-1", "2,1,0", "1E-1,1E0,2E0", "0,0,0", 3), "reached twice"},
      {"one node both children", tiny_model("1,-1,-1", "1,-1,-1", "2,0,0", "1E-1,-1E0,2E0", "0,0,0", 3),
       "reached twice"},
      {"a right child alone", tiny_model("1,-1,-1", "2,-1,0", "2,0,0", "1E-1,-1E0,2E0", "0,0,0", 3), "no left child"},
      {"a feature past num_feature", tiny_model("1,-1,-1", "2,-1,-1", "10,0,0", "1E-1,-1E0,2E0", "0,0,0", 3),
       "feature 10, outside the model's num_feature 10"},
      {"a negative feature", tiny_model("1,-1,-1", "2,-1,-1", "-1,0,0", "1E-1,-1E0,2E0", "0,0,0", 3), "feature -1"},
      {"an array too short", tiny_model("1,-1,-1", "2,-1,-1", "2,0,0", "1E-1,-1E0", "0,0,0", 3), "split_conditions"},
      {"num_nodes not the arrays' length", tiny_model("1,-1,-1", "2,-1,-1", "2,0,0", "1E-1,-1E0,2E0", "0,0,0", 4),
       "num_nodes"},
      {"a string for a number", tiny_model("1,-1,-1", "2,-1,-1", "2,0,0", "1E-1,\"x\",2E0", "0,0,0", 3),
       "expected a number"},
      {"a threshold beyond a float", tiny_model("1,-1,-1", "2,-1,-1", "2,0,0", "1E-1,1E99,2E0", "0,0,0", 3),
       "expected a number, found '1E99'"},
      {"default_left neither 0 nor 1", tiny_model("1,-1,-1", "2,-1,-1", "2,0,0", "1E-1,-1E0,2E0", "0,7,0", 3),
       "expected 0 or 1"},
      {"an objective not supported",
       tiny_model("1,-1,-1", "2,-1,-1", "2,0,0", "1E-1,-1E0,2E0", "0,0,0", 3, 10, "rank:pairwise"), "not supported"},
      {"a logistic base_score of 1", tiny_model("-1", "-1", "0", "1E0", "0", 1, 10, "binary:logistic", "1E0"),
       "base_score"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.what);
    const std::string error = trees_error_of(row.json);
    CAPTURE(error);
    CHECK(error != "(no error)");
    CHECK(error.find(row.says) != std::string::npos);
  }

  // A real model cut short anywhere, or with bytes changed: an Error or a valid ensemble.
  Dataset d = read_libsvm("iris.libsvm", true);
  BoostParams p = small_params();
  p.trees = 3;
  const std::string json = train_boosted_trees(d, p);
  std::size_t errors = 0;
  for (std::size_t len = 0; len < json.size(); len += 7) {
    std::string cut = trees_error_of(json.substr(0, len));
    errors += cut != "(no error)";
  }
  CHECK(errors == (json.size() + 6) / 7);  // every truncation is an error
  std::mt19937 rng(5);
  const std::string junk = "0123456789-,[]{}\":eE.x ";
  for (int i = 0; i < 2000; ++i) {
    std::string m = json;
    for (int k = 0; k < 3; ++k) m[rng() % m.size()] = junk[rng() % junk.size()];
    try {
      TreeEnsemble t = TreeEnsemble::parse(m, "mutated.json");
      std::vector<float> out(t.outputs());
      TreeEnsemble::Scratch s;
      for (std::size_t r = 0; r < d.rows(); r += 10) t.margins(row_of(d, r), s, out.data());
    } catch (const Error& e) {
      CHECK(e.file() == "mutated.json");
    }
  }
}

namespace {

ModelInfo classes_of(const Dataset& d) {
  ModelInfo info;
  info.class_labels = d.class_labels;
  info.class_names = d.class_names;
  return info;
}

}  // namespace

TEST_CASE("Model over binary trees: decision, classes and probabilities as XGBoost says") {
  Dataset d = read_libsvm("cancer.libsvm", true);
  std::string json = train_boosted_trees(d, small_params());
  Model m = Model::from_trees(json, classes_of(d), "cancer.model");
  CHECK(m.is_trees());
  CHECK(m.learner() == "xgboost");
  CHECK(m.is_classifier());
  CHECK(!m.is_regression());
  CHECK(m.class_count() == 2);
  CHECK(m.labels() == d.class_labels);
  CHECK(m.class_names() == d.class_names);
  CHECK(m.decision_functions() == 1);
  CHECK(m.has_probability());
  CHECK(!m.is_linear());
  CHECK(m.support_vectors() == 0);
  CHECK(m.max_index() == m.trees().max_index());
  CHECK_THROWS_AS(m.file(), Error);
  CHECK_THROWS_AS(m.type(), Error);
  CHECK_THROWS_AS(m.kernel(), Error);
  CHECK_THROWS_AS(m.linear_weights(), Error);

  std::vector<SparseVector> xs = test_rows(d);
  std::vector<float> margin = xgboost_predict(json, xs, 1), prob = xgboost_predict(json, xs, 0);
  Model::Scratch s;
  std::vector<double> probs, values;
  for (std::size_t r = 0; r < xs.size(); ++r) {
    CHECK(m.decision(xs[r], s) == double(margin[r]));
    m.decision_values(xs[r], s, values);
    CHECK(values == std::vector<double>{double(margin[r])});
    const std::size_t c = m.predict_class(xs[r], s);
    CHECK(c == (margin[r] > 0 ? 0u : 1u));
    CHECK(m.predict(xs[r], s) == double(d.class_labels[c]));
    CHECK(m.predict_probability(xs[r], s, probs) == c);
    REQUIRE(probs.size() == 2);
    CHECK(probs[0] == doctest::Approx(prob[r]).epsilon(1e-6));  // P(first class) = XGBoost's P(y = 1)
    CHECK(probs[0] + probs[1] == doctest::Approx(1));
  }
}

TEST_CASE("Model over multi-class and regression trees") {
  Dataset iris = read_libsvm("iris.libsvm", true);
  std::string json = train_boosted_trees(iris, small_params());
  Model m = Model::from_trees(json, classes_of(iris), "iris.model");
  CHECK(m.class_count() == 3);
  CHECK(m.decision_functions() == 3);
  std::vector<SparseVector> xs = test_rows(iris);
  std::vector<float> margin = xgboost_predict(json, xs, 1), prob = xgboost_predict(json, xs, 0);
  Model::Scratch s;
  std::vector<double> probs, values;
  CHECK_THROWS_AS(m.decision(xs[0], s), Error);
  for (std::size_t r = 0; r < xs.size(); ++r) {
    m.decision_values(xs[r], s, values);
    REQUIRE(values.size() == 3);
    for (std::size_t c = 0; c < 3; ++c) CHECK(values[c] == double(margin[3 * r + c]));
    const std::size_t best = std::size_t(std::max_element(values.begin(), values.end()) - values.begin());
    CHECK(m.predict_class(xs[r], s) == best);
    CHECK(m.predict_probability(xs[r], s, probs) == best);
    for (std::size_t c = 0; c < 3; ++c) CHECK(probs[c] == doctest::Approx(prob[3 * r + c]).epsilon(1e-6));
  }

  Dataset diabetes = read_libsvm("diabetes.libsvm", false);
  json = train_boosted_trees(diabetes, small_params());
  Model reg = Model::from_trees(json, ModelInfo{}, "diabetes.model");
  CHECK(reg.is_regression());
  CHECK(!reg.is_classifier());
  CHECK(!reg.has_probability());
  CHECK(reg.class_count() == 2);  // libsvm's convention for non-classifiers
  xs = test_rows(diabetes);
  margin = xgboost_predict(json, xs, 0);
  for (std::size_t r = 0; r < xs.size(); ++r) {
    CHECK(reg.decision(xs[r], s) == double(margin[r]));
    CHECK(reg.predict(xs[r], s) == double(margin[r]));
  }
  CHECK_THROWS_AS(reg.predict_class(xs[0], s), Error);
  CHECK_THROWS_AS(reg.predict_probability(xs[0], s, probs), Error);
  CHECK_THROWS_AS(Model::from_trees(json, classes_of(iris), "diabetes.model"), Error);  // classes for regression
  CHECK_THROWS_AS(Model::from_trees(train_boosted_trees(iris, small_params()), classes_of(read_libsvm("cancer.libsvm", true)),
                                    "iris.model"),
                  Error);  // two classes named for three
}

TEST_CASE("load_model recognises XGBoost trees by content and reads classes from the sidecar") {
  TempDir dir;
  Dataset d = read_libsvm("cancer.libsvm", true);
  std::string json = train_boosted_trees(d, small_params());
  std::string path = dir.write("cancer.model", json);
  SparseVector x = row_of(d, 0);

  // No sidecar: XGBoost's labels, 1 (the positive class) first.
  Model bare = load_model(path, local_files());
  CHECK(bare.is_trees());
  CHECK(bare.labels() == std::vector<int>{1, 0});
  CHECK(bare.class_names() == std::vector<std::string>{"1", "0"});
  CHECK(!bare.info().has_sidecar);

  // mltrain's sidecar: learner and classes in model order.
  dir.write("cancer.model.json", R"({"mlpipe_model":1,"learner":"xgboost","classes":{"7":"malignant","3":"benign"},)"
                                 R"("threshold":{"decision":0.5}})");
  Model m = load_model(path, local_files());
  CHECK(m.labels() == std::vector<int>{7, 3});
  CHECK(m.class_names() == std::vector<std::string>{"malignant", "benign"});
  CHECK(m.info().learner == "xgboost");
  CHECK(m.info().threshold == 0.5);
  Model::Scratch s;
  CHECK(m.decision(x, s) == bare.decision(x, s));
  CHECK(m.predict(x, s) == (m.decision(x, s) > 0 ? 7 : 3));

  auto error_of_load = [&](const std::string& p) -> Error {
    try {
      load_model(p, local_files());
    } catch (const Error& e) {
      return e;
    }
    return Error("(no error)");
  };
  // A sidecar that does not fit the trees.
  dir.write("cancer.model.json", R"({"learner":"libsvm"})");
  CHECK(error_of_load(path).file() == path + ".json");
  dir.write("cancer.model.json", R"({"learner":"xgboost","classes":{"1":"a","2":"b","3":"c"}})");
  CHECK(std::string(error_of_load(path).what()).find("2") != std::string::npos);
  dir.write("cancer.model.json", R"({"learner":"xgboost","classes":{"x":"a","2":"b"}})");
  CHECK(std::string(error_of_load(path).what()).find("not an integer") != std::string::npos);
  dir.write("cancer.model.json", R"({"learner":"xgboost","classes":{"1":"a","1":"b"}})");
  CHECK(std::string(error_of_load(path).what()).find("twice") != std::string::npos);
  // A libsvm model whose sidecar says xgboost.
  std::ifstream svm(std::string(MLPIPE_TEST_DATA) + "/model/iris-rbf.model");
  std::stringstream svm_text;
  svm_text << svm.rdbuf();
  std::string svm_path = dir.write("iris.model", svm_text.str());
  CHECK(load_model(svm_path, local_files()).learner() == "libsvm");
  dir.write("iris.model.json", R"({"learner":"xgboost"})");
  CHECK(error_of_load(svm_path).file() == svm_path + ".json");
  // A damaged tree file is an error located at the model.
  std::string cut = dir.write("cut.model", json.substr(0, json.size() / 2));
  Error e = error_of_load(cut);
  CHECK(e.file() == cut);
  CHECK(std::string(e.what()).find("invalid JSON") != std::string::npos);
}
