#include "mlpipe/model/describe.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string_view>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/spec_digest.h"
#include "mlpipe/model/model.h"
#include "mlpipe/model/sidecar.h"
#include "mlpipe/model/threshold_units.h"

namespace mlpipe {

namespace {

using Line = std::function<void(std::string_view, const std::string&)>;

void describe_trees(const Model& m, const Line& line) {
  const TreeEnsemble& t = m.trees();
  line("learner", m.info().learner == "forest" ? "forest (a random forest grown by XGBoost)"
                                               : "xgboost (gradient-boosted trees)");
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
  line("probability", m.is_classifier() ? (!info.class_intercepts.empty()
                                               ? "yes (liblinear's: each class's sigmoid of w·x + b, normalised)"
                                           : m.has_probability() ? "yes"
                                           : info.calibration    ? "by the calibration below"
                                                                 : "no")
                                        : (f.has_probability() ? fmt::format("Laplace scale {}", f.probA[0]) : "no"));
  if (f.kernel == KernelType::linear)
    line("stored", collapsed ? fmt::format("weight vectors ({} non-zero weights)", f.sv_index.size()) : "support vectors");
}

// What became of each CSV column: its kind, its levels or what fills a missing cell, and
// the columns left out with why. A model from before column preparation lists its columns.
void describe_columns(const ModelInfo& info, const Line& line, const Line& more_line) {
  const ColumnPrep& prep = *info.column_prep;
  if (prep.legacy) {
    std::string cols;
    for (const std::string& c : info.columns) cols += (cols.empty() ? "" : ", ") + c;
    line("columns", fmt::format("{}: {}", info.columns.size(), cols));
    return;
  }
  line("columns", fmt::format("{} used ({} features){}", prep.columns.size(), prep.dimension(),
                              prep.ignored.empty() ? "" : fmt::format(", {} left out", prep.ignored.size())));
  auto more = [&](const std::string& v) { more_line("", v); };
  for (const PreparedColumn& c : prep.columns) {
    std::string what;
    if (c.kind == ColumnKind::number) {
      what = "number";
      if (c.fill) what += fmt::format(", a missing cell becomes {:.6g} (the training rows' mean)", *c.fill);
      else what += ", a missing cell stays missing (each tree split's default branch)";
    } else {
      std::string levels;
      for (std::size_t k = 0; k < c.levels.size() && k < 5; ++k) levels += (k ? ", " : "") + c.levels[k];
      if (c.levels.size() > 5) levels += ", …";
      what = fmt::format("category, {} levels ({}); another value or a missing cell sets none", c.levels.size(),
                         levels);
    }
    if (c.missing) what += fmt::format("; {} training cell{} missing", c.missing, c.missing == 1 ? "" : "s");
    more(fmt::format("{}: {}", c.name, what));
  }
  for (const IgnoredColumn& c : prep.ignored) more(fmt::format("{}: left out ({})", c.name, c.reason));
}

// A number as people read it: up to 4 decimals for figures in [0, 1], else 6 digits.
std::string figure(double v) { return std::fabs(v) <= 1 ? fmt::format("{:.4f}", v) : fmt::format("{:.6g}", v); }

// "a 1, b yes": an object's members, booleans as yes/no and strings unquoted.
std::string members(JsonReader& r, const Field& object) {
  std::string out;
  for (const Field& f : r.get_object(object)) {
    std::string v(f.raw);
    if (f.type == JsonType::boolean) v = r.get_bool(f) ? "yes" : "no";
    else if (f.type == JsonType::string) v = std::string(r.get_string(f));
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", f.key, v);
  }
  return out;
}

std::optional<double> number_at(JsonReader& r, std::string_view path) {
  std::optional<Field> f = r.find(path);
  if (!f || f->type != JsonType::number) return std::nullopt;
  return r.get_number(*f);
}

std::string string_at(JsonReader& r, std::string_view path) {
  std::optional<Field> f = r.find(path);
  return f && f->type == JsonType::string ? std::string(r.get_string(*f)) : std::string();
}

// What an mlfeat (or mllink pair) spec makes of a text, in one line; the whole spec is in
// the sidecar (--json).
std::string spec_summary(const std::string& spec) {
  JsonText json(spec, "spec");
  JsonReader& r = json.reader();
  std::string out;
  const std::string type = string_at(r, "vocabulary.type");
  if (type == "hashing") {
    out = fmt::format("words hashed into 2^{}", number_at(r, "vocabulary.hash_bits").value_or(0));
  } else if (type == "fitted") {
    out = fmt::format("words from a fitted vocabulary of {} terms", number_at(r, "vocabulary.terms").value_or(0));
    if (std::string file = string_at(r, "vocabulary.file"); !file.empty()) out += " (" + file + ")";
  } else if (r.find("layout")) {
    out = "pair features (mllink)";
  } else {
    out = "a spec mlpipe does not summarise";
  }
  if (std::optional<Field> n = r.find("tokens.ngrams"); n && n->type == JsonType::number)
    out += fmt::format(", {}-grams", r.get_integer(*n));
  if (std::string w = string_at(r, "weight"); !w.empty()) out += ", " + w;
  if (std::string n = string_at(r, "norm"); !n.empty()) out += ", " + n;
  if (std::optional<Field> g = r.find("groups"); g && g->type == JsonType::array && g->raw != "[]")
    out += "; feature groups after the words";
  if (std::optional<double> d = number_at(r, "dimension")) out += fmt::format("; {} features", *d);
  return out;
}

// The cross-validation the sidecar keeps: the figure that ranked, the others, per class.
void describe_cv(JsonReader& r, const Line& line, const Line& more_line) {
  auto more = [&](const std::string& v) { more_line("", v); };
  std::optional<Field> cv = r.find("cv");
  if (!cv || cv->type != JsonType::object) {
    line("cross-validation", "none kept (mltrain --cv K, --grid or --compare keep it)");
    return;
  }
  std::string head = fmt::format("{} folds", number_at(r, "cv.folds").value_or(0));
  if (std::string g = string_at(r, "cv.group"); !g.empty()) head += " by " + g;
  if (std::string metric = string_at(r, "cv.metric"); !metric.empty())
    head += fmt::format(", ranked by {}: {}", metric, figure(number_at(r, "cv.score").value_or(0)));
  line("cross-validation", head);
  std::string figures;
  for (auto [key, name] : {std::pair{"accuracy", "accuracy"}, {"macro_f1", "macro-F1"}, {"roc_auc", "ROC AUC"},
                           {"average_precision", "average precision"}, {"mse", "MSE"}, {"mae", "MAE"}, {"r2", "r2"}})
    if (std::optional<double> v = number_at(r, fmt::format("cv.{}", key)))
      figures += fmt::format("{}{} {}", figures.empty() ? "" : "  ", name, figure(*v));
  if (!figures.empty()) more(figures);
  std::optional<Field> per = r.find("cv.per_class");
  if (!per || per->type != JsonType::object) return;
  const std::vector<Field> classes = r.get_object(*per);
  std::size_t width = 5;
  for (const Field& c : classes) width = std::max(width, c.key.size());
  more(fmt::format("{:<{}}  precision  recall  f1      support", "class", width));
  for (const Field& c : classes) {
    double p = 0, rc = 0, f1 = 0, support = 0;
    if (c.type != JsonType::object) continue;
    for (const Field& m : r.get_object(c)) {
      if (m.type != JsonType::number) continue;
      const double v = r.get_number(m);
      if (m.key == "precision") p = v;
      else if (m.key == "recall") rc = v;
      else if (m.key == "f1") f1 = v;
      else if (m.key == "support") support = v;
    }
    more(fmt::format("{:<{}}  {:<9.4f}  {:<6.4f}  {:<6.4f}  {}", c.key, width, p, rc, f1, support));
  }
}

}  // namespace

std::string describe_sidecar_json(const std::string& path, const FileSource& files) {
  Model m = load_model(path, files);  // the sidecar as every reader checks it
  const ModelInfo& info = m.info();
  if (!info.has_sidecar)
    throw Error(path, 0, fmt::format("no sidecar ({}): a model file alone, which --info describes", sidecar_path(path)));
  std::string out = info.sidecar_json;
  if (out.empty() || out.back() != '\n') out += '\n';
  return out;
}

std::string describe_model(const std::string& path, const FileSource& files) {
  Model m = load_model(path, files);
  std::string out;
  Line line = [&](std::string_view key, const std::string& value) {
    fmt::format_to(std::back_inserter(out), "{:<20}{}\n", fmt::format("{}:", key), value);
  };
  // A further line of the entry above, aligned with its value.
  Line more_line = [&](std::string_view, const std::string& value) { fmt::format_to(std::back_inserter(out), "{:<20}{}\n", "", value); };
  auto more = [&](const std::string& value) { more_line("", value); };
  line("model", path);
  line("task", m.is_classifier() ? fmt::format("classification, {} classes", m.class_count())
               : m.is_regression() ? "regression"
                                   : "one-class (decision value > 0: like the training rows)");
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
    JsonText side(info.sidecar_json, sidecar_path(path));
    JsonReader& r = side.reader();
    if (std::optional<Field> p = r.find("params"); p && p->type == JsonType::object) line("parameters", members(r, *p));
    if (std::optional<double> rows = number_at(r, "training.rows")) {
      std::string t = fmt::format("{} rows", *rows);
      if (std::optional<Field> c = r.find("training.class_counts"); c && c->type == JsonType::object) {
        std::string counts;
        for (const Field& k : r.get_object(*c)) counts += fmt::format("{}{}: {}", counts.empty() ? "" : ", ", k.key, k.raw);
        t += " (" + counts + ")";
      }
      if (std::optional<double> f = number_at(r, "training.features")) t += fmt::format(", largest index {}", *f);
      line("training", t);
    }
    if (!info.label_field.empty())
      line("label field", info.label_type.empty() ? info.label_field
                                                  : fmt::format("{} ({} labels)", info.label_field, info.label_type));
    if (info.column_prep) describe_columns(info, line, more_line);
    // The digest is what mlfeat writes into each vector and what a refused record's message
    // names: shown here so that a message can be matched to a model.
    const bool pair_spec = info.spec.find("\"mllink_pairs\"") != std::string::npos;
    line("feature spec", info.spec.empty() ? "none"
                         : pair_spec       ? spec_summary(info.spec)
                                           : fmt::format("{}; digest {}", spec_summary(info.spec),
                                                         feature_spec_digest(info.spec)));
    std::string folded = string_at(r, "params.scale");
    if (info.scaling) {
      line("scaling", fmt::format("{} of {} features, applied by mlclassify from the sidecar", scale_method_name(info.scaling->method),
                                  info.scaling->dimension()));
      if (!m.is_trees()) more(fmt::format("for svm-predict: svm-scale -r {}.range", path));
    } else if (!folded.empty() && folded != "none") {
      line("scaling", fmt::format("{}, folded into the weights (the model reads raw features)", folded));
    } else {
      line("scaling", "none");
    }
    if (info.calibration) {
      std::string method = string_at(r, "calibration.method");
      line("calibration", fmt::format("{}: P({}) = 1 / (1 + exp({:.6g} × decision {} {:.6g}))",
                                      method.empty() ? "platt" : method, m.class_names()[0], info.calibration->a,
                                      info.calibration->b < 0 ? '-' : '+', std::fabs(info.calibration->b)));
    } else {
      line("calibration", "none");
    }
    if (info.threshold) {
      std::string t = fmt::format("decision value > {:.6g}", *info.threshold);
      if (info.calibration)
        t += fmt::format(" (probability > {:.4f})", ScoreUnits::calibrated(*info.calibration).threshold(info.threshold));
      if (std::string by = string_at(r, "threshold.chosen_by"); !by.empty()) t += ", " + by;
      if (std::optional<double> f1 = number_at(r, "threshold.f1")) t += fmt::format(", out-of-fold F1 {:.4f}", *f1);
      line("threshold", t);
    } else if (m.is_classifier() && m.class_count() == 2) {
      line("threshold", info.calibration ? "probability > 0.5 (the default)" : "decision value > 0 (the default)");
    }
    describe_cv(r, line, more_line);
    line("sidecar contents", "mltrain --info " + path + " --json");
  }
  return out;
}

}  // namespace mlpipe
