// See train_params.h.
#include "mlpipe/model/train_params.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "mlpipe/core/error.h"

namespace mlpipe {

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

std::string algorithm_name(const TrainParams& p, std::size_t rows) {
  if (p.learner != Learner::svm) return std::string(learner_name(p.learner));
  std::string s = fmt::format("{} {}", svm_type_option_name(p.type),
                              p.kernel == KernelType::poly ? "poly" : kernel_name(p.kernel));
  if (p.kernel == KernelType::linear && p.type == SvmType::c_svc)
    s += fmt::format(" ({})", solver_name(resolve_solver(p, rows)));
  return s;
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

void check_solver(const TrainParams& p) {
  if (p.solver != Solver::liblinear) return;
  if (p.type != SvmType::c_svc || p.kernel != KernelType::linear)
    throw Error::usage("--solver liblinear trains linear C-SVC only (--type c-svc --kernel linear)");
  if (p.probability) throw Error::usage("--probability needs --solver libsvm (liblinear gives no probability model)");
}

void check_params(const TrainParams& p, const Dataset& d) {
  check_solver(p);
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

std::vector<double> class_weight_of(const Dataset& d, const TrainParams& p, const std::vector<std::size_t>& rows) {
  std::vector<double> w = p.balanced ? balanced_weights(d, rows) : std::vector<double>(d.classes(), 1.0);
  for (const auto& [name, weight] : p.class_weights) {
    auto it = std::find(d.class_names.begin(), d.class_names.end(), name);
    if (it == d.class_names.end()) throw Error::usage(fmt::format("--weight {}: no class '{}' in the data", name, name));
    w[std::size_t(it - d.class_names.begin())] *= weight;
  }
  return w;
}

}  // namespace mlpipe
