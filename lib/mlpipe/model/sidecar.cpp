// See sidecar.h. The writer first, then the reader; a member added to one goes in the other
// in the same change (and in mltrain(1), FILES).
#include "mlpipe/model/sidecar.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "mlpipe/core/cli.h"
#include "mlpipe/core/error.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/json_writer.h"
#include "mlpipe/core/parse_number.h"
#include "mlpipe/core/snippet.h"
#include "mlpipe/model/dataset.h"
#include "mlpipe/model/svm_file.h"
#include "mlpipe/model/train_params.h"

namespace mlpipe {

// ---------------------------------------------------------------- writing

namespace {

// "params": the learner's parameters as trained, and the scaling.
void write_params(JsonWriter& w, const SidecarFacts& f) {
  const TrainParams& p = *f.params;
  const Dataset& d = *f.data;
  const bool svm = p.learner == Learner::svm;
  w.key("params").begin_object();
  if (p.learner == Learner::xgboost) {
    w.key("trees").integer(p.trees).key("depth").integer(tree_depth(p)).key("eta").number(p.eta);
    w.key("row_sample").number(kBoostRowSample).key("feature_sample").number(kBoostFeatureSample);
  } else if (p.learner == Learner::forest) {
    w.key("trees").integer(p.trees).key("depth").integer(tree_depth(p));
    w.key("row_sample").number(kForestRowSample).key("split_feature_sample").number(forest_feature_sample(d));
  } else {
    w.key("cost").number(p.cost);
    if (svm && p.kernel != KernelType::linear) w.key("gamma").number(f.gamma);
    if (svm && p.kernel == KernelType::poly) w.key("degree").integer(p.degree);
    if (svm && (p.kernel == KernelType::poly || p.kernel == KernelType::sigmoid)) w.key("coef0").number(p.coef0);
    if (svm && (p.type == SvmType::nu_svc || p.type == SvmType::nu_svr || p.type == SvmType::one_class))
      w.key("nu").number(p.nu);
    if ((svm && p.type == SvmType::epsilon_svr) || p.learner == Learner::linear_svr)
      w.key("epsilon").number(effective_epsilon(p, d));
    w.key("probability").boolean(p.probability);
    w.key("compact").boolean(p.compact);
  }
  w.key("balanced").boolean(p.balanced);
  w.key("seed").integer(p.seed);
  // How the features were scaled; a linear model has it folded into its weights.
  w.key("scale").string(scale_method_name(f.scale_method));
  if (f.scale_method != ScaleMethod::none && f.scaling.method == ScaleMethod::none)
    w.key("scale_folded_into_weights").boolean(true);
  w.end_object();
}

// "classes": {"LABEL": "NAME", …} in the model file's label order, or null.
void write_classes(JsonWriter& w, const SidecarFacts& f) {
  const Dataset& d = *f.data;
  w.key("classes");
  if (d.classification && !f.model_labels.empty()) {
    w.begin_object();
    for (int label : f.model_labels) {
      auto it = std::find(d.class_labels.begin(), d.class_labels.end(), label);
      w.key(std::to_string(label)).string(d.class_names[std::size_t(it - d.class_labels.begin())]);
    }
    w.end_object();
  } else {
    w.null();
  }
}

void write_scaling(JsonWriter& w, const Scaling& s) {
  if (s.method == ScaleMethod::none) return;
  w.key("scaling").begin_object();
  w.key("method").string(scale_method_name(s.method));
  w.key("offset").begin_array();
  for (std::size_t j = 1; j < s.offset.size(); ++j) w.number(s.offset[j]);
  w.end_array();
  w.key("factor").begin_array();
  for (std::size_t j = 1; j < s.factor.size(); ++j) w.number(s.factor[j]);
  w.end_array();
  w.end_object();
}

// "training": the rows, the largest index, the support vectors, each class's rows.
void write_training(JsonWriter& w, const SidecarFacts& f) {
  const Dataset& d = *f.data;
  w.key("training").begin_object();
  w.key("rows").integer(std::int64_t(d.rows()));
  w.key("features").integer(d.max_index);
  if (f.params->learner == Learner::svm) w.key("support_vectors").integer(std::int64_t(f.support_vectors));
  if (d.classification) {
    std::vector<std::int64_t> count(d.classes(), 0);
    for (double t : d.target) ++count[std::size_t(t)];
    w.key("class_counts").begin_object();
    for (std::size_t c = 0; c < d.classes(); ++c) w.key(d.class_names[c]).integer(count[c]);
    w.end_object();
  }
  w.end_object();
}

// "cv": the cross-validation of the configuration kept.
void write_cv(JsonWriter& w, const Metrics& m, const Dataset& d, int folds, const std::string& group,
              const MetricChoice& metric) {
  w.begin_object();
  w.key("folds").integer(folds);
  if (!group.empty()) w.key("group").string(group);
  w.key("metric").string(metric_name(metric.metric));
  if (metric.metric == Metric::f1 && d.classes() == 2) w.key("metric_class").string(d.class_names[metric.f1_class]);
  w.key("score").number(metric_value(m, metric.metric, metric.f1_class));
  if (m.regression) {
    w.key("mse").number(m.mse).key("mae").number(m.mae).key("r2").number(m.r2);
  } else {
    w.key("accuracy").number(m.accuracy).key("macro_f1").number(m.macro_f1);
    if (m.roc_auc) w.key("roc_auc").number(*m.roc_auc);
    if (m.average_precision) w.key("average_precision").number(*m.average_precision);
    w.key("per_class").begin_object();
    for (std::size_t c = 0; c < m.per_class.size(); ++c) {
      const ClassMetrics& cm = m.per_class[c];
      w.key(d.class_names[c]).begin_object();
      w.key("precision").number(cm.precision).key("recall").number(cm.recall).key("f1").number(cm.f1);
      w.key("support").integer(std::int64_t(cm.support)).end_object();
    }
    w.end_object();
  }
  w.end_object();
}

// "calibration", "class_probability" and "threshold": what turns decision values into
// probabilities and decisions.
void write_decisions(JsonWriter& w, const SidecarFacts& f) {
  if (f.calibration) {
    w.key("calibration").begin_object();
    w.key("method").string(f.calibration_method).key("a").number(f.calibration->a).key("b").number(f.calibration->b);
    w.end_object();
  }
  if (!f.intercepts.empty()) {
    w.key("class_probability").begin_object();
    w.key("method").string("logistic-ovr");
    w.key("intercepts").begin_array();
    for (double b : f.intercepts) w.number(b);
    w.end_array();
    w.end_object();
  }
  if (f.threshold) {
    w.key("threshold").begin_object();
    w.key("decision").number(f.threshold->threshold);
    if (f.calibration) w.key("probability").number(apply_platt(*f.calibration, f.threshold->threshold));
    w.key("chosen_by").string(f.threshold_chosen_by);
    if (f.cv) w.key("f1").number(f.threshold->f1);
    w.end_object();
  }
}

// The members that tie a sidecar to its model file, last in every sidecar.
void write_file_facts(JsonWriter& w, std::uint32_t dimension, const FileDigest& model_file) {
  if (dimension > 0) w.key("dimension").integer(dimension);
  w.key("model_file").begin_object();
  w.key("bytes").integer(std::int64_t(model_file.bytes)).key("checksum").string(model_file.checksum);
  w.end_object();
}

}  // namespace

std::string format_sidecar(const SidecarFacts& f) {
  const TrainParams& p = *f.params;
  const Dataset& d = *f.data;
  std::string side;
  JsonWriter w(side);
  w.begin_object();
  w.key("mlpipe_model").integer(1);
  w.key("mlpipe_version").string(version());
  w.key("learner").string(learner_name(p.learner));
  if (p.learner == Learner::svm) {
    w.key("type").string(svm_type_option_name(p.type));
    w.key("kernel").string(p.kernel == KernelType::poly ? "poly" : kernel_name(p.kernel));
  }
  w.key("solver").string(is_tree_learner(p.learner) ? "xgboost" : solver_name(resolve_solver(p, d.rows())));
  write_params(w, f);
  w.key("label_field");
  if (f.label_field.empty()) w.null();
  else w.string(f.label_field);
  if (!f.label_type.empty()) w.key("label_type").string(f.label_type);
  write_classes(w, f);
  w.key("spec");
  if (f.spec_json.empty()) w.null();
  else w.raw(f.spec_json);
  if (f.columns) {
    w.key("columns").begin_array();
    for (const PreparedColumn& c : f.columns->columns) w.string(c.name);
    w.end_array();
    f.columns->write_json(w);
  }
  write_scaling(w, f.scaling);
  write_training(w, f);
  w.key("cv");
  if (f.cv) write_cv(w, *f.cv, d, f.folds, f.group, f.metric);
  else w.null();
  write_decisions(w, f);
  write_file_facts(w, f.dimension, f.model_file);
  w.end_object().end_record();
  return side;
}

std::string refresh_sidecar(const std::string& text, std::string_view model_text, const std::string& name) {
  // parse_sidecar first: what is refreshed must be a sidecar every reader accepts.
  const ModelInfo info = parse_sidecar(text, name);
  JsonText json(text, name);
  JsonReader& reader = json.reader();
  std::string side;
  JsonWriter w(side);
  w.begin_object();
  w.copy_fields(reader.fields(), {"dimension", "model_file"});
  write_file_facts(w, info.dimension, file_digest(model_text));
  w.end_object().end_record();
  return side;
}

// ---------------------------------------------------------------- reading

std::string sidecar_path(const std::string& model_path) { return model_path + ".json"; }

namespace {

// The member at `path` as a finite number; nullopt when absent.
std::optional<double> finite_number(JsonReader& reader, const char* path) {
  std::optional<Field> f = reader.find(path);
  if (!f) return std::nullopt;
  double v = reader.get_number(*f);
  if (!std::isfinite(v)) throw Error(fmt::format("'{}': expected a finite number", path));
  return v;
}

// The member at `path` as a whole number from 0 to `max`; nullopt when absent or null.
std::optional<std::uint64_t> whole_number(JsonReader& reader, const char* path, std::uint64_t max) {
  std::optional<Field> f = reader.find(path);
  if (!f || f->type == JsonType::null) return std::nullopt;
  std::int64_t v = reader.get_integer(*f);
  if (v < 0 || std::uint64_t(v) > max)
    throw Error(fmt::format("'{}': expected a whole number from 0 to {}, found {}", path, max, v));
  return std::uint64_t(v);
}

void read_calibration(JsonReader& reader, ModelInfo& info) {
  std::optional<Field> c = reader.find("calibration");
  if (!c || c->type == JsonType::null) return;
  if (c->type != JsonType::object)
    throw Error(fmt::format("'calibration': expected an object, found {}", type_name(c->type)));
  std::optional<Field> method = reader.find("calibration.method");
  // "logistic": a logistic regression's own sigmoid (a = -1, b = 0), kept in the same form.
  if (!method || method->type != JsonType::string ||
      (reader.get_string(*method) != "platt" && reader.get_string(*method) != "logistic"))
    throw Error("'calibration.method': expected \"platt\" or \"logistic\"");
  auto a = finite_number(reader, "calibration.a");
  auto b = finite_number(reader, "calibration.b");
  if (!a || !b) throw Error("'calibration': expected the numbers \"a\" and \"b\" of the sigmoid");
  info.calibration = PlattCalibration{*a, *b};
}

void read_scaling(JsonReader& reader, ModelInfo& info) {
  std::optional<Field> sc = reader.find("scaling");
  if (!sc || sc->type == JsonType::null) return;
  if (sc->type != JsonType::object)
    throw Error(fmt::format("'scaling': expected an object, found {}", type_name(sc->type)));
  Scaling scaling;
  std::optional<Field> method = reader.find("scaling.method");
  std::string_view m = method && method->type == JsonType::string ? reader.get_string(*method) : "";
  if (m == "standard") scaling.method = ScaleMethod::standard;
  else if (m == "minmax") scaling.method = ScaleMethod::minmax;
  else throw Error("'scaling.method': expected \"standard\" or \"minmax\"");
  std::optional<Field> offset = reader.find("scaling.offset");
  if (!offset) throw Error("'scaling': expected the array \"offset\"");
  reader.get_numbers(*offset, scaling.offset);
  std::optional<Field> factor = reader.find("scaling.factor");
  if (!factor) throw Error("'scaling': expected the array \"factor\"");
  reader.get_numbers(*factor, scaling.factor);
  if (scaling.offset.size() != scaling.factor.size())
    throw Error(fmt::format("'scaling': {} offsets but {} factors", scaling.offset.size(), scaling.factor.size()));
  // Stored from feature 1 on; index 0 is unused.
  scaling.offset.insert(scaling.offset.begin(), 0.0);
  scaling.factor.insert(scaling.factor.begin(), 1.0);
  info.scaling = std::move(scaling);
}

void read_class_probability(JsonReader& reader, ModelInfo& info) {
  std::optional<Field> cp = reader.find("class_probability");
  if (!cp || cp->type == JsonType::null) return;
  if (cp->type != JsonType::object)
    throw Error(fmt::format("'class_probability': expected an object, found {}", type_name(cp->type)));
  std::optional<Field> method = reader.find("class_probability.method");
  if (!method || method->type != JsonType::string || reader.get_string(*method) != "logistic-ovr")
    throw Error("'class_probability.method': expected \"logistic-ovr\"");
  std::optional<Field> b = reader.find("class_probability.intercepts");
  if (!b) throw Error("'class_probability': expected the array \"intercepts\"");
  reader.get_numbers(*b, info.class_intercepts);
  if (info.class_intercepts.empty()) throw Error("'class_probability.intercepts': expected one number per class");
}

// "dimension" (older sidecars: "training.features"), which the CSV layout must fit in.
void read_dimension(JsonReader& reader, ModelInfo& info) {
  constexpr std::uint64_t kMaxIndex = 4294967295u;
  if (auto d = whole_number(reader, "dimension", kMaxIndex)) info.dimension = std::uint32_t(*d);
  else if (auto t = whole_number(reader, "training.features", kMaxIndex)) info.dimension = std::uint32_t(*t);
  if (info.column_prep && info.column_prep->dimension() > info.dimension)
    throw Error(fmt::format("'column_prep' lays out {} features, more than the dimension {}",
                            info.column_prep->dimension(), info.dimension));
}

void read_model_file(JsonReader& reader, ModelInfo& info) {
  std::optional<Field> mf = reader.find("model_file");
  if (!mf || mf->type == JsonType::null) return;
  if (mf->type != JsonType::object)
    throw Error(fmt::format("'model_file': expected an object, found {}", type_name(mf->type)));
  FileDigest digest;
  auto bytes = whole_number(reader, "model_file.bytes", std::uint64_t(1) << 40);
  if (!bytes) throw Error("'model_file': expected the number \"bytes\"");
  digest.bytes = *bytes;
  std::optional<Field> sum = reader.find("model_file.checksum");
  if (!sum || sum->type != JsonType::string) throw Error("'model_file': expected the string \"checksum\"");
  digest.checksum = std::string(reader.get_string(*sum));
  if (digest.checksum.size() != 16 || digest.checksum.find_first_not_of("0123456789abcdef") != std::string::npos)
    throw Error(fmt::format("'model_file.checksum': expected 16 hex digits, found \"{}\"",
                            input_snippet(digest.checksum)));
  info.model_file = std::move(digest);
}

void read_members(JsonReader& reader, ModelInfo& info) {
  if (std::optional<Field> spec = reader.find("spec"); spec && spec->type != JsonType::null)
    info.spec = std::string(spec->raw);
  if (std::optional<Field> lf = reader.find("label_field"); lf && lf->type != JsonType::null)
    info.label_field = std::string(reader.get_string(*lf));
  if (std::optional<Field> l = reader.find("learner"); l && l->type != JsonType::null)
    info.learner = std::string(reader.get_string(*l));
  read_calibration(reader, info);
  read_scaling(reader, info);
  if (std::optional<Field> lt = reader.find("label_type"); lt && lt->type != JsonType::null) {
    std::string_view t = reader.get_string(*lt);
    if (t != "number" && t != "string" && t != "boolean")
      throw Error(fmt::format("'label_type': expected \"number\", \"string\" or \"boolean\", found \"{}\"", t));
    info.label_type = std::string(t);
  }
  if (std::optional<Field> cols = reader.find("columns"); cols && cols->type != JsonType::null) {
    reader.get_strings(*cols, info.columns);
    info.column_prep = ColumnPrep::read_json(reader, info.columns);
  }
  read_class_probability(reader, info);
  read_dimension(reader, info);
  read_model_file(reader, info);
  if (std::optional<Field> t = reader.find("threshold"); t && t->type != JsonType::null) {
    if (t->type != JsonType::object)
      throw Error(fmt::format("'threshold': expected an object, found {}", type_name(t->type)));
    info.threshold = finite_number(reader, "threshold.decision");
    if (!info.threshold) throw Error("'threshold': expected the number \"decision\"");
  }
}

}  // namespace

ModelInfo parse_sidecar(const std::string& text, const std::string& name) {
  ModelInfo info;
  info.has_sidecar = true;
  info.sidecar_json = text;
  try {
    JsonText json(text, name);
    read_members(json.reader(), info);
  } catch (Error& e) {
    e.locate(name, 0);
    throw;
  }
  return info;
}

std::vector<std::string> sidecar_class_names(const std::string& text, const std::string& name, const SvmFile& f) {
  std::vector<std::string> names;
  try {
    JsonText json(text, name);
    JsonReader& reader = json.reader();
    std::optional<Field> classes = reader.find("classes");
    if (!classes || classes->type == JsonType::null) return names;
    if (!is_classification(f.type)) throw Error("'classes' given for a model that is not a classifier");
    if (classes->type != JsonType::object)
      throw Error(fmt::format("'classes': expected an object {{\"LABEL\": \"NAME\", …}}, found {}",
                              type_name(classes->type)));
    std::vector<Field> members = reader.get_object(*classes);
    // Keys live in the reader's scratch space: copy them before reading values.
    std::vector<std::string> keys;
    for (const Field& m : members) keys.emplace_back(m.key);
    names.assign(f.label.size(), std::string());
    std::vector<bool> have(f.label.size(), false);
    for (std::size_t i = 0; i < members.size(); ++i) {
      const std::string& key = keys[i];
      auto it = std::find_if(f.label.begin(), f.label.end(), [&](int l) { return std::to_string(l) == key; });
      if (it == f.label.end())
        throw Error(fmt::format("'classes' names label {}, which the model does not have", key));
      std::size_t c = std::size_t(it - f.label.begin());
      if (have[c]) throw Error(fmt::format("'classes' names label {} twice", key));
      names[c] = std::string(reader.get_string(members[i]));
      have[c] = true;
    }
    for (std::size_t c = 0; c < have.size(); ++c)
      if (!have[c]) throw Error(fmt::format("'classes' has no name for the model's label {}", f.label[c]));
  } catch (Error& e) {
    throw Error(name, 0, e.what());
  }
  return names;
}

void read_tree_classes(const std::string& text, const std::string& name, ModelInfo& info) {
  try {
    JsonText json(text, name);
    JsonReader& reader = json.reader();
    std::optional<Field> classes = reader.find("classes");
    if (!classes || classes->type == JsonType::null) return;
    if (classes->type != JsonType::object)
      throw Error(fmt::format("'classes': expected an object {{\"LABEL\": \"NAME\", …}}, found {}",
                              type_name(classes->type)));
    std::vector<Field> members = reader.get_object(*classes);
    std::vector<std::string> keys;  // keys live in the reader's scratch space: copy them first
    for (const Field& m : members) keys.emplace_back(m.key);
    for (std::size_t i = 0; i < members.size(); ++i) {
      const std::string& key = keys[i];
      const std::optional<int> label = parse_integer<int>(key);
      if (!label) throw Error(fmt::format("'classes': the label '{}' is not an integer", key));
      if (std::find(info.class_labels.begin(), info.class_labels.end(), *label) != info.class_labels.end())
        throw Error(fmt::format("'classes' names label {} twice", key));
      info.class_labels.push_back(*label);
      info.class_names.emplace_back(reader.get_string(members[i]));
    }
  } catch (Error& e) {
    throw Error(name, 0, e.what());
  }
}

}  // namespace mlpipe
