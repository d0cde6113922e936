// See libsvm_train.h.
#include "mlpipe/model/libsvm_train.h"

#include <svm.h>

#include <algorithm>
#include <cstddef>
#include <mutex>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/model/solver_common.h"

namespace mlpipe {

static_assert(sizeof(Dataset::Node) == sizeof(svm_node) && offsetof(Dataset::Node, value) == offsetof(svm_node, value),
              "Dataset::Node must be laid out as svm_node");

namespace {

int to_libsvm_type(SvmType t) {
  switch (t) {
    case SvmType::c_svc: return C_SVC;
    case SvmType::nu_svc: return NU_SVC;
    case SvmType::one_class: return ONE_CLASS;
    case SvmType::epsilon_svr: return EPSILON_SVR;
    case SvmType::nu_svr: return NU_SVR;
  }
  return C_SVC;
}

int to_libsvm_kernel(KernelType k) {
  switch (k) {
    case KernelType::linear: return LINEAR;
    case KernelType::poly: return POLY;
    case KernelType::rbf: return RBF;
    case KernelType::sigmoid: return SIGMOID;
  }
  return RBF;
}

// `drop_zeros`: support vectors leave out their zero values (tabular rows hold their
// number features' zeros, which libsvm copies into the support vectors).
SvmFile from_libsvm(const svm_model* m, bool drop_zeros) {
  SvmFile f;
  const svm_parameter& par = m->param;
  switch (par.svm_type) {
    case C_SVC: f.type = SvmType::c_svc; break;
    case NU_SVC: f.type = SvmType::nu_svc; break;
    case ONE_CLASS: f.type = SvmType::one_class; break;
    case EPSILON_SVR: f.type = SvmType::epsilon_svr; break;
    default: f.type = SvmType::nu_svr; break;
  }
  switch (par.kernel_type) {
    case LINEAR: f.kernel = KernelType::linear; break;
    case POLY: f.kernel = KernelType::poly; break;
    case RBF: f.kernel = KernelType::rbf; break;
    default: f.kernel = KernelType::sigmoid; break;
  }
  f.degree = par.degree;
  f.gamma = par.gamma;
  f.coef0 = par.coef0;
  f.nr_class = m->nr_class;
  const bool cls = is_classification(f.type);
  const std::size_t k = std::size_t(m->nr_class);
  const std::size_t nfunc = cls ? k * (k - 1) / 2 : 1;
  f.rho.assign(m->rho, m->rho + nfunc);
  if (cls) {
    f.label.assign(m->label, m->label + k);
    f.nr_sv.assign(m->nSV, m->nSV + k);
    if (m->probA && m->probB) {
      f.probA.assign(m->probA, m->probA + nfunc);
      f.probB.assign(m->probB, m->probB + nfunc);
    }
  } else if (is_regression(f.type) && m->probA) {
    f.probA.assign(m->probA, m->probA + 1);
  }
  const std::size_t l = std::size_t(m->l);
  for (std::size_t s = 0; s < l; ++s) {
    for (const svm_node* n = m->SV[s]; n->index != -1; ++n) {
      if (drop_zeros && n->value == 0) continue;
      f.sv_index.push_back(std::uint32_t(n->index));
      f.sv_value.push_back(n->value);
      f.max_index = std::max(f.max_index, std::uint32_t(n->index));
    }
    f.sv_start.push_back(f.sv_index.size());
  }
  const std::size_t rows = f.coef_rows();
  f.sv_coef.resize(rows * l);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t s = 0; s < l; ++s) f.sv_coef[r * l + s] = m->sv_coef[r][s];
  return f;
}

// A linear libsvm model rewritten with one weight vector per decision function: the same
// decisions, at a cost independent of the number of support vectors.
SvmFile collapse_linear(const SvmFile& f) {
  SvmFile c = f;
  const std::size_t dim = std::size_t(f.max_index) + 1;
  auto accumulate = [&](std::vector<double>& w, std::size_t s, double coef) {
    for (std::size_t k = f.sv_start[s]; k < f.sv_start[s + 1]; ++k) w[f.sv_index[k]] += coef * f.sv_value[k];
  };
  std::vector<std::vector<double>> ws;
  if (!is_classification(f.type)) {
    ws.assign(1, std::vector<double>(dim, 0.0));
    for (std::size_t s = 0; s < f.total_sv(); ++s) accumulate(ws[0], s, f.coef(0, s));
    set_weight_vectors(c, ws);
    c.sv_coef.assign(1, 1.0);
    return c;
  }
  const std::size_t k = std::size_t(f.nr_class);
  std::vector<std::size_t> first(k, 0);
  for (std::size_t i = 1; i < k; ++i) first[i] = first[i - 1] + std::size_t(f.nr_sv[i - 1]);
  // One vector per pair (i, j), stored as a support vector of class i with coefficient 1
  // in row j-1 (the row libsvm uses for class i's vectors in decision function (i, j)).
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = i + 1; j < k; ++j) {
      std::vector<double> w(dim, 0.0);
      for (std::size_t s = 0; s < std::size_t(f.nr_sv[i]); ++s) accumulate(w, first[i] + s, f.coef(j - 1, first[i] + s));
      for (std::size_t s = 0; s < std::size_t(f.nr_sv[j]); ++s) accumulate(w, first[j] + s, f.coef(i, first[j] + s));
      ws.push_back(std::move(w));
      pairs.emplace_back(i, j);
    }
  set_weight_vectors(c, ws);
  const std::size_t l = ws.size();
  c.sv_coef.assign((k - 1) * l, 0.0);
  for (std::size_t s = 0; s < l; ++s) c.sv_coef[(pairs[s].second - 1) * l + s] = 1.0;
  for (std::size_t i = 0; i < k; ++i) c.nr_sv[i] = int(k - 1 - i);
  return c;
}

}  // namespace

SvmFile train_libsvm(const Dataset& d, const TrainParams& p, const std::vector<std::size_t>& rows) {
  quiet_solvers();
  std::vector<double> y(rows.size());
  std::vector<svm_node*> x(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    y[i] = solver_label(d, rows[i]);
    x[i] = reinterpret_cast<svm_node*>(const_cast<Dataset::Node*>(&d.nodes[d.start[rows[i]]]));
  }
  svm_problem prob{int(rows.size()), y.data(), x.data()};
  std::vector<int> wl;
  std::vector<double> wv;
  solver_class_weights(d, p, rows, wl, wv);
  svm_parameter par{};
  par.svm_type = to_libsvm_type(p.type);
  par.kernel_type = to_libsvm_kernel(p.kernel);
  par.degree = p.degree;
  par.gamma = effective_gamma(p, d, rows);
  par.coef0 = p.coef0;
  par.cache_size = p.cache_mb;
  par.eps = p.tolerance;
  par.C = p.cost;
  par.nr_weight = int(wl.size());
  par.weight_label = wl.data();
  par.weight = wv.data();
  par.nu = p.nu;
  par.p = effective_epsilon(p, d);
  par.shrinking = 1;
  par.probability = p.probability ? 1 : 0;
  if (const char* err = svm_check_parameter(&prob, &par)) {
    // An infeasible nu depends on the class balance of the data, not on the command line alone.
    if (std::string_view(err).find("infeasible") != std::string_view::npos)
      throw Error(fmt::format("libsvm: {} for these classes (lower --nu)", err));
    throw Error::usage(fmt::format("libsvm: {}", err));
  }
  std::unique_lock<std::mutex> seeded;
  if (p.probability) seeded = seed_rand(p.seed);
  svm_model* m = svm_train(&prob, &par);
  SvmFile f = from_libsvm(m, d.tabular());
  svm_free_and_destroy_model(&m);
  if (p.compact && f.kernel == KernelType::linear) f = collapse_linear(f);
  return f;
}

}  // namespace mlpipe
