// Prediction throughput of mlpipe's TreeEnsemble against XGBoost's own CPU predictor, one
// thread each, on the same rows and the same model, for bench/xgboost_predict.sh.
// Reads CSV rows "f1,…,fn,label" (scikit-learn's digits.csv) on stdin, trains a
// multi-class model with train_boosted_trees, then times, median of RUNS runs:
//   - TreeEnsemble::margins, row by row, from SparseVectors (what mlclassify does);
//   - XGBoosterPredictFromDMatrix on a DMatrix of the rows (built outside the timing, a
//     fresh one each run: XGBoost caches predictions per DMatrix);
//   - XGBoosterPredictFromCSR (in-place prediction, from the CSR arrays).
// Zeros are left out of the rows (missing values), as in mlpipe's sparse features.
// Checks that both give the same margins.   usage: xgboost_predict ROUNDS COPIES RUNS < digits.csv
#include <xgboost/c_api.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/model/boosted_trees.h"
#include "mlpipe/model/boosted_trees_train.h"

using namespace mlpipe;
using Clock = std::chrono::steady_clock;

namespace {

void ok(int rc) {
  if (rc != 0) throw Error(std::string("XGBoost: ") + XGBGetLastError());
}

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// An __array_interface__ for XGBoost's in-place prediction.
template <typename T>
std::string array_interface(const std::vector<T>& v, const char* typestr) {
  return fmt::format(R"({{"data":[{},true],"shape":[{}],"typestr":"{}","version":3}})",
                     reinterpret_cast<std::uintptr_t>(v.data()), v.size(), typestr);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: xgboost_predict ROUNDS COPIES RUNS < rows.csv\n");
    return 2;
  }
  const int rounds = std::atoi(argv[1]), copies = std::atoi(argv[2]), runs = std::atoi(argv[3]);
  try {
    // The data: label last; classes in order of appearance.
    Dataset d;
    std::vector<SparseVector> rows;
    for (std::string line; std::getline(std::cin, line);) {
      std::vector<double> v;
      std::stringstream s(line);
      for (std::string cell; std::getline(s, cell, ',');) v.push_back(std::stod(cell));
      if (v.size() < 2) continue;
      int label = int(v.back());
      v.pop_back();
      std::size_t c = std::size_t(std::find(d.class_labels.begin(), d.class_labels.end(), label) - d.class_labels.begin());
      if (c == d.class_labels.size()) {
        d.class_labels.push_back(label);
        d.class_names.push_back(std::to_string(label));
      }
      SparseVector x;
      for (std::size_t j = 0; j < v.size(); ++j)
        if (v[j] != 0) x.push(std::uint32_t(j + 1), float(v[j]));
      d.add_row(x.idx, x.val, double(c));
      rows.push_back(std::move(x));
    }
    BoostParams p;
    p.trees = rounds;
    p.depth = 6;
    p.threads = 2;
    auto t0 = Clock::now();
    const std::string json = train_boosted_trees(d, p);
    const double train_s = seconds_since(t0);
    t0 = Clock::now();
    const TreeEnsemble t = TreeEnsemble::parse(json, "model");
    const double parse_s = seconds_since(t0);

    // The rows to predict: the data `copies` times, as CSR too.
    std::vector<SparseVector> xs;
    for (int k = 0; k < copies; ++k) xs.insert(xs.end(), rows.begin(), rows.end());
    std::vector<std::size_t> indptr{0};
    std::vector<unsigned> indices;
    std::vector<float> values;
    for (const SparseVector& x : xs) {
      indices.insert(indices.end(), x.idx.begin(), x.idx.end());
      values.insert(values.end(), x.val.begin(), x.val.end());
      indptr.push_back(indices.size());
    }
    const std::size_t n = xs.size(), k = t.outputs();

    BoosterHandle b = nullptr;
    ok(XGBoosterCreate(nullptr, 0, &b));
    t0 = Clock::now();
    ok(XGBoosterLoadModelFromBuffer(b, json.data(), json.size()));
    const double xgb_load_s = seconds_since(t0);
    ok(XGBoosterSetParam(b, "nthread", "1"));
    bst_ulong cols = 0;
    ok(XGBoosterGetNumFeature(b, &cols));

    std::vector<float> ours(n * k), theirs;
    std::vector<double> ours_s, dmatrix_s, inplace_s;
    TreeEnsemble::Scratch scratch;
    const char* margin_config = R"({"type": 1, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false, "missing": NaN, "cache_id": 0})";
    const std::string ip = array_interface(indptr, "<u8"), ix = array_interface(indices, "<u4"),
                      iv = array_interface(values, "<f4");
    for (int r = 0; r < runs; ++r) {
      t0 = Clock::now();
      for (std::size_t i = 0; i < n; ++i) t.margins(xs[i], scratch, ours.data() + i * k);
      ours_s.push_back(seconds_since(t0));

      DMatrixHandle m = nullptr;
      ok(XGDMatrixCreateFromCSREx(indptr.data(), indices.data(), values.data(), indptr.size(), values.size(), cols, &m));
      const bst_ulong* shape = nullptr;
      bst_ulong dim = 0;
      const float* out = nullptr;
      t0 = Clock::now();
      ok(XGBoosterPredictFromDMatrix(b, m, margin_config, &shape, &dim, &out));
      dmatrix_s.push_back(seconds_since(t0));
      if (r == 0) theirs.assign(out, out + n * k);
      ok(XGDMatrixFree(m));

      t0 = Clock::now();
      ok(XGBoosterPredictFromCSR(b, ip.c_str(), ix.c_str(), iv.c_str(), cols, margin_config, nullptr, &shape, &dim,
                                 &out));
      inplace_s.push_back(seconds_since(t0));
      if (r == 0 && !std::equal(theirs.begin(), theirs.end(), out)) throw Error("XGBoost's two predictors differ");
    }
    XGBoosterFree(b);
    std::size_t differ = 0;
    for (std::size_t i = 0; i < ours.size(); ++i) differ += ours[i] != theirs[i];

    const double o = median(ours_s), dm = median(dmatrix_s), in = median(inplace_s);
    std::printf("model: %zu trees (%d rounds x %zu classes, depth <= %d), %zu nodes, %.1f KB of JSON; trained in %.2f s "
                "(2 threads)\n",
                t.trees(), rounds, k, t.depth(), t.nodes(), json.size() / 1024.0, train_s);
    std::printf("rows: %zu (%zu distinct x %d), %.1f nonzeros each; margins differing from XGBoost's: %zu of %zu\n", n,
                rows.size(), copies, double(values.size()) / double(n), differ, ours.size());
    std::printf("model load: TreeEnsemble::parse %.1f ms, XGBoosterLoadModelFromBuffer %.1f ms\n", parse_s * 1e3,
                xgb_load_s * 1e3);
    std::printf("%-52s %10s %12s %8s\n", "one thread, median of runs", "seconds", "rows/s", "ours is");
    std::printf("%-52s %10.4f %12.0f %8s\n", "mlpipe TreeEnsemble::margins (row by row)", o, n / o, "");
    std::printf("%-52s %10.4f %12.0f %7.2fx\n", "XGBoost XGBoosterPredictFromDMatrix (batch)", dm, n / dm, dm / o);
    std::printf("%-52s %10.4f %12.0f %7.2fx\n", "XGBoost XGBoosterPredictFromCSR (in-place, batch)", in, n / in, in / o);
    return differ == 0 ? 0 : 1;
  } catch (const Error& e) {
    std::fprintf(stderr, "xgboost_predict: error: %s\n", e.what());
    return 1;
  }
}
