#include "mlpipe/model/train.h"

#include <linear.h>
#include <svm.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <random>
#include <string_view>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/model/boosted_trees_train.h"
#include "mlpipe/model/model.h"

namespace mlpipe {

static_assert(sizeof(Dataset::Node) == sizeof(svm_node) && offsetof(Dataset::Node, value) == offsetof(svm_node, value),
              "Dataset::Node must be laid out as svm_node");
static_assert(sizeof(Dataset::Node) == sizeof(feature_node) &&
                  offsetof(Dataset::Node, value) == offsetof(feature_node, value),
              "Dataset::Node must be laid out as feature_node");

void throw_index_too_large(std::uint64_t index) {
  throw Error(fmt::format("feature index {} is larger than libsvm's limit 2147483647", index));
}

std::size_t Dataset::features_of(std::size_t r) const {
  std::size_t n = 0;
  for (std::size_t k = start[r]; nodes[k].index != -1; ++k) ++n;
  return n;
}

namespace {

// libsvm and liblinear print progress and warnings through one global C hook without a
// context pointer. Training runs on many threads at once, so each thread counts the
// iteration-limit warnings of its own training; the tool turns them into one line.
thread_local std::size_t iteration_limit_warnings = 0;

void count_warnings(const char* text) {
  if (std::string_view(text).find("reaching max number of iterations") != std::string_view::npos)
    ++iteration_limit_warnings;
}

// libc's rand() is one sequence per process, which liblinear and libsvm's probability
// estimates draw from after we seed it with --seed: another thread's draws in between would
// change the model. Within one mltrain run TaskFarm already runs such trainings one at a time
// (serial_training); this lock makes them take turns across runs in one process too, as
// mlserve's training jobs are. Held from the seeding to the end of the training.
std::mutex& rand_lock() {
  static std::mutex lock;
  return lock;
}

struct Quiet {
  Quiet() {
    svm_set_print_string_function(count_warnings);
    set_print_string_function(count_warnings);
  }
};

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

// Class weights as (libsvm label, weight) for the classes whose weight is not 1.
void class_weights(const Dataset& d, const TrainParams& p, const std::vector<std::size_t>& rows,
                   std::vector<int>& labels, std::vector<double>& weights) {
  labels.clear();
  weights.clear();
  if (!d.classification) return;
  const std::vector<double> w = class_weight_of(d, p, rows);
  for (std::size_t c = 0; c < d.classes(); ++c)
    if (w[c] != 1.0) {
      labels.push_back(d.class_labels[c]);
      weights.push_back(w[c]);
    }
}

double label_of(const Dataset& d, std::size_t r) {
  return d.classification ? double(d.class_labels[std::size_t(d.target[r])]) : d.target[r];
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

// Sets the support vectors of `f` to dense weight vectors, dropping zeros.
void set_weight_vectors(SvmFile& f, const std::vector<std::vector<double>>& w) {
  f.sv_start.assign(1, 0);
  f.sv_index.clear();
  f.sv_value.clear();
  f.max_index = 0;
  for (const auto& v : w) {
    for (std::size_t i = 1; i < v.size(); ++i)
      if (v[i] != 0) {
        f.sv_index.push_back(std::uint32_t(i));
        f.sv_value.push_back(v[i]);
        f.max_index = std::max(f.max_index, std::uint32_t(i));  // vectors end at different indices
      }
    f.sv_start.push_back(f.sv_index.size());
  }
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

SvmFile train_libsvm(const Dataset& d, const TrainParams& p, const std::vector<std::size_t>& rows) {
  static Quiet quiet_once;
  std::vector<double> y(rows.size());
  std::vector<svm_node*> x(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    y[i] = label_of(d, rows[i]);
    x[i] = reinterpret_cast<svm_node*>(const_cast<Dataset::Node*>(&d.nodes[d.start[rows[i]]]));
  }
  svm_problem prob{int(rows.size()), y.data(), x.data()};
  std::vector<int> wl;
  std::vector<double> wv;
  class_weights(d, p, rows, wl, wv);
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
  std::unique_lock<std::mutex> seeded(rand_lock(), std::defer_lock);
  if (p.probability) {
    seeded.lock();
    std::srand(p.seed);
  }
  svm_model* m = svm_train(&prob, &par);
  SvmFile f = from_libsvm(m, d.tabular());
  svm_free_and_destroy_model(&m);
  if (p.compact && f.kernel == KernelType::linear) f = collapse_linear(f);
  return f;
}

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

// `intercepts`: filled with each class's b_c for a multi-class logistic regression (train.h).
SvmFile train_liblinear(const Dataset& d, const TrainParams& p, const std::vector<std::size_t>& rows,
                        std::vector<double>& intercepts) {
  static Quiet quiet_once;
  const int solver = liblinear_solver(p.learner);
  // liblinear needs the bias as an extra feature on every row: its own copy of the rows.
  const int bias_index = int(d.max_index) + 1;
  std::vector<feature_node> nodes;
  std::vector<std::size_t> offset(rows.size());
  std::vector<double> y(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    offset[i] = nodes.size();
    for (std::size_t k = d.start[rows[i]]; d.nodes[k].index != -1; ++k)
      nodes.push_back({d.nodes[k].index, d.nodes[k].value});
    nodes.push_back({bias_index, 1.0});
    nodes.push_back({-1, 0});
    y[i] = label_of(d, rows[i]);
  }
  std::vector<feature_node*> x(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) x[i] = &nodes[offset[i]];
  problem prob{};
  prob.l = int(rows.size());
  prob.n = bias_index;
  prob.y = y.data();
  prob.x = x.data();
  prob.bias = 1;
  std::vector<int> wl;
  std::vector<double> wv;
  class_weights(d, p, rows, wl, wv);
  parameter par{};
  par.solver_type = solver;
  par.eps = liblinear_tolerance(solver);
  par.C = p.cost;
  par.nr_weight = int(wl.size());
  par.weight_label = wl.data();
  par.weight = wv.data();
  par.p = solver == L2R_L2LOSS_SVR ? effective_epsilon(p, d) : 0.1;
  par.init_sol = nullptr;
  if (const char* err = check_parameter(&prob, &par)) throw Error::usage(fmt::format("liblinear: {}", err));
  std::lock_guard<std::mutex> seeded(rand_lock());
  std::srand(p.seed);
  model* m = train(&prob, &par);
  if (solver == L2R_L2LOSS_SVR) {
    // One weight vector: the regression value w·x + b, as a collapsed epsilon-SVR.
    const std::size_t nf = std::size_t(m->nr_feature);
    std::vector<std::vector<double>> ws(1, std::vector<double>(nf + 1, 0.0));
    for (std::size_t i = 0; i < nf; ++i) ws[0][i + 1] = m->w[i];
    const double b = m->w[nf] * prob.bias;
    free_and_destroy_model(&m);
    SvmFile f;
    f.type = SvmType::epsilon_svr;
    f.kernel = KernelType::linear;
    f.nr_class = 2;
    set_weight_vectors(f, ws);
    f.rho = {-b};
    f.sv_coef = {1.0};
    return f;
  }
  const std::size_t k = std::size_t(m->nr_class);
  // Crammer and Singer keeps one vector per class even for two classes.
  const std::size_t nr_w = k == 2 && solver != MCSVM_CS ? 1 : k;
  const std::size_t nf = std::size_t(m->nr_feature);  // without the bias
  std::vector<std::vector<double>> ws(nr_w, std::vector<double>(nf + 1, 0.0));
  std::vector<double> b(nr_w, 0.0);
  for (std::size_t c = 0; c < nr_w; ++c) {
    for (std::size_t i = 0; i < nf; ++i) ws[c][i + 1] = m->w[i * nr_w + c];
    b[c] = m->w[nf * nr_w + c] * prob.bias;
  }
  SvmFile f;
  f.type = SvmType::c_svc;
  f.kernel = KernelType::linear;
  f.nr_class = int(k);
  f.label.assign(m->label, m->label + k);
  free_and_destroy_model(&m);
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

Solver resolve_solver(const TrainParams& p, std::size_t rows) {
  if (p.learner != Learner::svm) return traits(p.learner).linear ? Solver::liblinear : Solver::automatic;
  if (p.solver != Solver::automatic) return p.solver;
  if (p.type == SvmType::c_svc && p.kernel == KernelType::linear && rows >= kLiblinearRows && !p.probability)
    return Solver::liblinear;
  return Solver::libsvm;
}

std::string_view solver_name(Solver s) {
  switch (s) {
    case Solver::automatic: return "auto";
    case Solver::libsvm: return "libsvm";
    case Solver::liblinear: return "liblinear";
  }
  return "?";
}

double effective_gamma(const TrainParams& p, const Dataset& d, const std::vector<std::size_t>& rows) {
  if (p.gamma) return *p.gamma;
  if (!d.max_index) return 1.0;
  const double features = double(d.max_index);
  if (p.gamma_rule == GammaRule::features) return 1.0 / features;
  // The variance of every value of the matrix, zeros included, as scikit-learn's "scale".
  double sum = 0, sq = 0;
  auto add = [&](std::size_t r) {
    for (std::size_t k = d.start[r]; d.nodes[k].index != -1; ++k) {
      sum += d.nodes[k].value;
      sq += d.nodes[k].value * d.nodes[k].value;
    }
  };
  if (rows.empty()) {
    for (std::size_t r = 0; r < d.rows(); ++r) add(r);
  } else {
    for (std::size_t r : rows) add(r);
  }
  const double n = double(rows.empty() ? d.rows() : rows.size()) * features;
  const double mean = sum / n;
  const double var = sq / n - mean * mean;
  return var > 0 ? 1.0 / (features * var) : 1.0 / features;
}

// libsvm's fixed 0.1 ignores the scale of the targets: on targets of 1, 2 and 3 it lets
// the slope shrink by 10%. A tube of 1% of the targets' spread is scale-free.
double effective_epsilon(const TrainParams& p, const Dataset& d) {
  if (p.epsilon) return *p.epsilon;
  if (d.classification || d.rows() == 0) return 0.1;
  double mean = 0;
  for (double y : d.target) mean += y;
  mean /= double(d.rows());
  double var = 0;
  for (double y : d.target) var += (y - mean) * (y - mean);
  return 0.01 * std::sqrt(var / double(d.rows()));
}

void check_params(const TrainParams& p, const Dataset& d) {
  if (p.solver == Solver::liblinear) {
    if (p.type != SvmType::c_svc || p.kernel != KernelType::linear)
      throw Error::usage("--solver liblinear trains linear C-SVC only (--type c-svc --kernel linear)");
    if (p.probability) throw Error::usage("--probability needs --solver libsvm (liblinear gives no probability model)");
  }
  if (!(p.cost > 0)) throw Error::usage("--cost must be > 0");
  if (p.gamma && !(*p.gamma >= 0)) throw Error::usage("--gamma must be >= 0");
  if (p.degree < 0) throw Error::usage("--degree must be >= 0");
  if (!(p.nu > 0 && p.nu <= 1)) throw Error::usage("--nu must be in (0, 1]");
  if (p.epsilon && !(*p.epsilon >= 0)) throw Error::usage("--epsilon must be >= 0");
  for (const auto& [name, w] : p.class_weights)
    if (!(w > 0)) throw Error::usage(fmt::format("--weight {}={}: weights must be > 0", name, w));
  if (d.rows() == 0) throw Error("no training rows in the input");
  if (is_classification(p.type) && d.classes() < 2)
    throw Error(fmt::format("only one class in the training data ('{}'): a classifier needs two or more",
                            d.class_names.empty() ? "" : d.class_names[0]));
}

ScaleMethod scale_for(const TrainParams& p, const Dataset& d) {
  if (p.scale) return *p.scale;
  if (is_tree_learner(p.learner) || d.max_index > kAutoScaleMaxFeatures) return ScaleMethod::none;
  return ScaleMethod::standard;
}

double forest_feature_sample(const Dataset& d) {
  const double features = std::max(1.0, double(d.max_index));
  if (!d.classification) return 1.0 / 3;
  return std::min(1.0, std::sqrt(features) / features);
}

int tree_depth(const TrainParams& p) {
  if (p.depth) return *p.depth;
  return p.learner == Learner::forest ? kForestDepth : kBoostDepth;
}

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

std::vector<double> balanced_weights(const Dataset& d, const std::vector<std::size_t>& rows) {
  std::vector<double> w(d.classes(), 1.0);
  std::vector<std::size_t> count(d.classes(), 0);
  for (std::size_t r : rows) ++count[std::size_t(d.target[r])];
  std::size_t present = 0;
  for (std::size_t c : count) present += c > 0;
  for (std::size_t c = 0; c < d.classes(); ++c)
    if (count[c]) w[c] = double(rows.size()) / (double(present) * double(count[c]));
  return w;
}

std::vector<double> class_weight_of(const Dataset& d, const TrainParams& p, const std::vector<std::size_t>& rows) {
  std::vector<double> w = p.balanced ? balanced_weights(d, rows) : std::vector<double>(d.classes(), 1.0);
  for (const auto& [name, weight] : p.class_weights) {
    auto it = std::find(d.class_names.begin(), d.class_names.end(), name);
    if (it == d.class_names.end()) throw Error::usage(fmt::format("--weight {}: no class '{}' in the data", name, name));
    w[std::size_t(it - d.class_names.begin())] *= weight;
  }
  return w;
}

bool serial_training(const TrainParams& p, std::size_t rows) {
  return resolve_solver(p, rows) == Solver::liblinear || p.probability;
}

std::string algorithm_name(const TrainParams& p, std::size_t rows) {
  if (p.learner != Learner::svm) return std::string(learner_name(p.learner));
  std::string s = fmt::format("{} {}", svm_type_option_name(p.type),
                              p.kernel == KernelType::poly ? "poly" : kernel_name(p.kernel));
  if (p.kernel == KernelType::linear && p.type == SvmType::c_svc)
    s += fmt::format(" ({})", solver_name(resolve_solver(p, rows)));
  return s;
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
  iteration_limit_warnings = 0;
  Trained t;
  SvmFile f = resolve_solver(p, rows.size()) == Solver::liblinear ? train_liblinear(d, p, rows, t.intercepts)
                                                                   : train_libsvm(d, p, rows);
  t.solver_warnings = iteration_limit_warnings > 0;  // one per training, however many sub-problems warned
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

std::vector<int> assign_folds(const Dataset& d, int k, unsigned seed) {
  std::vector<int> fold(d.rows(), 0);
  std::mt19937_64 rng(seed);
  // Fisher-Yates with our own bounded draws: std::shuffle's algorithm is not portable.
  auto shuffle = [&](std::vector<std::size_t>& v) {
    for (std::size_t i = v.size(); i > 1; --i) {
      std::size_t j = std::size_t(rng() % i);
      std::swap(v[i - 1], v[j]);
    }
  };
  std::size_t groups = d.classification ? d.classes() : 1;
  std::size_t dealt = 0;
  for (std::size_t c = 0; c < groups; ++c) {
    std::vector<std::size_t> members;
    for (std::size_t r = 0; r < d.rows(); ++r)
      if (!d.classification || std::size_t(d.target[r]) == c) members.push_back(r);
    shuffle(members);
    // Continue the round robin across classes, so that small classes don't all start at fold 0.
    for (std::size_t i = 0; i < members.size(); ++i) fold[members[i]] = int((dealt + i) % std::size_t(k));
    dealt += members.size();
  }
  return fold;
}

std::vector<CvResult> cross_validate_many(const Dataset& d, const std::vector<TrainParams>& params,
                                          const std::vector<int>& folds, int k, int threads,
                                          const FarmProgress& progress) {
  TaskFarm local(threads);
  return cross_validate_many(d, params, folds, k, local, progress);
}

std::vector<CvResult> cross_validate_many(const Dataset& d, const std::vector<TrainParams>& params,
                                          const std::vector<int>& folds, int k, TaskFarm& farm,
                                          const FarmProgress& progress) {
  std::vector<CvResult> results = cross_validate_sets(d, params, folds, k, farm, progress);
  for (const CvResult& r : results)
    if (!r.failure.empty()) throw Error(r.failure);
  return results;
}

std::vector<CvResult> cross_validate_sets(const Dataset& d, const std::vector<TrainParams>& params,
                                          const std::vector<int>& folds, int k, TaskFarm& farm,
                                          const FarmProgress& progress) {
  const std::size_t n = d.rows();
  std::vector<std::vector<std::size_t>> train_rows(static_cast<std::size_t>(k)), test_rows(static_cast<std::size_t>(k));
  for (std::size_t r = 0; r < n; ++r)
    for (int f = 0; f < k; ++f) (folds[r] == f ? test_rows : train_rows)[std::size_t(f)].push_back(r);

  // One job per (parameter set, fold); a set's folds are one group of jobs of like cost.
  std::vector<TaskFarm::Job> jobs;
  for (std::size_t s = 0; s < params.size(); ++s)
    for (int f = 0; f < k; ++f) jobs.push_back({s, serial_training(params[s], train_rows[std::size_t(f)].size())});
  // A job's result: the solver's iteration-limit warnings, its seconds, then the held-out
  // rows' predictions, then their scores, in the fold's row order.
  auto run = [&](std::size_t j) -> TaskFarm::Result {
    const auto t0 = std::chrono::steady_clock::now();
    const std::size_t set = j / std::size_t(k);
    const int fold = int(j % std::size_t(k));
    TrainParams p = params[set];
    p.probability = false;
    p.threads = 1;  // folds already run side by side
    const std::vector<std::size_t>& train_on = train_rows[std::size_t(fold)];
    const std::vector<std::size_t>& test_on = test_rows[std::size_t(fold)];
    // Imputation and scaling are fitted on the fold's training rows only: held-out rows
    // must not shape them.
    const PreparedRows prepared = prepare_rows(d, p, train_on);
    const Dataset& data = *prepared.data;
    Trained trained = train_model(data, p, train_on);
    const Model& model = trained.model;
    TaskFarm::Result out(2 + 2 * test_on.size(), 0.0);
    out[0] = double(trained.solver_warnings);
    double* predicted = out.data() + 2;
    double* scores = predicted + test_on.size();
    Model::Scratch scratch;
    SparseVector x;
    for (std::size_t i = 0; i < test_on.size(); ++i) {
      const std::size_t r = test_on[i];
      x.clear();
      for (std::size_t q = data.start[r]; data.nodes[q].index != -1; ++q)
        x.push(std::uint32_t(data.nodes[q].index), float(data.nodes[q].value));
      if (model.is_classifier()) {
        std::size_t c = model.predict_class(x, scratch);
        int label = model.labels()[c];
        auto it = std::find(d.class_labels.begin(), d.class_labels.end(), label);
        predicted[i] = double(it - d.class_labels.begin());
        if (model.decision_functions() == 1) {
          double dec = model.decision(x, scratch);
          // Oriented towards the data's first class, whatever the fold's label order.
          scores[i] = model.labels()[0] == d.class_labels[0] ? dec : -dec;
        } else if (model.class_count() == 1) {
          scores[i] = model.labels()[0] == d.class_labels[0] ? 1 : -1;
        }
      } else {
        predicted[i] = model.predict(x, scratch);
        scores[i] = predicted[i];
      }
    }
    out[1] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
  };
  std::vector<farm_detail::Outcome> done = farm.run_all(jobs, run, progress);
  // A usage error is the command line's, whichever job met it: the lowest one ends it all.
  for (const farm_detail::Outcome& o : done)
    if (!o.ok && o.usage) throw o.error();

  std::vector<CvResult> results(params.size());
  for (auto& r : results) {
    r.predicted.assign(n, 0.0);
    r.scores.assign(n, 0.0);
  }
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    CvResult& r = results[j / std::size_t(k)];
    const farm_detail::Outcome& o = done[j];
    if (!o.ok) {
      if (r.failure.empty()) r.failure = o.message;  // the set's lowest failing fold
      continue;
    }
    const std::vector<std::size_t>& test_on = test_rows[j % std::size_t(k)];
    const TaskFarm::Result& out = o.values;
    r.solver_warnings += std::size_t(out[0]);
    r.seconds += out[1];
    for (std::size_t i = 0; i < test_on.size(); ++i) {
      r.predicted[test_on[i]] = out[2 + i];
      r.scores[test_on[i]] = out[2 + test_on.size() + i];
    }
  }
  for (std::size_t s = 0; s < params.size(); ++s) {
    CvResult& r = results[s];
    if (!r.failure.empty()) continue;
    if (d.classification) {
      std::vector<int> truth(n), pred(n);
      for (std::size_t i = 0; i < n; ++i) {
        truth[i] = int(d.target[i]);
        pred[i] = int(r.predicted[i]);
      }
      r.metrics = classification_metrics(truth, pred, d.classes(), d.classes() == 2 ? &r.scores : nullptr);
    } else {
      r.metrics = regression_metrics(d.target, r.predicted);
    }
  }
  return results;
}

CvResult cross_validate(const Dataset& d, const TrainParams& p, const std::vector<int>& folds, int k, int threads) {
  return cross_validate_many(d, {p}, folds, k, threads, {})[0];
}

}  // namespace mlpipe
