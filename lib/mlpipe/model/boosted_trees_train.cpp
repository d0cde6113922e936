#include "mlpipe/model/boosted_trees_train.h"

#include <xgboost/c_api.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include <fmt/format.h>

#include "mlpipe/core/error.h"

namespace mlpipe {

namespace {

// XGBoost reports failure by a return code and a per-thread message.
void ok(int rc, const char* call) {
  if (rc != 0) {
    const char* msg = XGBGetLastError();
    throw Error(fmt::format("XGBoost {} failed: {}", call, msg && *msg ? msg : "(no message)"));
  }
}

// Owners of XGBoost's handles, so that an exception frees them.
struct DMatrix {
  DMatrixHandle h = nullptr;
  ~DMatrix() {
    if (h) XGDMatrixFree(h);
  }
};
struct Booster {
  BoosterHandle h = nullptr;
  ~Booster() {
    if (h) XGBoosterFree(h);
  }
};

void set(BoosterHandle b, const char* key, const std::string& value) {
  ok(XGBoosterSetParam(b, key, value.c_str()), "XGBoosterSetParam");
}

// Shortest text that reads back as the same double (XGBoost parses it to float or double).
std::string num(double v) { return fmt::format("{}", v); }

// Per-row weights from class weights and balancing; empty when every weight is 1.
std::vector<float> row_weights(const Dataset& d, const BoostParams& p, const std::vector<std::size_t>& rows) {
  if (!d.classification) return {};
  // As libsvm training does: n / (classes present × n_c), over these rows.
  std::vector<double> w = p.balanced ? balanced_weights(d, rows) : std::vector<double>(d.classes(), 1.0);
  for (std::size_t c = 0; c < p.class_weight.size() && c < w.size(); ++c) w[c] *= p.class_weight[c];
  bool all_one = true;
  for (double x : w) all_one = all_one && x == 1.0;
  if (all_one) return {};
  std::vector<float> out;
  out.reserve(rows.size());
  for (std::size_t r : rows) out.push_back(float(w[std::size_t(d.target[r])]));
  return out;
}

}  // namespace

void check_boost_params(const BoostParams& p, const Dataset& d) {
  if (p.trees < 1) throw Error::usage("boosted trees: 'trees' must be >= 1");
  if (p.depth < 1) throw Error::usage("boosted trees: 'depth' must be >= 1");
  if (!(p.eta > 0 && p.eta <= 1)) throw Error::usage("boosted trees: 'eta' must be in (0, 1]");
  if (!(p.subsample > 0 && p.subsample <= 1)) throw Error::usage("boosted trees: 'subsample' must be in (0, 1]");
  if (!(p.colsample > 0 && p.colsample <= 1)) throw Error::usage("boosted trees: 'colsample' must be in (0, 1]");
  if (!(p.colsample_bynode > 0 && p.colsample_bynode <= 1))
    throw Error::usage("boosted trees: 'colsample_bynode' must be in (0, 1]");
  if (p.parallel_trees < 1) throw Error::usage("boosted trees: 'parallel_trees' must be >= 1");
  if (!(p.min_child_weight >= 0 && std::isfinite(p.min_child_weight)))
    throw Error::usage("boosted trees: 'min_child_weight' must be >= 0");
  if (!(p.lambda >= 0 && std::isfinite(p.lambda))) throw Error::usage("boosted trees: 'lambda' must be >= 0");
  if (p.threads < 1) throw Error::usage("boosted trees: 'threads' must be >= 1");
  if (d.classification && !p.class_weight.empty() && p.class_weight.size() != d.classes())
    throw Error::usage(fmt::format("boosted trees: {} class weights for {} classes", p.class_weight.size(), d.classes()));
  for (double w : p.class_weight)
    if (!(w > 0 && std::isfinite(w))) throw Error::usage("boosted trees: class weights must be > 0");
  if (d.rows() == 0) throw Error("no training rows in the input");
  if (d.classification && d.classes() < 2)
    throw Error(fmt::format("only one class in the training data ('{}'): a classifier needs two or more",
                            d.class_names.empty() ? "" : d.class_names[0]));
}

std::string train_boosted_trees(const Dataset& d, const BoostParams& p, const std::vector<std::size_t>& rows_in) {
  check_boost_params(p, d);
  std::vector<std::size_t> rows = rows_in;
  if (rows.empty()) {
    rows.resize(d.rows());
    for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = r;
  }

  // The rows as CSR, our feature index i as XGBoost's column i (column 0 stays empty); a
  // NaN (a missing cell of tabular rows) is left out: missing, as an absent feature.
  std::vector<std::size_t> indptr{0};
  std::vector<unsigned> indices;
  std::vector<float> values, labels;
  indptr.reserve(rows.size() + 1);
  labels.reserve(rows.size());
  for (std::size_t r : rows) {
    for (std::size_t k = d.start[r]; d.nodes[k].index != -1; ++k) {
      if (std::isnan(d.nodes[k].value)) continue;
      indices.push_back(unsigned(d.nodes[k].index));
      values.push_back(float(d.nodes[k].value));
    }
    indptr.push_back(indices.size());
    const double y = d.target[r];
    if (!d.classification) labels.push_back(float(y));
    else if (d.classes() == 2) labels.push_back(y == 0 ? 1.0f : 0.0f);  // class 0 is the positive one
    else labels.push_back(float(y));
  }
  std::vector<float> weights = row_weights(d, p, rows);

  // Verbosity is one of XGBoost's global settings, which it keeps per thread: set it on
  // every thread that trains, before anything can log.
  ok(XGBSetGlobalConfig("{\"verbosity\":0}"), "XGBSetGlobalConfig");

  DMatrix dm;
  ok(XGDMatrixCreateFromCSREx(indptr.data(), indices.data(), values.data(), indptr.size(), values.size(),
                              std::size_t(d.max_index) + 1, &dm.h),
     "XGDMatrixCreateFromCSREx");
  ok(XGDMatrixSetFloatInfo(dm.h, "label", labels.data(), labels.size()), "XGDMatrixSetFloatInfo(label)");
  if (!weights.empty())
    ok(XGDMatrixSetFloatInfo(dm.h, "weight", weights.data(), weights.size()), "XGDMatrixSetFloatInfo(weight)");

  Booster b;
  ok(XGBoosterCreate(&dm.h, 1, &b.h), "XGBoosterCreate");
  set(b.h, "verbosity", "0");
  set(b.h, "booster", "gbtree");
  // hist: fast, and deterministic for a given data set whatever the thread count (its
  // histograms are reduced in a fixed order); checked by the unit tests.
  set(b.h, "tree_method", "hist");
  set(b.h, "nthread", std::to_string(p.threads));
  // XGBoost's seed is an int; the low 31 bits of ours keep it non-negative.
  set(b.h, "seed", std::to_string(p.seed & 0x7fffffffu));
  set(b.h, "max_depth", std::to_string(p.depth));
  set(b.h, "eta", num(p.eta));
  set(b.h, "subsample", num(p.subsample));
  set(b.h, "colsample_bytree", num(p.colsample));
  if (p.colsample_bynode != 1) set(b.h, "colsample_bynode", num(p.colsample_bynode));
  if (p.parallel_trees != 1) set(b.h, "num_parallel_tree", std::to_string(p.parallel_trees));
  set(b.h, "min_child_weight", num(p.min_child_weight));
  set(b.h, "lambda", num(p.lambda));
  if (!d.classification) {
    set(b.h, "objective", "reg:squarederror");
    // Start from the mean target rather than XGBoost 1.7's fixed 0.5, so that
    // the first trees fit the variation, not the offset.
    double sum = 0;
    for (float y : labels) sum += y;
    set(b.h, "base_score", num(sum / double(labels.size())));
  } else if (d.classes() == 2) {
    set(b.h, "objective", "binary:logistic");
  } else {
    set(b.h, "objective", "multi:softprob");
    set(b.h, "num_class", std::to_string(d.classes()));
  }
  for (int i = 0; i < p.trees; ++i) ok(XGBoosterUpdateOneIter(b.h, i, dm.h), "XGBoosterUpdateOneIter");

  bst_ulong len = 0;
  const char* text = nullptr;
  ok(XGBoosterSaveModelToBuffer(b.h, "{\"format\":\"json\"}", &len, &text), "XGBoosterSaveModelToBuffer");
  return std::string(text, std::size_t(len));
}

}  // namespace mlpipe
