#include "mlpipe/model/describe.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string_view>

#include <fmt/format.h>

#include "mlpipe/model/model.h"

namespace mlpipe {

namespace {

using Line = std::function<void(std::string_view, const std::string&)>;

void describe_trees(const Model& m, const Line& line) {
  const TreeEnsemble& t = m.trees();
  line("learner", "xgboost (gradient-boosted trees)");
  line("objective", t.objective());
  if (m.is_classifier()) {
    std::string cls;
    for (std::size_t c = 0; c < m.class_names().size(); ++c) cls += (c ? ", " : "") + m.class_names()[c];
    line("classes", fmt::format("{} — {}", m.class_names().size(), cls));
    if (m.class_names().size() == 2) line("positive class", m.class_names()[0] + " (margin > 0)");
  }
  line("trees", fmt::format("{} ({} nodes, {} leaves, depth up to {})", t.trees(), t.nodes(), t.leaves(), t.depth()));
  line("max feature index", std::to_string(m.max_index()));
  line("probability", m.is_classifier() ? "yes (sigmoid or softmax of the margins)" : "no");
}

void describe_svm(const Model& m, const Line& line) {
  const SvmFile& f = m.file();
  const ModelInfo& info = m.info();
  const bool svm = info.learner.empty() || info.learner == "svm";
  // Weight vectors (liblinear's, or --compact) stand for no support vectors of their own.
  const bool collapsed = f.kernel == KernelType::linear && f.total_sv() == m.decision_functions() &&
                         std::all_of(f.sv_coef.begin(), f.sv_coef.end(), [](double c) { return c == 0 || c == 1; });
  if (!svm) line("learner", info.learner);
  line("type", std::string(svm_type_option_name(f.type)));
  std::string kern(f.kernel == KernelType::poly ? "poly" : kernel_name(f.kernel));
  if (f.kernel == KernelType::poly) kern += fmt::format(" (degree {}, gamma {}, coef0 {})", f.degree, f.gamma, f.coef0);
  if (f.kernel == KernelType::rbf) kern += fmt::format(" (gamma {})", f.gamma);
  if (f.kernel == KernelType::sigmoid) kern += fmt::format(" (gamma {}, coef0 {})", f.gamma, f.coef0);
  line("kernel", kern);
  if (m.is_classifier()) {
    std::string cls;
    for (std::size_t c = 0; c < f.label.size(); ++c) {
      if (c) cls += ", ";
      cls += m.class_names()[c];
      if (m.class_names()[c] != std::to_string(f.label[c])) cls += fmt::format(" ({})", f.label[c]);
      if (!collapsed) cls += fmt::format(": {} SV", f.nr_sv[c]);
    }
    line("classes", fmt::format("{} — {}", f.label.size(), cls));
    if (f.label.size() == 2) line("positive class", m.class_names()[0] + " (decision value > 0)");
  }
  if (!collapsed) line("support vectors", std::to_string(f.total_sv()));
  line("max feature index", std::to_string(f.max_index));
  line("decision functions", std::to_string(m.decision_functions()));
  line("probability", m.is_classifier() ? (m.has_probability() ? "yes"
                                           : info.calibration  ? "by the calibration below"
                                                               : "no")
                                        : (f.has_probability() ? fmt::format("Laplace scale {}", f.probA[0]) : "no"));
  if (f.kernel == KernelType::linear)
    line("stored", collapsed ? fmt::format("weight vectors ({} non-zero weights)", f.sv_index.size()) : "support vectors");
}

}  // namespace

std::string describe_model(const std::string& path, const FileSource& files) {
  Model m = load_model(path, files);
  std::string out;
  Line line = [&](std::string_view key, const std::string& value) {
    fmt::format_to(std::back_inserter(out), "{:<20}{}\n", fmt::format("{}:", key), value);
  };
  line("model", path);
  if (m.is_trees()) describe_trees(m, line);
  else describe_svm(m, line);
  const ModelInfo& info = m.info();
  if (!info.has_sidecar) {
    line("sidecar", "none");
  } else {
    line("sidecar", sidecar_path(path));
    // load_model checked both: the file is the sidecar's, and vectors must fit the dimension.
    line("model file", info.model_file ? fmt::format("{} bytes, checksum {}, as the sidecar says", info.model_file->bytes,
                                                     info.model_file->checksum)
                                       : "size and checksum not in the sidecar (mltrain --refresh-sidecar adds them)");
    line("dimension", info.dimension ? fmt::format("{} (an input index beyond it is refused)", info.dimension)
                                     : "unknown (not checked)");
    if (info.scaling)
      line("scaling", fmt::format("{} ({} features)", scale_method_name(info.scaling->method), info.scaling->dimension()));
    if (!info.columns.empty()) {
      std::string cols;
      for (const std::string& c : info.columns) cols += (cols.empty() ? "" : ", ") + c;
      line("columns", fmt::format("{}: {}", info.columns.size(), cols));
    }
    if (info.calibration)
      line("calibration", fmt::format("{}: P({}) = 1 / (1 + exp({:.6g} × decision {} {:.6g}))",
                                      info.learner == "svm" || info.learner.empty() ? "Platt" : "logistic",
                                      m.class_names()[0],
                                      info.calibration->a, info.calibration->b < 0 ? '-' : '+',
                                      std::fabs(info.calibration->b)));
    if (info.threshold) {
      std::string t = fmt::format("decision > {:.6g}", *info.threshold);
      if (info.calibration) t += fmt::format(" (probability > {:.4f})", apply_platt(*info.calibration, *info.threshold));
      line("threshold", t);
    }
    if (!info.label_field.empty()) line("label field", info.label_field);
    line("feature spec", info.spec.empty() ? "none" : info.spec);
    std::string side = info.sidecar_json;
    while (!side.empty() && side.back() == '\n') side.pop_back();
    line("sidecar contents", side);
  }
  return out;
}

}  // namespace mlpipe
