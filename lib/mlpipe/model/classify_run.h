// What mlclassify's stage and its workers share (stage_mlclassify.h): each model as the
// options apply it (Entry: what it writes, in which units, its threshold), the tallies said
// once the input is done (--accuracy, CSV categories a model never saw), and the run itself.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/csv.h"
#include "mlpipe/model/model.h"
#include "mlpipe/model/classify_settings.h"
#include "mlpipe/model/threshold_units.h"

namespace mlpipe::classify {

using Keep = ClassifySettings::Keep;
using Input = ClassifySettings::Input;

// What one model contributes to a record.
enum class Output {
  decision,     // binary classifier or one-class: the decision value
  calibrated,   // binary classifier whose sidecar has a calibration: P(first class) by it
  probability,  // binary classifier with --probability: P(first class) by libsvm's estimates
  value,        // regression
  class_name,   // multi-class (or a single-class model): the predicted class
};

// How a stream's messages name what a model writes ("decision values", "class names").
std::string_view output_name(Output out);

// A model as mlclassify applies it under the options given.
struct Entry {
  std::string name;
  std::string path;
  Model model;
  Output output = Output::decision;
  std::optional<ScoreUnits> units;  // a binary score's units (none for regression and class names)
  std::optional<double> threshold;  // passes when score > threshold
  // --format csv: where each of the model's columns is among the input's feature columns
  // (CsvTable::feature_columns, the models' columns together).
  std::vector<std::size_t> feature_slots;
};

// --accuracy: what svm-predict sums to judge a model against the rows' labels.
struct Tally {
  std::size_t total = 0, correct = 0;            // classifiers (and one-class: ±1)
  double error = 0, sum_p = 0, sum_t = 0, sum_pp = 0, sum_tt = 0, sum_pt = 0;  // regression

  void add(const Tally& o) {
    total += o.total;
    correct += o.correct;
    error += o.error;
    sum_p += o.sum_p;
    sum_t += o.sum_t;
    sum_pp += o.sum_pp;
    sum_tt += o.sum_tt;
    sum_pt += o.sum_pt;
  }
};

// Each worker's tallies, added up as the workers finish; read once the input is done.
struct Tallies {
  std::mutex mutex;
  std::vector<Tally> per_model;
};

// --format csv: the categories of one column that a model was not trained on. Never
// refused (the row is scored with none of the column's indicators set), but said once at
// the end, with the same words whatever the threads: a count, and the smallest values.
struct UnseenLevels {
  static constexpr std::size_t kKept = 1000;  // distinct values kept to name and count
  std::size_t rows = 0;
  std::set<std::string> values;
  bool more = false;  // values beyond kKept were met

  void add(std::string_view value) {
    ++rows;
    if (values.size() < kKept) values.emplace(value);
    else if (!values.count(std::string(value))) more = true;
  }
  void add(const UnseenLevels& o) {
    rows += o.rows;
    more = more || o.more;
    for (const std::string& v : o.values)
      if (values.size() < kKept) values.insert(v);
      else if (!values.count(v)) more = true;
  }
};
// By model, then by the model's column index.
using UnseenByModel = std::vector<std::map<std::size_t, UnseenLevels>>;
struct UnseenTallies {
  std::mutex mutex;
  UnseenByModel per_model;
};

// The feature spec of the records of a stream: --spec FILE, or else the spec of the first
// model whose sidecar holds one. One record's features fit one spec, so every model, at start
// and when replaced, must have been trained on it (models without a spec are not checked).
struct StreamSpec {
  std::string text;   // trimmed; "" when no side knows one
  std::string model;  // the model it was taken from; "" when from --spec
};

// What the workers read: the settings, the models as they stand, and where they add up what
// is said at the end. The stage changes `models` only between batches, with no worker running.
struct ClassifyRun {
  ClassifySettings settings;
  std::vector<Entry> models;  // one per settings.models entry
  // The digest of the records' feature spec (core/spec_digest.h), "" when no spec is known,
  // and whose spec it is, for the message when a record was made with another.
  std::string spec_digest, spec_owner;
  std::shared_ptr<CsvTable> csv;          // --format csv: filled by header() before any row
  std::unique_ptr<Tallies> accuracy;      // --accuracy: null when not asked
  std::unique_ptr<UnseenTallies> unseen;  // --format csv: categories the models do not know
};

// The text of a spec with the spaces and line ends at its two ends cut, as specs are compared.
std::string trim_spec(std::string s);

// A model as mlclassify applies it, under the options given: at start, and again for a
// model replaced while a stream runs (--reload, SIGHUP), which must pass the same checks.
// Its threshold is the sidecar's, in the units it writes (--min is the caller's).
Entry make_entry(const std::string& name, const std::string& path, const Model& model, const ClassifySettings& s,
                 const StreamSpec& spec);

}  // namespace mlpipe::classify
