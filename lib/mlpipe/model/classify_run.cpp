// The models as mlclassify applies them: what each writes and its threshold in those units.
#include "mlpipe/model/classify_run.h"

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/model/sidecar.h"

namespace mlpipe::classify {

namespace {

// What a model writes under the options: its class for a multi-class model, else its score.
Output output_of(const Model& m, const ClassifySettings& s) {
  if (m.is_classifier() && m.class_count() != 2) return Output::class_name;
  if (m.is_classifier())
    return s.probability                              ? Output::probability
           : m.info().calibration && !s.decision ? Output::calibrated
                                                      : Output::decision;
  if (m.is_regression()) return Output::value;
  return Output::decision;  // one-class: > 0 inside
}

// The units of a model's binary score (threshold_units.h); none for regression values and
// class names, which have no threshold by default.
std::optional<ScoreUnits> units_of(const Model& m, Output output) {
  switch (output) {
    case Output::decision: return ScoreUnits::decision();
    case Output::calibrated: return ScoreUnits::calibrated(*m.info().calibration);
    case Output::probability: {
      if (m.is_trees()) return ScoreUnits::tree_probability();
      const SvmFile& f = m.file();
      return ScoreUnits::libsvm_probability(f.probA.empty() ? PlattCalibration{}
                                                            : PlattCalibration{f.probA[0], f.probB[0]});
    }
    case Output::value:
    case Output::class_name: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

std::string_view output_name(Output out) {
  switch (out) {
    case Output::decision: return "decision values";
    case Output::calibrated: return "calibrated probabilities";
    case Output::probability: return "probabilities";
    case Output::value: return "regression values";
    case Output::class_name: return "class names";
  }
  return "scores";
}

std::string trim_spec(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
  std::size_t b = 0;
  while (b < s.size() && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n' || s[b] == '\r')) ++b;
  return s.substr(b);
}

Entry make_entry(const std::string& name, const std::string& path, const Model& model, const ClassifySettings& s,
                 const StreamSpec& spec) {
  if (!spec.text.empty() && !model.spec().empty() && trim_spec(model.spec()) != spec.text) {
    if (spec.model.empty())
      throw Error(sidecar_path(path), 0,
                  fmt::format("model '{}' was trained on features made with another spec than {} (compare the "
                              "sidecar's \"spec\" with that file)",
                              name, s.spec_file));
    throw Error(sidecar_path(path), 0,
                fmt::format("model '{}' was trained on features made with another spec than model '{}': the "
                            "records' features cannot fit both (compare the sidecars' \"spec\"; --spec FILE "
                            "names the input's)",
                            name, spec.model));
  }
  if (s.probability && model.is_classifier() && !model.has_probability())
    throw Error(path, 0, fmt::format("--probability: model '{}' was not trained with probability estimates "
                                     "(train it with mltrain --probability or svm-train -b 1)", name));
  Entry e;
  e.name = name;
  e.path = path;
  e.model = model;
  e.output = output_of(model, s);
  e.units = units_of(model, e.output);
  if (e.units) e.threshold = e.units->threshold(model.info().threshold);
  return e;
}
}  // namespace mlpipe::classify
