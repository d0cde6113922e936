// See train.h.
#include "mlpipe/model/train.h"

#include <algorithm>
#include <cstddef>
#include <utility>

#include "mlpipe/model/boosted_trees_train.h"
#include "mlpipe/model/liblinear_train.h"
#include "mlpipe/model/libsvm_train.h"
#include "mlpipe/model/solver_common.h"

namespace mlpipe {

namespace {

Trained train_trees(const Dataset& d, const TrainParams& p, const std::vector<std::size_t>& rows) {
  BoostParams b;
  b.trees = p.trees;
  b.depth = tree_depth(p);
  b.eta = p.eta;
  b.seed = p.seed;
  if (p.learner == Learner::forest) {
    // A random forest: all its trees in one round, each fitting the same gradients from a
    // sample of the rows and of the features at each split, averaged (eta 1).
    b.trees = 1;
    b.parallel_trees = p.trees;
    b.eta = 1;
    b.subsample = kForestRowSample;
    b.colsample_bynode = forest_feature_sample(d);
    b.min_child_weight = kForestMinChildWeight;
    b.lambda = kForestLambda;
  } else {
    b.subsample = kBoostRowSample;
    b.colsample = kBoostFeatureSample;
  }
  b.threads = std::max(1, p.threads);
  // Balanced over the rows trained on, as for the SVMs (BoostParams::balanced is left off).
  if (d.classification && (p.balanced || !p.class_weights.empty())) {
    std::vector<std::size_t> all;
    if (rows.empty())
      for (std::size_t r = 0; r < d.rows(); ++r) all.push_back(r);
    b.class_weight = class_weight_of(d, p, rows.empty() ? all : rows);
  }
  Trained t;
  t.text = train_boosted_trees(d, b, rows);
  ModelInfo info;
  if (d.classification) {
    info.class_labels = d.class_labels;
    info.class_names = d.class_names;
  }
  t.model = Model::from_trees(t.text, std::move(info));
  return t;
}

}  // namespace

bool serial_training(const TrainParams& p, std::size_t rows) {
  return resolve_solver(p, rows) == Solver::liblinear || p.probability;
}

Trained train_model(const Dataset& d, const TrainParams& p, const std::vector<std::size_t>& rows_in) {
  std::vector<std::size_t> rows;
  if (d.classification && (p.learner != Learner::svm || is_classification(p.type))) {
    // Grouped by class in model order: libsvm and liblinear number classes by first
    // appearance, so the first class (the positive one) comes first.
    for (std::size_t c = 0; c < d.classes(); ++c) {
      if (rows_in.empty()) {
        for (std::size_t r = 0; r < d.rows(); ++r)
          if (std::size_t(d.target[r]) == c) rows.push_back(r);
      } else {
        for (std::size_t r : rows_in)
          if (std::size_t(d.target[r]) == c) rows.push_back(r);
      }
    }
  } else if (rows_in.empty()) {
    rows.resize(d.rows());
    for (std::size_t r = 0; r < d.rows(); ++r) rows[r] = r;
  } else {
    rows = rows_in;
  }
  if (is_tree_learner(p.learner)) return train_trees(d, p, rows);
  reset_iteration_limit_warnings();
  Trained t;
  SvmFile f = resolve_solver(p, rows.size()) == Solver::liblinear ? train_liblinear(d, p, rows, t.intercepts)
                                                                   : train_libsvm(d, p, rows);
  t.solver_warnings = iteration_limit_warnings() > 0;  // one per training, however many sub-problems warned
  t.text = format_svm_file(f);
  t.model = Model(std::move(f), ModelInfo{});
  return t;
}

namespace {

// A linear kernel on scaled input is a linear kernel on raw input: each support vector's
// values times the factors, and each decision function's rho shifted by what the offsets
// contribute. The model then reads raw features (in svm-predict too) and needs no scaling.
SvmFile fold_scaling(const SvmFile& f, const Scaling& sc) {
  SvmFile g = f;
  const std::size_t l = f.total_sv();
  std::vector<double> shift(l, 0.0);  // v_s · (factor ∘ offset): the constant each kernel value loses
  for (std::size_t s = 0; s < l; ++s)
    for (std::size_t k = f.sv_start[s]; k < f.sv_start[s + 1]; ++k) {
      const std::uint32_t j = f.sv_index[k];
      if (j > sc.dimension()) continue;
      shift[s] += f.sv_value[k] * sc.factor[j] * sc.offset[j];
      g.sv_value[k] = f.sv_value[k] * sc.factor[j];
    }
  if (!is_classification(f.type)) {
    for (std::size_t s = 0; s < l; ++s) g.rho[0] += f.coef(0, s) * shift[s];
    return g;
  }
  // Decision function (i, j) sums class i's vectors with coefficient row j-1 and class j's
  // with row i, as libsvm lays them out.
  const std::size_t k = std::size_t(f.nr_class);
  std::vector<std::size_t> first(k, 0);
  for (std::size_t c = 1; c < k; ++c) first[c] = first[c - 1] + std::size_t(f.nr_sv[c - 1]);
  std::size_t p = 0;
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = i + 1; j < k; ++j, ++p) {
      for (std::size_t s = 0; s < std::size_t(f.nr_sv[i]); ++s) g.rho[p] += f.coef(j - 1, first[i] + s) * shift[first[i] + s];
      for (std::size_t s = 0; s < std::size_t(f.nr_sv[j]); ++s) g.rho[p] += f.coef(i, first[j] + s) * shift[first[j] + s];
    }
  return g;
}

}  // namespace

PreparedRows prepare_rows(const Dataset& d, const TrainParams& p, const std::vector<std::size_t>& rows) {
  PreparedRows out;
  out.data = &d;
  if (d.tabular()) {
    out.imputation = fit_imputation(d, rows);
    out.owned = impute_dataset(d, out.imputation, is_tree_learner(p.learner));
    out.data = &*out.owned;
  }
  if (ScaleMethod m = scale_for(p, *out.data); m != ScaleMethod::none) {
    out.scaling = fit_scaling(*out.data, m, rows);
    Dataset scaled = scale_dataset(*out.data, out.scaling);
    out.owned = std::move(scaled);
    out.data = &*out.owned;
  }
  return out;
}

TrainedWithScaling train_final_model(const Dataset& d, const TrainParams& p) {
  TrainedWithScaling out;
  PreparedRows prepared = prepare_rows(d, p);
  out.imputation = std::move(prepared.imputation);
  out.scaling = std::move(prepared.scaling);
  out.trained = train_model(*prepared.data, p);
  if (out.scaling.method == ScaleMethod::none) return out;
  const Model& m = out.trained.model;
  if (!is_tree_learner(p.learner) && m.kernel() == KernelType::linear) {
    // A class's score w_c·x' + b_c on scaled x' = (x - offset) ∘ factor is, on raw x,
    // (w_c ∘ factor)·x + b_c - w_c·(factor ∘ offset): its stored vector c is w_c.
    const SvmFile& f = m.file();
    for (std::size_t c = 0; c < out.trained.intercepts.size(); ++c)
      for (std::size_t k = f.sv_start[c]; k < f.sv_start[c + 1]; ++k)
        if (const std::uint32_t j = f.sv_index[k]; j <= out.scaling.dimension())
          out.trained.intercepts[c] -= f.sv_value[k] * out.scaling.factor[j] * out.scaling.offset[j];
    SvmFile folded = fold_scaling(m.file(), out.scaling);
    out.trained.text = format_svm_file(folded);
    out.trained.model = Model(std::move(folded), ModelInfo{});
    out.folded = out.scaling.method;
    out.scaling = Scaling{};
  }
  return out;
}

}  // namespace mlpipe
