// See stage_mlclassify.h. The stage holds the models as mlclassify applies them
// (classify_run.h) and what its workers share; the worker (classify_worker.h) scores and writes.
#include "mlpipe/model/stage_mlclassify.h"

#include <algorithm>
#include <mutex>

#include <fmt/format.h>

#include "mlpipe/core/csv.h"
#include "mlpipe/core/error.h"
#include "mlpipe/core/record_fields.h"
#include "mlpipe/core/snippet.h"
#include "mlpipe/core/spec_digest.h"
#include "mlpipe/model/classify_run.h"
#include "mlpipe/model/classify_worker.h"
#include "mlpipe/model/sidecar.h"

namespace mlpipe {

namespace {

using namespace classify;

class ClassifyStage : public Stage {
 public:
  ClassifyStage(ClassifySettings settings, const std::string& spec_text, std::vector<ModelWatch> watches)
      : watches_(std::move(watches)), schedule_(settings.reload) {
    run_.settings = std::move(settings);
    if (!run_.settings.spec_file.empty()) spec_.text = trim_spec(spec_text);
    add_models();
    if (run_.settings.accuracy) {
      run_.accuracy = std::make_unique<Tallies>();
      run_.accuracy->per_model.resize(run_.models.size());
    }
    apply_mins();
    check_keep();
    if (!spec_.text.empty()) {
      run_.spec_digest = feature_spec_digest(spec_.text);
      run_.spec_owner = spec_.model.empty() ? fmt::format("the spec {} (--spec)", run_.settings.spec_file)
                                            : fmt::format("the spec model '{}' was trained on", spec_.model);
    }
    if (run_.settings.input == Input::csv) lay_out_csv();
  }

  bool reads_header() const override { return run_.csv != nullptr; }
  void header(const Record& line) const override { run_.csv->header(line.data); }
  std::unique_ptr<Worker> make_worker() const override { return classify::make_classify_worker(run_); }
  std::string header_output() const override;
  Reload reload() const override { return run_.settings.reload ? Reload::polling : Reload::on_request; }
  bool summarizes() const override { return run_.accuracy != nullptr; }
  std::string summary() const override { return unseen_summary() + accuracy_summary(); }

  // Workers read run_.models for every record: an entry is replaced only here, with no worker
  // running, so that one batch is scored by one version of each model.
  void between_batches(const BatchBoundary& b, std::string& log) override {
    if (!schedule_.due(b.reload_requested)) return;
    for (std::size_t i = 0; i < watches_.size(); ++i) {
      Entry& running = run_.models[i];
      std::optional<Entry> next;
      ModelWatch::Change change =
          watches_[i].poll([&](const Model& m) { next = replacement(i, m); }, b.reload_requested);
      if (change.kind == ModelWatch::Change::Kind::reloaded) running = std::move(*next);
      if (std::string line = change.line(b.tool, running.name, running.path); !line.empty()) log += line + '\n';
    }
  }

 private:
  // The models as the options apply them, in order; the first spec among them is the
  // stream's when --spec gives none.
  void add_models() {
    for (std::size_t i = 0; i < run_.settings.models.size(); ++i) {
      const ModelArgument& a = run_.settings.models[i];
      run_.models.push_back(make_entry(a.name, a.path, watches_[i].model(), run_.settings, spec_));
      if (spec_.text.empty() && !run_.models.back().model.spec().empty())
        spec_ = StreamSpec{trim_spec(run_.models.back().model.spec()), a.name};
    }
  }

  // --min NAME=T: a threshold instead of the sidecar's, for a model with a score.
  void apply_mins() {
    for (std::size_t i = 0; i < run_.models.size(); ++i) {
      const ModelArgument& a = run_.settings.models[i];
      if (!a.min) continue;
      if (run_.models[i].output == Output::class_name)
        throw Error::usage(fmt::format("--min '{}': model '{}' predicts class names (multi-class); a threshold "
                                       "applies to decision values, probabilities and regression values",
                                       a.min_given, a.name));
      run_.models[i].threshold = a.min;
    }
  }

  void check_keep() const {
    const Keep keep = run_.settings.keep;
    if (keep == Keep::every) return;
    for (const Entry& e : run_.models)
      if (e.threshold) return;
    throw Error::usage(fmt::format("--keep {}: no model has a threshold (multi-class models have none; give "
                                   "regression models one with --min NAME=T)",
                                   keep == Keep::any ? "any" : "all"));
  }

  // --format csv: the features are the columns the models were trained on, found by name:
  // all of theirs, each model reading its own.
  void lay_out_csv() {
    CsvLayout layout;
    for (Entry& e : run_.models) {
      if (e.model.info().columns.empty())
        throw Error::usage(fmt::format("--format csv: model '{}' was not trained on CSV (its sidecar names no columns)",
                                       e.name));
      for (const std::string& c : e.model.info().columns) {
        auto it = std::find(layout.features.begin(), layout.features.end(), c);
        if (it == layout.features.end()) it = layout.features.insert(layout.features.end(), c);
        e.feature_slots.push_back(std::size_t(it - layout.features.begin()));
      }
    }
    run_.csv = std::make_shared<CsvTable>(std::move(layout));
    run_.unseen = std::make_unique<UnseenTallies>();
    run_.unseen->per_model.resize(run_.models.size());
  }

  // Model i replaced on disk by `m`, as the running one is applied; throws Error when the
  // stream could not go on with it.
  Entry replacement(std::size_t i, const Model& m) const {
    const Entry& running = run_.models[i];
    Entry e = make_entry(running.name, running.path, m, run_.settings, spec_);
    if (const std::optional<double>& min = run_.settings.models[i].min) e.threshold = min;
    // The records of one stream keep one shape: scores.NAME stays a decision value,
    // a probability or a class name (and "passed" stays or stays away).
    if (e.output != running.output)
      throw Error(running.path, 0,
                  fmt::format("the new model gives {} where the running one gives {} (restart to change "
                              "what a stream writes)",
                              output_name(e.output), output_name(running.output)));
    // CSV rows were laid out by the running models' columns, found in the header.
    if (run_.csv && m.info().columns != running.model.info().columns)
      throw Error(sidecar_path(running.path), 0,
                  "the new model was trained on other CSV columns than the running one (restart to read "
                  "the input by its columns)");
    // CSV output has one column per class of each model, named in its header.
    if (run_.settings.csv_output && run_.settings.per_class && m.class_names() != running.model.class_names())
      throw Error(sidecar_path(running.path), 0,
                  "the new model has other classes than the running one, whose columns the CSV output "
                  "names (restart to write them)");
    e.feature_slots = running.feature_slots;
    return e;
  }

  std::string accuracy_summary() const;
  std::string unseen_summary() const;

  ClassifyRun run_;
  StreamSpec spec_;
  std::vector<ModelWatch> watches_;  // one per run_.models entry
  ReloadSchedule schedule_;
};

// --output-format csv: the input's columns (without the models' feature columns with
// --drop-features), then one column per prediction, named by its path in the NDJSON
// output: scores.NAME, passed.NAME, scores_detail.NAME.CLASS, FIELD.NAME (--label-out).
std::string ClassifyStage::header_output() const {
  const ClassifySettings& s = run_.settings;
  if (!s.csv_output) return {};
  std::string line;
  bool first = true;
  auto cell = [&](const std::string& v) {
    if (!first) line += ',';
    first = false;
    append_csv_cell(line, v);
  };
  const std::vector<std::string>& features = run_.csv->feature_columns();
  for (const std::string& c : run_.csv->columns())
    if (!s.drop_features || std::find(features.begin(), features.end(), c) == features.end()) cell(c);
  for (const Entry& e : run_.models) cell(fmt::format("{}.{}", record_fields::kScores, e.name));
  for (const Entry& e : run_.models)
    if (e.threshold) cell(fmt::format("{}.{}", record_fields::kPassed, e.name));
  if (s.per_class)
    for (const Entry& e : run_.models)
      if (e.model.is_classifier())
        for (const std::string& c : e.model.class_names())
          cell(fmt::format("{}.{}.{}", record_fields::kScoresDetail, e.name, c));
  if (!s.label_out.empty())
    for (const Entry& e : run_.models)
      if (e.model.is_classifier()) cell(fmt::format("{}.{}", s.label_out, e.name));
  line += '\n';
  return line;
}

// --accuracy: svm-predict's own lines (its %g numbers), one set per model, named when
// there are several.
std::string ClassifyStage::accuracy_summary() const {
  std::string out;
  if (!run_.accuracy) return out;
  std::lock_guard<std::mutex> lock(run_.accuracy->mutex);
  const std::vector<Entry>& models = run_.models;
  for (std::size_t m = 0; m < models.size(); ++m) {
    const Tally& t = run_.accuracy->per_model[m];
    const std::string who = models.size() > 1 ? fmt::format("{}: ", models[m].name) : "";
    if (t.total == 0) {
      out += fmt::format("{}no rows to measure\n", who);
      continue;
    }
    const double n = double(t.total);
    if (models[m].output == Output::value) {
      const double num = n * t.sum_pt - t.sum_p * t.sum_t;
      const double den = (n * t.sum_pp - t.sum_p * t.sum_p) * (n * t.sum_tt - t.sum_t * t.sum_t);
      out += fmt::format("{}Mean squared error = {:g} (regression)\n", who, t.error / n);
      out += fmt::format("{}Squared correlation coefficient = {:g} (regression)\n", who, num * num / den);
    } else {
      out += fmt::format("{}Accuracy = {:g}% ({}/{}) (classification)\n", who, double(t.correct) / n * 100,
                         t.correct, t.total);
    }
  }
  return out;
}

// --format csv: per model and column, the categories it was not trained on, if any.
std::string ClassifyStage::unseen_summary() const {
  std::string out;
  if (!run_.unseen) return out;
  std::lock_guard<std::mutex> lock(run_.unseen->mutex);
  for (std::size_t m = 0; m < run_.models.size(); ++m)
    for (const auto& [j, levels] : run_.unseen->per_model[m]) {
      const PreparedColumn& c = run_.models[m].model.info().column_prep->columns[j];
      std::string values;
      std::size_t shown = 0;
      for (const std::string& v : levels.values) {
        if (shown++ == 3) break;
        values += fmt::format("{}'{}'", values.empty() ? "" : ", ", input_snippet(v));
      }
      const std::size_t distinct = levels.values.size();
      if (distinct > 3 || levels.more)
        values += fmt::format(", … ({}{} values)", levels.more ? "over " : "", distinct);
      out += fmt::format("mlclassify: model '{}': {} row{} with a category of column '{}' it was not trained on "
                         "({}): scored with none of its {} levels\n",
                         run_.models[m].name, levels.rows, levels.rows == 1 ? "" : "s", input_snippet(c.name), values,
                         c.levels.size());
    }
  return out;
}

}  // namespace

std::unique_ptr<Stage> make_classify_stage(ClassifySettings settings, const std::string& spec_text,
                                           std::vector<ModelWatch> watches) {
  return std::make_unique<ClassifyStage>(std::move(settings), spec_text, std::move(watches));
}

}  // namespace mlpipe
