// See liblinear_train.h.
#include "mlpipe/model/liblinear_train.h"

#include <linear.h>

#include <cstddef>
#include <mutex>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/model/solver_common.h"

namespace mlpipe {

static_assert(sizeof(Dataset::Node) == sizeof(feature_node) &&
                  offsetof(Dataset::Node, value) == offsetof(feature_node, value),
              "Dataset::Node must be laid out as feature_node");

namespace {

int liblinear_solver(Learner l) {
  switch (l) {
    case Learner::linear_svm_hinge: return L2R_L1LOSS_SVC_DUAL;
    case Learner::linear_svm_l1: return L1R_L2LOSS_SVC;
    case Learner::crammer_singer: return MCSVM_CS;
    case Learner::logistic: return L2R_LR;
    case Learner::logistic_l1: return L1R_LR;
    case Learner::linear_svr: return L2R_L2LOSS_SVR;
    default: return L2R_L2LOSS_SVC_DUAL;  // svm with the liblinear solver, linear-svm
  }
}

// liblinear's own default stopping tolerance for each solver (its -e).
double liblinear_tolerance(int solver) {
  switch (solver) {
    case L2R_LR:
    case L2R_L2LOSS_SVC:
    case L1R_L2LOSS_SVC:
    case L1R_LR: return 0.01;
    case L2R_L2LOSS_SVR: return 0.001;
    default: return 0.1;
  }
}

// liblinear needs the bias as an extra feature on every row: its own copy of the rows,
// and the problem that points into it.
struct LiblinearRows {
  std::vector<feature_node> nodes;
  std::vector<double> y;
  std::vector<feature_node*> x;
  problem prob{};

  LiblinearRows(const Dataset& d, const std::vector<std::size_t>& rows) : y(rows.size()), x(rows.size()) {
    const int bias_index = int(d.max_index) + 1;
    std::vector<std::size_t> offset(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      offset[i] = nodes.size();
      for (std::size_t k = d.start[rows[i]]; d.nodes[k].index != -1; ++k)
        nodes.push_back({d.nodes[k].index, d.nodes[k].value});
      nodes.push_back({bias_index, 1.0});
      nodes.push_back({-1, 0});
      y[i] = solver_label(d, rows[i]);
    }
    for (std::size_t i = 0; i < rows.size(); ++i) x[i] = &nodes[offset[i]];
    prob.l = int(rows.size());
    prob.n = bias_index;
    prob.y = y.data();
    prob.x = x.data();
    prob.bias = 1;
  }
};

// An L2R_L2LOSS_SVR model's one weight vector: the regression value w·x + b, as a
// collapsed epsilon-SVR.
SvmFile regression_file(const model& m, double bias) {
  const std::size_t nf = std::size_t(m.nr_feature);
  std::vector<std::vector<double>> ws(1, std::vector<double>(nf + 1, 0.0));
  for (std::size_t i = 0; i < nf; ++i) ws[0][i + 1] = m.w[i];
  const double b = m.w[nf] * bias;
  SvmFile f;
  f.type = SvmType::epsilon_svr;
  f.kernel = KernelType::linear;
  f.nr_class = 2;
  set_weight_vectors(f, ws);
  f.rho = {-b};
  f.sv_coef = {1.0};
  return f;
}

// A classifier's weight vectors as libsvm's decision functions: one for two classes,
// one-vs-one differences of the one-vs-rest scores for more. `intercepts`: see
// train_liblinear.
SvmFile classifier_file(const model& m, int solver, double bias, std::vector<double>& intercepts) {
  const std::size_t k = std::size_t(m.nr_class);
  // Crammer and Singer keeps one vector per class even for two classes.
  const std::size_t nr_w = k == 2 && solver != MCSVM_CS ? 1 : k;
  const std::size_t nf = std::size_t(m.nr_feature);  // without the bias
  std::vector<std::vector<double>> ws(nr_w, std::vector<double>(nf + 1, 0.0));
  std::vector<double> b(nr_w, 0.0);
  for (std::size_t c = 0; c < nr_w; ++c) {
    for (std::size_t i = 0; i < nf; ++i) ws[c][i + 1] = m.w[i * nr_w + c];
    b[c] = m.w[nf * nr_w + c] * bias;
  }
  SvmFile f;
  f.type = SvmType::c_svc;
  f.kernel = KernelType::linear;
  f.nr_class = int(k);
  f.label.assign(m.label, m.label + k);
  set_weight_vectors(f, k == 1 ? std::vector<std::vector<double>>{} : ws);
  if (k == 1) {
    f.nr_sv = {0};
    return f;
  }
  if (k == 2 && nr_w == 2) {
    // Two class scores: the decision is their difference.
    for (std::size_t i = 1; i < ws[0].size(); ++i) ws[0][i] -= ws[1][i];
    set_weight_vectors(f, {ws[0]});
    f.rho = {-(b[0] - b[1])};
    f.nr_sv = {1, 0};
    f.sv_coef = {1.0};
    return f;
  }
  if (k == 2) {
    f.rho = {-b[0]};
    f.nr_sv = {1, 0};
    f.sv_coef = {1.0};
    return f;
  }
  // One-vs-rest scores f_c = w_c·x + b_c as one-vs-one decisions f_i − f_j: the class with
  // the largest score wins every pair it is in, so voting picks liblinear's class.
  if (solver == L2R_LR || solver == L1R_LR) intercepts = b;
  f.nr_sv.assign(k, 1);
  f.sv_coef.assign((k - 1) * k, 0.0);
  for (std::size_t c = 0; c < k; ++c)
    for (std::size_t r = 0; r + 1 < k; ++r) f.sv_coef[r * k + c] = r >= c ? 1.0 : -1.0;
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = i + 1; j < k; ++j) f.rho.push_back(b[j] - b[i]);
  return f;
}

}  // namespace

SvmFile train_liblinear(const Dataset& d, const TrainParams& p, const std::vector<std::size_t>& rows,
                        std::vector<double>& intercepts) {
  quiet_solvers();
  const int solver = liblinear_solver(p.learner);
  LiblinearRows data(d, rows);
  std::vector<int> wl;
  std::vector<double> wv;
  solver_class_weights(d, p, rows, wl, wv);
  parameter par{};
  par.solver_type = solver;
  par.eps = liblinear_tolerance(solver);
  par.C = p.cost;
  par.nr_weight = int(wl.size());
  par.weight_label = wl.data();
  par.weight = wv.data();
  par.p = solver == L2R_L2LOSS_SVR ? effective_epsilon(p, d) : 0.1;
  par.init_sol = nullptr;
  if (const char* err = check_parameter(&data.prob, &par)) throw Error::usage(fmt::format("liblinear: {}", err));
  const std::unique_lock<std::mutex> seeded = seed_rand(p.seed);
  model* m = train(&data.prob, &par);
  SvmFile f = solver == L2R_L2LOSS_SVR ? regression_file(*m, data.prob.bias)
                                       : classifier_file(*m, solver, data.prob.bias, intercepts);
  free_and_destroy_model(&m);
  return f;
}

}  // namespace mlpipe
