#include "mlpipe/model/sidecar.h"

#include <algorithm>

#include "mlpipe/core/cli.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/json_writer.h"
#include "mlpipe/model/model.h"
#include "mlpipe/model/train_report.h"

namespace mlpipe {

namespace {

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
  const bool svm = p.learner == Learner::svm;
  std::string side;
  JsonWriter w(side);
  w.begin_object();
  w.key("mlpipe_model").integer(1);
  w.key("mlpipe_version").string(version());
  w.key("learner").string(learner_name(p.learner));
  if (svm) {
    w.key("type").string(svm_type_option_name(p.type));
    w.key("kernel").string(p.kernel == KernelType::poly ? "poly" : kernel_name(p.kernel));
  }
  w.key("solver").string(is_tree_learner(p.learner) ? "xgboost" : solver_name(resolve_solver(p, d.rows())));
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
  w.key("label_field");
  if (f.label_field.empty()) w.null();
  else w.string(f.label_field);
  if (!f.label_type.empty()) w.key("label_type").string(f.label_type);
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
  w.key("spec");
  if (f.spec_json.empty()) w.null();
  else w.raw(f.spec_json);
  if (f.columns) {
    w.key("columns").begin_array();
    for (const PreparedColumn& c : f.columns->columns) w.string(c.name);
    w.end_array();
    f.columns->write_json(w);
  }
  if (f.scaling.method != ScaleMethod::none) {
    w.key("scaling").begin_object();
    w.key("method").string(scale_method_name(f.scaling.method));
    w.key("offset").begin_array();
    for (std::size_t j = 1; j < f.scaling.offset.size(); ++j) w.number(f.scaling.offset[j]);
    w.end_array();
    w.key("factor").begin_array();
    for (std::size_t j = 1; j < f.scaling.factor.size(); ++j) w.number(f.scaling.factor[j]);
    w.end_array();
    w.end_object();
  }
  w.key("training").begin_object();
  w.key("rows").integer(std::int64_t(d.rows()));
  w.key("features").integer(d.max_index);
  if (p.learner == Learner::svm) w.key("support_vectors").integer(std::int64_t(f.support_vectors));
  if (d.classification) {
    std::vector<std::int64_t> count(d.classes(), 0);
    for (double t : d.target) ++count[std::size_t(t)];
    w.key("class_counts").begin_object();
    for (std::size_t c = 0; c < d.classes(); ++c) w.key(d.class_names[c]).integer(count[c]);
    w.end_object();
  }
  w.end_object();
  w.key("cv");
  if (f.cv) metrics_json(w, *f.cv, d, f.folds, f.group, f.metric);
  else w.null();
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

}  // namespace mlpipe
