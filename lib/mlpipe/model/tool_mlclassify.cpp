// See tool_mlclassify.h.
#include "mlpipe/model/tool_mlclassify.h"

#include <memory>
#include <optional>
#include <utility>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/parse_number.h"
#include "mlpipe/core/record_fields.h"

namespace mlpipe {

namespace {

// NAME=MODEL, or MODEL named after its file (claim.model -> claim).
ModelArgument model_argument(const std::string& arg) {
  std::size_t eq = arg.find('=');
  if (eq != std::string::npos) {
    std::string name = arg.substr(0, eq), path = arg.substr(eq + 1);
    if (name.empty() || path.empty())
      throw Error::usage(fmt::format("-m '{}': expected NAME=MODEL (or MODEL)", arg));
    return {name, path, std::nullopt, {}};
  }
  std::string base = arg.substr(arg.find_last_of('/') == std::string::npos ? 0 : arg.find_last_of('/') + 1);
  if (base.size() > 6 && base.ends_with(".model")) base.resize(base.size() - 6);
  if (base.empty()) throw Error::usage(fmt::format("-m '{}': expected NAME=MODEL (or MODEL)", arg));
  return {base, arg, std::nullopt, {}};
}

// -m, each name once.
std::vector<ModelArgument> model_arguments(const std::vector<std::string>& args) {
  std::vector<ModelArgument> models;
  for (const std::string& arg : args) {
    ModelArgument a = model_argument(arg);
    for (const ModelArgument& m : models)
      if (m.name == a.name) throw Error::usage(fmt::format("-m: the name '{}' is given twice", a.name));
    models.push_back(std::move(a));
  }
  return models;
}

// --min NAME=T, each naming a model of -m; the last one for a name holds.
void apply_mins(const std::vector<std::string>& args, std::vector<ModelArgument>& models) {
  for (const std::string& arg : args) {
    std::size_t eq = arg.find('=');
    if (eq == std::string::npos) throw Error::usage(fmt::format("--min '{}': expected NAME=THRESHOLD", arg));
    std::string name = arg.substr(0, eq);
    std::string value = arg.substr(eq + 1);
    const std::optional<double> t = parse_double(value);
    if (!t) throw Error::usage(fmt::format("--min '{}': the threshold '{}' is not a number", arg, value));
    ModelArgument* hit = nullptr;
    for (ModelArgument& m : models)
      if (m.name == name) hit = &m;
    if (!hit) throw Error::usage(fmt::format("--min '{}': no model is named '{}' (-m NAME=MODEL)", arg, name));
    hit->min = t;
    hit->min_given = arg;
  }
}

bool is_written_field(const std::string& name) {
  return name == record_fields::kScores || name == record_fields::kPassed || name == record_fields::kScoresDetail;
}

void declare_model_options(CLI::App& app, MlclassifyOptions& o) {
  app.add_option("-m,--model", o.models,
                 "Model to apply, repeatable: its scores go to scores.NAME (MODEL alone: NAME is the file name "
                 "without .model)")
      ->type_name("NAME=MODEL")
      ->allow_extra_args(false)
      ->required();
  app.add_option("--min", o.mins,
                 "Threshold of a model, repeatable: the record passes it when scores.NAME > T (default: the "
                 "sidecar's threshold, else 0 for decision values and 0.5 for probabilities; none for regression)")
      ->type_name("NAME=T")
      ->allow_extra_args(false);
  app.add_option("--keep", o.keep,
                 "Which records to write: every one, those passing any model's threshold, or all thresholds")
      ->check(CLI::IsMember({"every", "any", "all"}))
      ->type_name("every|any|all")
      ->capture_default_str();
  app.add_flag("--probability", o.probability,
               "Binary classifiers: the probability of the first class instead of the decision value; "
               "multi-class: the most probable class (models trained with probability estimates)");
  app.add_flag("--decision", o.decision,
               "Binary classifiers with a calibration in their sidecar: write decision values, not calibrated "
               "probabilities (thresholds are then decision values too)");
  app.add_flag("--per-class", o.per_class,
               "Add scores_detail.NAME: per-class values of classifiers (probabilities with --probability, "
               "else votes plus a confidence below 1/3)");
}

void declare_input_options(CLI::App& app, MlclassifyOptions& o) {
  app.add_flag("--drop-features", o.drop_features, "Leave the feature field out of the output records");
  app.add_option("--features-field", o.features_field,
                 "Field holding the features: sparse {\"idx\":[…],\"val\":[…]} or a dense array (default: "
                 "features, else x)")
      ->type_name("FIELD");
  app.add_option("--spec", o.spec,
                 "The feature spec the input was built with (mlfeat --write-spec); models whose sidecar holds "
                 "another spec are refused (without it, models must agree with the first one that has a spec)")
      ->type_name("FILE");
  app.add_option("--extra-features", o.extra_features,
                 "A record with a feature index beyond the features a model was trained on (its sidecar's "
                 "dimension): an error (the vector was made another way), or ignore those indices")
      ->check(CLI::IsMember({"error", "ignore"}))
      ->type_name("error|ignore")
      ->capture_default_str();
  app.add_option("--format", o.format,
                 "Input format: NDJSON records; CSV with a header row: the columns the models were trained on "
                 "(mltrain --format csv) are the features, found by name, the others are copied to the output; or "
                 "libsvm's text rows (LABEL idx:val …), each written as {\"label\":LABEL,\"features\":{…}} with "
                 "its scores")
      ->check(CLI::IsMember({"ndjson", "csv", "libsvm"}))
      ->type_name("ndjson|csv|libsvm")
      ->capture_default_str();
}

void declare_output_options(CLI::App& app, MlclassifyOptions& o) {
  app.add_option("--output-format", o.output_format,
                 "With --format csv: NDJSON records, or CSV: each input row's cells, then its predictions (columns "
                 "scores.NAME, passed.NAME, scores_detail.NAME.CLASS, FIELD.NAME), a header line first")
      ->check(CLI::IsMember({"ndjson", "csv"}))
      ->type_name("ndjson|csv")
      ->capture_default_str();
  app.add_flag("--accuracy", o.accuracy,
               "With --format libsvm: at the end, print on stderr what svm-predict prints of each model against the "
               "rows' labels: Accuracy = P% (CORRECT/TOTAL) (classification), or the mean squared error and squared "
               "correlation coefficient (regression); prefixed by the model's name when there are several");
  app.add_option("--label-out", o.label_out,
                 "Also write FIELD.NAME: each classifier's predicted class, as the JSON type of its training labels "
                 "(a binary classifier's first class when the record passes its threshold)")
      ->type_name("FIELD");
  app.add_flag("--reload", o.reload,
               "Follow the model files: a model replaced on disk (with its sidecar) is used from the next batch "
               "on, one stderr line per switch (SIGHUP asks for a look also without --reload)");
}

// Reads what the settings name (the spec, the models) and builds the stage.
std::unique_ptr<Stage> build(const ClassifySettings& s, const FileSource& files) {
  std::string spec_text;
  if (!s.spec_file.empty()) spec_text = files.read(s.spec_file);
  std::vector<ModelWatch> watches;
  for (const ModelArgument& m : s.models) watches.emplace_back(m.path, files);
  return make_classify_stage(s, spec_text, std::move(watches));
}

StageFactory declare_mlclassify(CLI::App& app) {
  auto o = std::make_shared<MlclassifyOptions>();
  declare_model_options(app, *o);
  declare_input_options(app, *o);
  declare_output_options(app, *o);
  return [o](const FileSource& files) { return build(mlclassify_settings(*o), files); };
}

}  // namespace

ClassifySettings mlclassify_settings(const MlclassifyOptions& o) {
  using Keep = ClassifySettings::Keep;
  using Input = ClassifySettings::Input;
  if (o.probability && o.decision) throw Error::usage("--probability and --decision exclude each other");
  ClassifySettings s;
  s.input = o.format == "libsvm" ? Input::libsvm : o.format == "csv" ? Input::csv : Input::ndjson;
  if (s.input == Input::libsvm && !o.features_field.empty())
    throw Error::usage("--features-field: libsvm rows have no fields (their features become \"features\")");
  if (o.accuracy && s.input != Input::libsvm)
    throw Error::usage("--accuracy measures the models against the labels of libsvm rows: it needs --format libsvm");
  if (!o.label_out.empty() && is_written_field(o.label_out))
    throw Error::usage(fmt::format("--label-out {}: mlclassify writes that field itself", o.label_out));
  s.models = model_arguments(o.models);
  apply_mins(o.mins, s.models);
  if (o.output_format == "csv" && s.input != Input::csv)
    throw Error::usage("--output-format csv writes each CSV input row with its predictions: it needs --format csv");
  if (s.input == Input::csv && !o.features_field.empty())
    throw Error::usage("--features-field: CSV rows have no feature field (the model's columns are the features)");
  s.keep = o.keep == "any" ? Keep::any : o.keep == "all" ? Keep::all : Keep::every;
  s.probability = o.probability;
  s.decision = o.decision;
  s.per_class = o.per_class;
  s.drop_features = o.drop_features;
  s.features_field = o.features_field;
  s.ignore_extra_features = o.extra_features == "ignore";
  s.spec_file = o.spec;
  s.csv_output = o.output_format == "csv";
  s.accuracy = o.accuracy;
  s.label_out = o.label_out;
  s.reload = o.reload;
  return s;
}

const ToolDef& mlclassify_tool() {
  static const ToolDef tool{"mlclassify", "Score NDJSON records with libsvm models; keep those that pass", declare_mlclassify,
                            true};
  return tool;
}

}  // namespace mlpipe
