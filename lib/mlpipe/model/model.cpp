// See model.h. The sidecar's members are read by sidecar.cpp; this file checks them against
// the model file and predicts.
#include "mlpipe/model/model.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/model/file_digest.h"

namespace mlpipe {

namespace {

// Dense tables indexed by feature number are used up to this many entries, or beyond
// when the model has that many nonzeros anyway: memory stays proportional to the file.
constexpr std::size_t kDenseEntries = std::size_t(1) << 22;

// base^times as libsvm computes it (same multiplication order, same rounding).
double powi(double base, int times) {
  double tmp = base, ret = 1.0;
  for (int t = times; t > 0; t /= 2) {
    if (t % 2 == 1) ret *= tmp;
    tmp = tmp * tmp;
  }
  return ret;
}

// A tree classifier's class from its margins: binary, margin > 0 is the first class (as
// an SVM's decision value); multi-class, the largest margin (the first of equal ones, as
// XGBoost's multi:softmax).
std::size_t tree_class(const std::vector<double>& margins) {
  if (margins.size() == 1) return margins[0] > 0 ? 0 : 1;
  return std::size_t(std::max_element(margins.begin(), margins.end()) - margins.begin());
}

double sigmoid_predict(double decision_value, double A, double B) {
  double fApB = decision_value * A + B;
  // 1-p used later; avoid catastrophic cancellation
  if (fApB >= 0) return std::exp(-fApB) / (1.0 + std::exp(-fApB));
  return 1.0 / (1 + std::exp(fApB));
}

}  // namespace

struct Model::Impl {
  // Gradient-boosted trees instead of an SVM: `f` then stays empty.
  bool is_trees = false;
  TreeEnsemble ens;
  std::vector<int> tree_labels;

  SvmFile f;
  ModelInfo info;
  std::vector<std::string> names;
  std::size_t nfunc = 0;
  std::vector<std::size_t> class_start;  // first support vector of each class
  std::vector<std::size_t> class_count;
  std::vector<std::pair<std::size_t, std::size_t>> pairs;  // (i, j) of each decision function

  bool linear = false;
  // Linear: W[row * nfunc + p]; dense rows are feature indices 0..max_index, compact
  // rows follow `rows` (sorted feature indices).
  bool dense = false;
  std::vector<double> W;
  std::vector<std::uint32_t> rows;

  // Other kernels.
  std::vector<double> sv_norm2;
  bool dense_buffer = false;

  // A multi-class logistic regression's class scores: CW laid out as W, one column per
  // class (its support vector c is w_c).
  std::vector<double> CW;

  void build_linear() {
    const std::size_t l = f.total_sv();
    const std::size_t nnz = f.sv_index.size();
    std::size_t table = (std::size_t(f.max_index) + 1) * nfunc;
    dense = table <= std::max(kDenseEntries, nnz * 16);
    if (!dense) {
      rows = f.sv_index;
      std::sort(rows.begin(), rows.end());
      rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    }
    W.assign((dense ? std::size_t(f.max_index) + 1 : rows.size()) * nfunc, 0.0);
    auto row_of = [&](std::uint32_t index) -> std::size_t {
      if (dense) return index;
      return std::size_t(std::lower_bound(rows.begin(), rows.end(), index) - rows.begin());
    };
    auto add = [&](std::size_t s, std::size_t p, double coef) {
      for (std::size_t k = f.sv_start[s]; k < f.sv_start[s + 1]; ++k)
        W[row_of(f.sv_index[k]) * nfunc + p] += coef * f.sv_value[k];
    };
    if (!is_classification(f.type)) {
      for (std::size_t s = 0; s < l; ++s) add(s, 0, f.coef(0, s));
      return;
    }
    for (std::size_t p = 0; p < nfunc; ++p) {
      auto [i, j] = pairs[p];
      for (std::size_t k = 0; k < class_count[i]; ++k) add(class_start[i] + k, p, f.coef(j - 1, class_start[i] + k));
      for (std::size_t k = 0; k < class_count[j]; ++k) add(class_start[j] + k, p, f.coef(i, class_start[j] + k));
    }
  }

  void build_class_weights() {
    const std::size_t k = std::size_t(f.nr_class);
    CW.assign((dense ? std::size_t(f.max_index) + 1 : rows.size()) * k, 0.0);
    for (std::size_t c = 0; c < k; ++c)
      for (std::size_t i = f.sv_start[c]; i < f.sv_start[c + 1]; ++i) {
        const std::size_t row =
            dense ? f.sv_index[i]
                  : std::size_t(std::lower_bound(rows.begin(), rows.end(), f.sv_index[i]) - rows.begin());
        CW[row * k + c] += f.sv_value[i];
      }
  }

  void build_kernel() {
    const std::size_t l = f.total_sv();
    sv_norm2.resize(l);
    for (std::size_t s = 0; s < l; ++s) {
      double sum = 0;
      for (std::size_t k = f.sv_start[s]; k < f.sv_start[s + 1]; ++k) sum += f.sv_value[k] * f.sv_value[k];
      sv_norm2[s] = sum;
    }
    dense_buffer = std::size_t(f.max_index) + 1 <= std::max(kDenseEntries, f.sv_index.size() * 16);
  }
};

Model::Model() = default;

Model::Model(SvmFile file, ModelInfo info, const std::string& name) {
  auto impl = std::make_shared<Impl>();
  impl->f = std::move(file);
  impl->info = std::move(info);
  const SvmFile& f = impl->f;
  impl->nfunc = f.rho.size();
  if (is_classification(f.type)) {
    std::size_t start = 0;
    for (int n : f.nr_sv) {
      impl->class_start.push_back(start);
      impl->class_count.push_back(std::size_t(n));
      start += std::size_t(n);
    }
    for (std::size_t i = 0; i < std::size_t(f.nr_class); ++i)
      for (std::size_t j = i + 1; j < std::size_t(f.nr_class); ++j) impl->pairs.emplace_back(i, j);
    const auto& given = impl->info.class_names;
    if (!given.empty() && given.size() != f.label.size())
      throw Error(sidecar_path(name), 0,
                  fmt::format("the sidecar names {} classes, but the model has {}", given.size(), f.label.size()));
    for (std::size_t c = 0; c < f.label.size(); ++c)
      impl->names.push_back(given.empty() ? std::to_string(f.label[c]) : given[c]);
  }
  if ((impl->info.calibration || impl->info.threshold) && !(is_classification(f.type) && f.label.size() == 2))
    throw Error(sidecar_path(name), 0, "'calibration' and 'threshold' apply to binary classifiers only");
  impl->linear = f.kernel == KernelType::linear;
  if (impl->linear) impl->build_linear();
  else impl->build_kernel();
  if (const auto& b = impl->info.class_intercepts; !b.empty()) {
    // One weight vector per class, as mltrain stores liblinear's one-vs-rest models.
    const bool one_per_class =
        is_classification(f.type) && f.kernel == KernelType::linear && f.nr_class > 2 &&
        std::all_of(f.nr_sv.begin(), f.nr_sv.end(), [](int n) { return n == 1; });
    if (!one_per_class || b.size() != std::size_t(f.nr_class))
      throw Error(sidecar_path(name), 0,
                  fmt::format("'class_probability' gives {} intercepts, but the model is not a linear model with one "
                              "weight vector for each of that many classes",
                              b.size()));
    impl->build_class_weights();
  }
  impl_ = std::move(impl);
}

Model Model::from_trees(std::string_view json_text, ModelInfo info, const std::string& name) {
  auto impl = std::make_shared<Impl>();
  impl->is_trees = true;
  impl->ens = TreeEnsemble::parse(json_text, name);
  impl->info = std::move(info);
  const TreeEnsemble& t = impl->ens;
  const std::size_t k = t.classes();
  const auto& labels = impl->info.class_labels;
  const auto& names = impl->info.class_names;
  const std::string side = sidecar_path(name);
  if (k == 0 && (!labels.empty() || !names.empty()))
    throw Error(side, 0, "'classes' given for a model that is not a classifier");
  if (labels.size() != names.size())
    throw Error(side, 0, fmt::format("{} class labels but {} class names", labels.size(), names.size()));
  if (k > 0 && !labels.empty() && labels.size() != k)
    throw Error(side, 0, fmt::format("the sidecar names {} classes, but the model has {}", labels.size(), k));
  if (k > 0 && labels.empty()) {
    // No sidecar to say: XGBoost's own labels, the positive one (1) first for binary.
    if (k == 2) impl->tree_labels = {1, 0};
    else
      for (std::size_t c = 0; c < k; ++c) impl->tree_labels.push_back(int(c));
    for (int l : impl->tree_labels) impl->names.push_back(std::to_string(l));
  } else {
    impl->tree_labels = labels;
    impl->names = names;
  }
  if ((impl->info.calibration || impl->info.threshold) && t.task() != TreeTask::binary)
    throw Error(side, 0, "'calibration' and 'threshold' apply to binary classifiers only");
  impl->nfunc = t.outputs();
  Model m;
  m.impl_ = std::move(impl);
  return m;
}

namespace {

[[noreturn]] void not_svm(const char* what) {
  throw Error(fmt::format("{}: the model is gradient-boosted trees (XGBoost), not a libsvm model", what));
}

}  // namespace

bool Model::is_trees() const { return impl_->is_trees; }
std::string_view Model::learner() const { return impl_->is_trees ? "xgboost" : "libsvm"; }
const TreeEnsemble& Model::trees() const {
  if (!impl_->is_trees) throw Error("trees(): the model is a libsvm model, not gradient-boosted trees");
  return impl_->ens;
}
SvmType Model::type() const {
  if (impl_->is_trees) not_svm("type()");
  return impl_->f.type;
}
KernelType Model::kernel() const {
  if (impl_->is_trees) not_svm("kernel()");
  return impl_->f.kernel;
}
bool Model::is_classifier() const {
  return impl_->is_trees ? impl_->ens.classes() > 0 : is_classification(impl_->f.type);
}
bool Model::is_regression() const {
  return impl_->is_trees ? impl_->ens.task() == TreeTask::regression : mlpipe::is_regression(impl_->f.type);
}
std::size_t Model::class_count() const {
  if (impl_->is_trees) return is_classifier() ? impl_->ens.classes() : 2;
  return std::size_t(impl_->f.nr_class);
}
const std::vector<int>& Model::labels() const { return impl_->is_trees ? impl_->tree_labels : impl_->f.label; }
const std::vector<std::string>& Model::class_names() const { return impl_->names; }
std::size_t Model::support_vectors() const { return impl_->is_trees ? 0 : impl_->f.total_sv(); }
std::size_t Model::decision_functions() const { return impl_->nfunc; }
std::uint32_t Model::max_index() const { return impl_->is_trees ? impl_->ens.max_index() : impl_->f.max_index; }
std::uint32_t Model::dimension() const { return impl_->info.dimension; }
bool Model::has_probability() const {
  return is_classifier() && (impl_->is_trees || impl_->f.has_probability() || !impl_->info.class_intercepts.empty());
}
const std::string& Model::spec() const { return impl_->info.spec; }
const ModelInfo& Model::info() const { return impl_->info; }
const SvmFile& Model::file() const {
  if (impl_->is_trees) not_svm("file()");
  return impl_->f;
}
bool Model::is_linear() const { return impl_->linear; }

void Model::compute(const SparseVector& input, Scratch& s) const {
  const Impl& m = *impl_;
  const SvmFile& f = m.f;
  const std::size_t nfunc = m.nfunc;
  if (m.info.scaling) m.info.scaling->apply(input, s.scaled);
  const SparseVector& x = m.info.scaling ? s.scaled : input;
  if (m.is_trees) {  // XGBoost's margins, in float as XGBoost computes them
    s.margins.resize(nfunc);
    m.ens.margins(x, s.trees, s.margins.data());
    s.dec.resize(nfunc);
    for (std::size_t p = 0; p < nfunc; ++p) s.dec[p] = double(s.margins[p]);
    return;
  }
  s.dec.assign(nfunc, 0.0);
  if (nfunc == 0) return;
  const std::size_t n = x.size();
  const std::uint32_t* xi = x.idx.data();
  const float* xv = x.val.data();

  if (m.linear) {
    const double* W = m.W.data();
    if (m.dense) {
      const std::uint32_t limit = f.max_index;
      if (nfunc == 1) {
        double sum = 0;
        for (std::size_t k = 0; k < n; ++k)
          if (xi[k] <= limit) sum += W[xi[k]] * double(xv[k]);
        s.dec[0] = sum;
      } else {
        for (std::size_t k = 0; k < n; ++k) {
          if (xi[k] > limit) continue;
          const double* row = W + std::size_t(xi[k]) * nfunc;
          double v = xv[k];
          for (std::size_t p = 0; p < nfunc; ++p) s.dec[p] += row[p] * v;
        }
      }
    } else {
      // Both sorted: walk the input and the weight rows together.
      std::size_t r = 0;
      const std::size_t nr = m.rows.size();
      for (std::size_t k = 0; k < n && r < nr; ++k) {
        r = std::size_t(std::lower_bound(m.rows.begin() + std::ptrdiff_t(r), m.rows.end(), xi[k]) - m.rows.begin());
        if (r == nr || m.rows[r] != xi[k]) continue;
        const double* row = W + r * nfunc;
        for (std::size_t p = 0; p < nfunc; ++p) s.dec[p] += row[p] * double(xv[k]);
      }
    }
    for (std::size_t p = 0; p < nfunc; ++p) s.dec[p] -= f.rho[p];
    return;
  }

  // Kernel values against every support vector.
  const std::size_t l = f.total_sv();
  s.kvalue.resize(l);
  double xx = 0;
  for (std::size_t k = 0; k < n; ++k) xx += double(xv[k]) * double(xv[k]);
  const std::uint32_t* si = f.sv_index.data();
  const double* sv = f.sv_value.data();
  const std::size_t* start = f.sv_start.data();
  auto kernel_of = [&](std::size_t t, double dot) {
    switch (f.kernel) {
      case KernelType::poly: return powi(f.gamma * dot + f.coef0, f.degree);
      case KernelType::rbf: return std::exp(-f.gamma * std::max(0.0, xx + m.sv_norm2[t] - 2 * dot));
      case KernelType::sigmoid: return std::tanh(f.gamma * dot + f.coef0);
      case KernelType::linear: return dot;
    }
    return dot;
  };
  if (m.dense_buffer) {
    if (s.dense.size() < std::size_t(f.max_index) + 1) s.dense.assign(std::size_t(f.max_index) + 1, 0.0);
    double* buf = s.dense.data();
    for (std::size_t k = 0; k < n; ++k)
      if (xi[k] <= f.max_index) buf[xi[k]] = xv[k];
    for (std::size_t t = 0; t < l; ++t) {
      double dot = 0;
      for (std::size_t k = start[t]; k < start[t + 1]; ++k) dot += buf[si[k]] * sv[k];
      s.kvalue[t] = kernel_of(t, dot);
    }
    for (std::size_t k = 0; k < n; ++k)
      if (xi[k] <= f.max_index) buf[xi[k]] = 0;
  } else {
    for (std::size_t t = 0; t < l; ++t) {
      double dot = 0;
      std::size_t a = 0, b = start[t];
      const std::size_t be = start[t + 1];
      while (a < n && b < be) {
        if (xi[a] == si[b]) dot += double(xv[a++]) * sv[b++];
        else if (xi[a] < si[b]) ++a;
        else ++b;
      }
      s.kvalue[t] = kernel_of(t, dot);
    }
  }
  const double* kv = s.kvalue.data();
  if (!is_classification(f.type)) {
    double sum = 0;
    for (std::size_t t = 0; t < l; ++t) sum += f.coef(0, t) * kv[t];
    s.dec[0] = sum - f.rho[0];
    return;
  }
  for (std::size_t p = 0; p < nfunc; ++p) {
    auto [i, j] = m.pairs[p];
    std::size_t si0 = m.class_start[i], sj0 = m.class_start[j];
    const double* coef1 = &f.sv_coef[(j - 1) * l];
    const double* coef2 = &f.sv_coef[i * l];
    double sum = 0;
    for (std::size_t k = 0; k < m.class_count[i]; ++k) sum += coef1[si0 + k] * kv[si0 + k];
    for (std::size_t k = 0; k < m.class_count[j]; ++k) sum += coef2[sj0 + k] * kv[sj0 + k];
    s.dec[p] = sum - f.rho[p];
  }
}

double Model::decision(const SparseVector& x, Scratch& scratch) const {
  if (impl_->nfunc != 1)
    throw Error(fmt::format("decision(): the model has {} decision functions, not one ({} classes)", impl_->nfunc,
                            class_count()));
  compute(x, scratch);
  return scratch.dec[0];
}

double Model::decision(const SparseVector& x) const {
  Scratch s;
  return decision(x, s);
}

void Model::decision_values(const SparseVector& x, Scratch& scratch, std::vector<double>& out) const {
  compute(x, scratch);
  out = scratch.dec;
}

std::size_t Model::predict_class(const SparseVector& x, Scratch& s) const {
  const Impl& m = *impl_;
  if (!is_classifier()) throw Error("predict_class(): not a classification model");
  compute(x, s);
  if (m.is_trees) return tree_class(s.dec);
  const std::size_t k = std::size_t(m.f.nr_class);
  s.votes.assign(k, 0);
  for (std::size_t p = 0; p < m.nfunc; ++p) {
    if (s.dec[p] > 0) ++s.votes[m.pairs[p].first];
    else ++s.votes[m.pairs[p].second];
  }
  std::size_t best = 0;
  for (std::size_t i = 1; i < k; ++i)
    if (s.votes[i] > s.votes[best]) best = i;
  return best;
}

std::size_t Model::predict_probability(const SparseVector& x, Scratch& s, std::vector<double>& probs) const {
  const Impl& m = *impl_;
  if (!has_probability()) throw Error("the model was not trained with probability estimates");
  compute(x, s);
  if (m.is_trees) {
    const std::size_t k = m.ens.classes();
    probs.resize(k);
    if (k == 2) {
      // P(first class) = sigmoid(margin), in the form that cannot overflow.
      const double d = s.dec[0];
      probs[0] = d >= 0 ? 1 / (1 + std::exp(-d)) : std::exp(d) / (1 + std::exp(d));
      probs[1] = 1 - probs[0];
    } else {
      const double mx = *std::max_element(s.dec.begin(), s.dec.end());
      double sum = 0;
      for (std::size_t c = 0; c < k; ++c) sum += probs[c] = std::exp(s.dec[c] - mx);
      for (std::size_t c = 0; c < k; ++c) probs[c] /= sum;
    }
    return tree_class(s.dec);
  }
  const std::size_t k = std::size_t(m.f.nr_class);
  probs.assign(k, 0.0);
  if (k == 1) {
    probs[0] = 1;
    return 0;
  }
  if (!m.info.class_intercepts.empty()) {
    // liblinear's one-vs-rest probabilities: each class's sigmoid, normalised.
    const SparseVector& in = m.info.scaling ? s.scaled : x;
    double sum = 0;
    for (std::size_t c = 0; c < k; ++c) {
      double score = m.info.class_intercepts[c];
      for (std::size_t i = 0; i < in.size(); ++i) {
        const std::uint32_t j = in.idx[i];
        std::size_t row;
        if (m.dense) {
          if (j > m.f.max_index) continue;
          row = j;
        } else {
          auto it = std::lower_bound(m.rows.begin(), m.rows.end(), j);
          if (it == m.rows.end() || *it != j) continue;
          row = std::size_t(it - m.rows.begin());
        }
        score += m.CW[row * k + c] * double(in.val[i]);
      }
      sum += probs[c] = 1 / (1 + std::exp(-score));
    }
    for (double& p : probs) p /= sum;
    return std::size_t(std::max_element(probs.begin(), probs.end()) - probs.begin());
  }
  const double min_prob = 1e-7;
  s.pairwise.assign(k * k, 0.0);
  auto r = [&](std::size_t i, std::size_t j) -> double& { return s.pairwise[i * k + j]; };
  for (std::size_t p = 0; p < m.nfunc; ++p) {
    auto [i, j] = m.pairs[p];
    r(i, j) = std::min(std::max(sigmoid_predict(s.dec[p], m.f.probA[p], m.f.probB[p]), min_prob), 1 - min_prob);
    r(j, i) = 1 - r(i, j);
  }
  if (k == 2) {  // libsvm takes the pairwise probability as it is for two classes
    probs[0] = r(0, 1);
    probs[1] = r(1, 0);
    return probs[1] > probs[0] ? 1 : 0;
  }
  // Pairwise coupling (Wu, Lin and Weng 2004, method 2), as libsvm's multiclass_probability.
  s.q.assign(k * k, 0.0);
  s.qp.assign(k, 0.0);
  auto Q = [&](std::size_t i, std::size_t j) -> double& { return s.q[i * k + j]; };
  for (std::size_t t = 0; t < k; ++t) {
    probs[t] = 1.0 / double(k);
    Q(t, t) = 0;
    for (std::size_t j = 0; j < t; ++j) {
      Q(t, t) += r(j, t) * r(j, t);
      Q(t, j) = Q(j, t);
    }
    for (std::size_t j = t + 1; j < k; ++j) {
      Q(t, t) += r(j, t) * r(j, t);
      Q(t, j) = -r(j, t) * r(t, j);
    }
  }
  const int max_iter = std::max(100, int(k));
  const double eps = 0.005 / double(k);
  for (int iter = 0; iter < max_iter; ++iter) {
    double pQp = 0;
    for (std::size_t t = 0; t < k; ++t) {
      s.qp[t] = 0;
      for (std::size_t j = 0; j < k; ++j) s.qp[t] += Q(t, j) * probs[j];
      pQp += probs[t] * s.qp[t];
    }
    double max_error = 0;
    for (std::size_t t = 0; t < k; ++t) max_error = std::max(max_error, std::fabs(s.qp[t] - pQp));
    if (max_error < eps) break;
    for (std::size_t t = 0; t < k; ++t) {
      double diff = (-s.qp[t] + pQp) / Q(t, t);
      probs[t] += diff;
      pQp = (pQp + diff * (diff * Q(t, t) + 2 * s.qp[t])) / (1 + diff) / (1 + diff);
      for (std::size_t j = 0; j < k; ++j) {
        s.qp[j] = (s.qp[j] + diff * Q(t, j)) / (1 + diff);
        probs[j] /= (1 + diff);
      }
    }
  }
  std::size_t best = 0;
  for (std::size_t i = 1; i < k; ++i)
    if (probs[i] > probs[best]) best = i;
  return best;
}

double Model::predict(const SparseVector& x, Scratch& s) const {
  if (is_classifier()) return double(labels()[predict_class(x, s)]);
  compute(x, s);
  if (impl_->is_trees) return s.dec[0];
  if (impl_->f.type == SvmType::one_class) return s.dec[0] > 0 ? 1 : -1;
  return s.dec[0];
}

LinearWeights Model::linear_weights() const {
  const Impl& m = *impl_;
  if (m.is_trees) not_svm("linear_weights()");
  if (!m.linear) throw Error(fmt::format("linear_weights(): the model has a {} kernel", kernel_name(m.f.kernel)));
  if (m.nfunc != 1)
    throw Error(fmt::format("linear_weights(): the model has {} decision functions, not one", m.nfunc));
  LinearWeights w;
  w.bias = -m.f.rho[0];
  if (m.dense) {
    for (std::size_t i = 1; i < m.W.size(); ++i)
      if (m.W[i] != 0) {
        w.index.push_back(std::uint32_t(i));
        w.weight.push_back(m.W[i]);
      }
  } else {
    for (std::size_t r = 0; r < m.rows.size(); ++r)
      if (m.W[r] != 0 && m.rows[r] != 0) {
        w.index.push_back(m.rows[r]);
        w.weight.push_back(m.W[r]);
      }
  }
  return w;
}

namespace {

// The model file must be the one its sidecar was written for: checked before parsing, so
// that a file cut short is named as such rather than by the line where parsing stopped.
void check_model_file(std::string_view text, const ModelInfo& info, const std::string& path) {
  if (!info.model_file) return;
  const FileDigest& want = *info.model_file;
  if (text.size() != want.bytes)
    throw Error(path, 0, fmt::format("the file has {} bytes but its sidecar says {}: truncated or replaced?",
                                     text.size(), want.bytes));
  const FileDigest have = file_digest(text);
  if (have.checksum != want.checksum)
    throw Error(path, 0, fmt::format("the file's checksum is {} but its sidecar says {}: changed or replaced since "
                                     "training (or the sidecar is another model's)?",
                                     have.checksum, want.checksum));
}

// XGBoost's JSON model starts with '{'; a libsvm model with "svm_type".
bool looks_like_json(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
  return i < text.size() && text[i] == '{';
}

}  // namespace

Model load_model_from_text(std::string_view text, const std::string& side_text, const std::string& path) {
  const bool trees = looks_like_json(text);
  ModelInfo info;
  const std::string side = sidecar_path(path);
  if (!side_text.empty()) {
    info = parse_sidecar(side_text, side);
    // A sidecar left from another model must not relabel this one.
    const bool tree_learner = info.learner == "xgboost" || info.learner == "forest";
    if (trees && !info.learner.empty() && !tree_learner)
      throw Error(side, 0, fmt::format("the sidecar's learner is '{}', but {} holds XGBoost trees", info.learner, path));
    if (!trees && tree_learner)
      throw Error(side, 0, fmt::format("the sidecar's learner is '{}', but {} is not an XGBoost JSON model",
                                       info.learner, path));
    check_model_file(text, info, path);
  }
  if (trees) {
    if (info.has_sidecar) read_tree_classes(side_text, side, info);
    return Model::from_trees(text, std::move(info), path);
  }
  SvmFile f = parse_svm_file(text, path);
  if (info.has_sidecar) info.class_names = sidecar_class_names(side_text, side, f);
  return Model(std::move(f), std::move(info), path);
}

Model load_model(const std::string& path, const FileSource& files) {
  constexpr std::size_t kMaxModelBytes = std::size_t(2) << 30;  // as read_model_text
  std::string text = files.read(path);
  if (text.size() > kMaxModelBytes) throw Error(path, 0, "model file larger than 2 GiB");
  std::string side_text;
  const std::string side = sidecar_path(path);
  if (files.exists(side)) {
    side_text = files.read(side);
    if (side_text.size() > (std::size_t(1) << 30)) throw Error(side, 0, "sidecar larger than 1 GiB");
    // An empty sidecar is still a sidecar: the parser says what is wrong with it.
    if (side_text.empty()) parse_sidecar(side_text, side);
  }
  return load_model_from_text(text, side_text, path);
}

}  // namespace mlpipe
