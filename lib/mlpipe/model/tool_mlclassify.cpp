#include "mlpipe/model/tool_mlclassify.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <tuple>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "mlpipe/core/csv.h"
#include "mlpipe/core/error.h"
#include "mlpipe/core/input.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/json_writer.h"
#include "mlpipe/core/parse_number.h"
#include "mlpipe/core/snippet.h"
#include "mlpipe/core/spec_digest.h"
#include "mlpipe/model/libsvm_row.h"
#include "mlpipe/model/model.h"
#include "mlpipe/model/model_watch.h"

namespace mlpipe {

namespace {

enum class Keep { every, any, all };

// What one model contributes to a record.
enum class Output {
  decision,     // binary classifier or one-class: the decision value
  calibrated,   // binary classifier whose sidecar has a calibration: P(first class) by it
  probability,  // binary classifier with --probability: P(first class) by libsvm's estimates
  value,        // regression
  class_name,   // multi-class (or a single-class model): the predicted class
};

struct Entry {
  std::string name;
  std::string path;
  Model model;
  Output output = Output::decision;
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

struct Settings {
  std::vector<Entry> models;
  std::string label_out;  // --label-out FIELD: FIELD.NAME = the predicted class
  Keep keep = Keep::every;
  bool drop_features = false;
  bool per_class = false;
  bool probability = false;
  std::string features_field;  // empty: "features", else "x"
  bool ignore_extra_features = false;  // --extra-features=ignore
  // The digest of the records' feature spec (core/spec_digest.h), "" when no spec is known,
  // and whose spec it is, for the message when a record was made with another.
  std::string spec_digest, spec_owner;
  bool libsvm = false;                  // --format libsvm: "LABEL idx:val …" rows
  std::shared_ptr<Tallies> accuracy;    // --accuracy (with libsvm rows): null when not asked
  bool csv_output = false;              // --output-format csv: the input row's cells, then the predictions
  std::shared_ptr<UnseenTallies> unseen;  // --format csv: categories the models do not know
};

// A class name written as the JSON type its model was trained from: 3, true or "claim".
void write_class(JsonWriter& w, const Model& m, std::size_t c) {
  const std::string& name = m.class_names()[c];
  const std::string& type = m.info().label_type;
  if (type == "number" || type == "boolean") w.raw(name);
  else w.string(name);
}

class ClassifyWorker : public Worker {
 public:
  ClassifyWorker(const Settings& s, const CsvTable* csv)
      : s_(s),
        csv_(csv),
        scores_(s.models.size()),
        labels_(s.models.size()),
        passed_(s.models.size()),
        inputs_(s.models.size()),
        trimmed_(s.models.size()),
        tally_(s.models.size()),
        unseen_(s.models.size()) {
    csv_x_.resize(s.models.size());
    for (const Entry& e : s.models) any_threshold_ = any_threshold_ || e.threshold.has_value();
  }

  void process(const Record& in, std::string& out) override {
    if (s_.libsvm) return process_libsvm(in, out);
    if (!csv_) return process_json(in, out);
    process_csv(in, out);
  }

  void finish(std::string& /*out*/) override {
    if (s_.unseen) {
      std::lock_guard<std::mutex> lock(s_.unseen->mutex);
      for (std::size_t m = 0; m < unseen_.size(); ++m)
        for (const auto& [column, levels] : unseen_[m]) s_.unseen->per_model[m][column].add(levels);
      unseen_.assign(unseen_.size(), {});
    }
    if (!s_.accuracy) return;
    std::lock_guard<std::mutex> lock(s_.accuracy->mutex);
    for (std::size_t m = 0; m < tally_.size(); ++m) s_.accuracy->per_model[m].add(tally_[m]);
    tally_.assign(tally_.size(), Tally{});
  }

 private:
  // A CSV row becomes the record it stands for (its other columns, and x: its feature
  // cells as they read), and each model's vector is its cells encoded as the model's
  // sidecar lays them out (column_prep.h).
  void process_csv(const Record& in, std::string& out) {
    const Record record = csv_->to_record(in, row_json_, cells_);
    const std::vector<std::size_t>& positions = csv_->feature_positions();
    row_unseen_.clear();
    for (std::size_t m = 0; m < s_.models.size(); ++m) {
      const Entry& e = s_.models[m];
      model_cells_.clear();
      for (std::size_t slot : e.feature_slots) model_cells_.push_back(cells_[positions[slot]]);
      unseen_columns_.clear();
      e.model.info().column_prep->encode(model_cells_, csv_x_[m], &unseen_columns_);
      for (std::size_t j : unseen_columns_) row_unseen_.emplace_back(m, j, model_cells_[j]);
    }
    // Counted once the row is scored: a refused row says nothing of its categories.
    process_json(record, out, true);
    for (const auto& [m, j, value] : row_unseen_) unseen_[m][j].add(value);
  }

  // A libsvm row ("LABEL idx:val …", as mltrain --format libsvm reads it) becomes the record
  // {"label":LABEL,"features":{"idx":[…],"val":[…]}}; a line that is only a comment, nothing.
  void process_libsvm(const Record& in, std::string& out) {
    double y = 0;
    if (!parse_libsvm_row(in.data, y, row_idx_, row_val_)) return;
    row_json_.clear();
    JsonWriter w(row_json_);
    w.begin_object();
    w.key("label").number(y);
    w.key("features").begin_object();
    w.key("idx").begin_array();
    for (std::uint32_t i : row_idx_) w.integer(i);
    w.end_array();
    w.key("val").begin_array();
    for (double v : row_val_) w.number(v);
    w.end_array();
    w.end_object();
    w.end_object();
    const std::size_t size = row_json_.size();
    row_json_.append(kJsonPadding, ' ');
    Record r = in;
    r.data = std::string_view(row_json_.data(), size);
    r.readable = row_json_.size();
    row_label_ = y;
    process_json(r, out);
  }

  // --accuracy: model m's prediction for the row just scored, as svm-predict compares it
  // with the label: the class's label, the regression value, or +1/-1 for one-class.
  void count(std::size_t m) {
    const Entry& e = s_.models[m];
    Tally& t = tally_[m];
    ++t.total;
    if (e.output == Output::value) {
      const double v = scores_[m], y = row_label_;
      t.error += (v - y) * (v - y);
      t.sum_p += v;
      t.sum_t += y;
      t.sum_pp += v * v;
      t.sum_tt += y * y;
      t.sum_pt += v * y;
      return;
    }
    double predicted = 0;
    if (e.output == Output::class_name) predicted = e.model.labels()[labels_[m]];
    else if (e.model.is_classifier()) predicted = e.model.labels()[passed_[m] ? 0 : 1];
    else predicted = passed_[m] ? 1 : -1;  // one-class: inside or not
    if (predicted == row_label_) ++t.correct;
  }

  // `csv_input`: the models' vectors are in csv_x_ already (process_csv), and the record's
  // "x" holds its feature cells as they read.
  void process_json(const Record& in, std::string& out, bool csv_input = false) {
    const std::vector<Field>& fields = reader_.index(in);
    std::string_view features_key = "x";
    if (csv_input) {
      for (std::size_t m = 0; m < s_.models.size(); ++m) inputs_[m] = &csv_x_[m];
    } else {
      std::optional<Field> f;
      if (!s_.features_field.empty()) {
        f = reader_.find(s_.features_field);
        if (!f) throw Error(fmt::format("no field '{}' (the features, --features-field)", s_.features_field));
      } else {
        f = reader_.find("features");
        if (!f) f = reader_.find("x");
        if (!f) throw Error("no 'features' or 'x' field (use --features-field to name another)");
      }
      features_key = f->key;
      const JsonReader::VectorFacts facts = reader_.get_sparse(*f, x_);
      if (!facts.spec.empty() && !s_.spec_digest.empty() && facts.spec != s_.spec_digest)
        throw Error(spec_digest_mismatch(facts.spec, s_.spec_digest, s_.spec_owner));
      dense_values_ = facts.dense ? facts.dense_values : 0;
      for (std::size_t m = 0; m < s_.models.size(); ++m) inputs_[m] = &fitted_input(m);
    }

    bool any = false, all = true;
    for (std::size_t m = 0; m < s_.models.size(); ++m) {
      const Entry& e = s_.models[m];
      const SparseVector& x = *inputs_[m];
      double score = 0;
      labels_[m] = std::size_t(-1);
      switch (e.output) {
        case Output::decision:
        case Output::value: score = e.model.decision(x, scratch_); break;
        case Output::calibrated: score = apply_platt(*e.model.info().calibration, e.model.decision(x, scratch_)); break;
        case Output::probability:
          e.model.predict_probability(x, scratch_, probs_);
          score = probs_[0];
          break;
        case Output::class_name:
          labels_[m] = s_.probability ? e.model.predict_probability(x, scratch_, probs_)
                                      : e.model.predict_class(x, scratch_);
          break;
      }
      scores_[m] = score;
      passed_[m] = false;
      if (e.threshold) {
        bool pass = score > *e.threshold;
        passed_[m] = pass;
        any = any || pass;
        all = all && pass;
      }
    }
    if (s_.accuracy)
      for (std::size_t m = 0; m < s_.models.size(); ++m) count(m);
    if (s_.keep == Keep::any && !any) return;
    if (s_.keep == Keep::all && !all) return;
    if (s_.csv_output) return write_csv_row(out);

    // Other fields pass through; `scores` is rebuilt with ours merged in.
    drop_.clear();
    drop_.push_back("scores");
    if (any_threshold_) drop_.push_back("passed");
    if (s_.per_class) drop_.push_back("scores_detail");
    if (!s_.label_out.empty()) drop_.push_back(s_.label_out);
    if (s_.drop_features) drop_.push_back(features_key);
    JsonWriter w(out);
    w.begin_object();
    w.copy_fields(fields, drop_);
    w.key("scores").begin_object();
    merge_existing(w, "scores");
    for (std::size_t m = 0; m < s_.models.size(); ++m) {
      const Entry& e = s_.models[m];
      w.key(e.name);
      if (e.output == Output::class_name) write_class(w, e.model, labels_[m]);
      else w.number(scores_[m]);
    }
    w.end_object();
    // The decision itself, so that later stages (mljoin) follow it instead of repeating
    // thresholds: one boolean per model that has a threshold.
    if (any_threshold_) {
      w.key("passed").begin_object();
      merge_existing(w, "passed");
      for (std::size_t m = 0; m < s_.models.size(); ++m)
        if (s_.models[m].threshold) w.key(s_.models[m].name).boolean(passed_[m]);
      w.end_object();
    }
    if (s_.per_class) write_detail(w);
    if (!s_.label_out.empty()) write_labels(w);
    w.end_object().end_record();
  }

  // The record's features as model `m` may score them. An index beyond the features the model
  // was trained on means the vector was made another way (another spec, hashing width or
  // column count): the model would score the indices it knows and pass off the result as a
  // prediction. Refused, unless --extra-features=ignore asks to leave those indices out.
  const SparseVector& fitted_input(std::size_t m) {
    const std::uint32_t dimension = s_.models[m].model.dimension();
    // A dense x holds every column a model was trained on: one of another length was laid out
    // another way, and a short one would be scored as if its missing values were zeros. (A
    // model of mlfeat's features has a width, not columns: its spec is checked instead.)
    if (dense_values_ && dimension && dense_values_ != dimension && s_.models[m].model.spec().empty())
      throw Error(fmt::format("a dense vector with {} value{}, but model '{}' was trained on {} features (one "
                              "value per feature, in the order of its training columns)",
                              dense_values_, dense_values_ == 1 ? "" : "s", s_.models[m].name, dimension));
    if (dimension == 0 || x_.empty() || x_.idx.back() <= dimension) return x_;
    const auto beyond = std::upper_bound(x_.idx.begin(), x_.idx.end(), dimension);
    if (!s_.ignore_extra_features)
      throw Error(fmt::format("feature index {} is beyond the {} features model '{}' was trained on (features made "
                              "with another spec or width than its training data? --extra-features=ignore leaves "
                              "such indices out)",
                              *beyond, dimension, s_.models[m].name));
    SparseVector& kept = trimmed_[m];
    const std::size_t n = std::size_t(beyond - x_.idx.begin());
    kept.idx.assign(x_.idx.begin(), x_.idx.begin() + std::ptrdiff_t(n));
    kept.val.assign(x_.val.begin(), x_.val.begin() + std::ptrdiff_t(n));
    return kept;
  }

  // --label-out: each classifier's predicted class; a binary one's is the first class when
  // the record passes its threshold, as `passed` says.
  void write_labels(JsonWriter& w) {
    w.key(s_.label_out).begin_object();
    for (std::size_t m = 0; m < s_.models.size(); ++m) {
      const Entry& e = s_.models[m];
      if (!e.model.is_classifier()) continue;
      w.key(e.name);
      if (e.output == Output::class_name) write_class(w, e.model, labels_[m]);
      else write_class(w, e.model, passed_[m] ? 0 : 1);
    }
    w.end_object();
  }

  // Copies the members of an existing object field except the ones we write.
  void merge_existing(JsonWriter& w, std::string_view key) {
    const Field* old = nullptr;
    for (const Field& f : reader_.fields())
      if (f.key == key) old = &f;
    if (!old) return;
    if (old->type != JsonType::object)
      throw Error(fmt::format("field '{}': expected an object, found {}", key, type_name(old->type)));
    const std::vector<Field>& members = reader_.get_object(*old);
    for (const Field& f : members) {
      bool ours = false;
      for (const Entry& e : s_.models) ours = ours || e.name == f.key;
      if (!ours) w.key(f.key).raw(f.raw);
    }
  }

  // --output-format csv: the row's cells (without the models' feature columns with
  // --drop-features), then the predictions, in the columns ClassifyStage::header_output names.
  void write_csv_row(std::string& out) {
    std::string& line = out;
    bool first = true;
    auto cell = [&](std::string_view v) {
      if (!first) line += ',';
      first = false;
      append_csv_cell(line, v);
    };
    auto number = [&](double v) {
      number_text_.clear();
      JsonWriter(number_text_).number(v);
      cell(number_text_);
    };
    const std::vector<std::size_t>& features = csv_->feature_positions();
    for (std::size_t c = 0; c < cells_.size(); ++c)
      if (!s_.drop_features || std::find(features.begin(), features.end(), c) == features.end()) cell(cells_[c]);
    for (std::size_t m = 0; m < s_.models.size(); ++m) {
      const Entry& e = s_.models[m];
      if (e.output == Output::class_name) cell(e.model.class_names()[labels_[m]]);
      else number(scores_[m]);
    }
    for (std::size_t m = 0; m < s_.models.size(); ++m)
      if (s_.models[m].threshold) cell(passed_[m] ? "true" : "false");
    if (s_.per_class)
      for (std::size_t m = 0; m < s_.models.size(); ++m)
        if (s_.models[m].model.is_classifier()) {
          detail_values(m);
          for (double v : detail_) number(v);
        }
    if (!s_.label_out.empty())
      for (std::size_t m = 0; m < s_.models.size(); ++m) {
        const Entry& e = s_.models[m];
        if (!e.model.is_classifier()) continue;
        cell(e.model.class_names()[e.output == Output::class_name ? labels_[m] : passed_[m] ? 0 : 1]);
      }
    line += '\n';
  }

  // scores_detail.NAME: per-class values of classifiers. With probabilities (and for trees
  // and multi-class logistic regressions): the class probabilities; otherwise one-vs-one
  // votes plus a confidence below 1/3 (the sum of the class's pairwise decision values,
  // squashed), so that the largest value is the predicted class and ties in votes are
  // ordered by confidence.
  void write_detail(JsonWriter& w) {
    w.key("scores_detail").begin_object();
    merge_existing(w, "scores_detail");
    for (std::size_t m = 0; m < s_.models.size(); ++m) {
      const Entry& e = s_.models[m];
      if (!e.model.is_classifier()) continue;
      detail_values(m);
      const std::vector<std::string>& names = e.model.class_names();
      w.key(e.name).begin_object();
      for (std::size_t c = 0; c < names.size(); ++c) w.key(names[c]).number(detail_[c]);
      w.end_object();
    }
    w.end_object();
  }

  // Classifier m's per-class values for the record scored (see write_detail), into detail_.
  void detail_values(std::size_t m) {
    const Entry& e = s_.models[m];
    const SparseVector& x = *inputs_[m];
    const std::size_t k = e.model.class_names().size();
    detail_.assign(k, 0.0);
    {
      // Tree models have one margin per class, not pairwise decisions, and a multi-class
      // logistic regression one score per class: their detail is always the class
      // probabilities.
      if (s_.probability || e.model.is_trees() || !e.model.info().class_intercepts.empty()) {
        e.model.predict_probability(x, scratch_, probs_);
        detail_ = probs_;
      } else {
        e.model.decision_values(x, scratch_, dec_);
        std::vector<double> conf(k, 0.0);
        std::size_t p = 0;
        for (std::size_t i = 0; i < k; ++i)
          for (std::size_t j = i + 1; j < k; ++j, ++p) {
            if (dec_[p] > 0) detail_[i] += 1;
            else detail_[j] += 1;
            conf[i] += dec_[p];
            conf[j] -= dec_[p];
          }
        for (std::size_t i = 0; i < k; ++i) detail_[i] += conf[i] / (3 * (std::fabs(conf[i]) + 1));
      }
    }
  }

  const Settings& s_;
  const CsvTable* csv_;
  std::string row_json_;
  std::vector<std::string> cells_;
  std::vector<std::string_view> model_cells_;  // one model's cells, in its columns' order
  std::vector<SparseVector> csv_x_;            // per model: the CSV row's vector
  std::vector<std::size_t> unseen_columns_;
  std::vector<std::tuple<std::size_t, std::size_t, std::string_view>> row_unseen_;  // (model, column, value)
  std::string number_text_;
  JsonReader reader_;
  SparseVector x_;
  std::size_t dense_values_ = 0;  // the record's dense x length; 0 when sparse
  Model::Scratch scratch_;
  std::vector<double> scores_, probs_, dec_, detail_;
  std::vector<std::size_t> labels_;
  std::vector<char> passed_;  // per model: score > threshold
  std::vector<const SparseVector*> inputs_;  // per model: x_, or its trimmed_ copy
  std::vector<SparseVector> trimmed_;         // --extra-features=ignore: x_ without the indices beyond a model
  bool any_threshold_ = false;
  std::vector<std::string_view> drop_;
  std::vector<std::uint32_t> row_idx_;  // --format libsvm: the row's features
  std::vector<double> row_val_;
  double row_label_ = 0;                // and its label
  std::vector<Tally> tally_;            // --accuracy, until finish()
  UnseenByModel unseen_;                // --format csv, until finish()
};

struct Options {
  std::vector<std::string> models;
  std::vector<std::string> mins;
  std::string keep = "every";
  bool drop_features = false;
  bool per_class = false;
  bool probability = false;
  bool decision = false;
  std::string features_field;
  std::string spec;
  bool reload = false;
  std::string format = "ndjson";
  std::string label_out;
  std::string extra_features = "error";
  bool accuracy = false;
  std::string output_format = "ndjson";
};

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
  std::size_t b = 0;
  while (b < s.size() && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n' || s[b] == '\r')) ++b;
  return s.substr(b);
}

// NAME=MODEL, or MODEL named after its file (claim.model -> claim).
std::pair<std::string, std::string> model_argument(const std::string& arg) {
  std::size_t eq = arg.find('=');
  if (eq != std::string::npos) {
    std::string name = arg.substr(0, eq), path = arg.substr(eq + 1);
    if (name.empty() || path.empty())
      throw Error::usage(fmt::format("-m '{}': expected NAME=MODEL (or MODEL)", arg));
    return {name, path};
  }
  std::string base = arg.substr(arg.find_last_of('/') == std::string::npos ? 0 : arg.find_last_of('/') + 1);
  if (base.size() > 6 && base.ends_with(".model")) base.resize(base.size() - 6);
  if (base.empty()) throw Error::usage(fmt::format("-m '{}': expected NAME=MODEL (or MODEL)", arg));
  return {base, arg};
}

// A model's threshold in the units it writes: the sidecar's decision threshold (mltrain
// --threshold) carried through the same sigmoid that makes the probability, else 0 for
// decision values and 0.5 for probabilities. Regression and multi-class: none.
std::optional<double> default_threshold(const Entry& e) {
  const ModelInfo& info = e.model.info();
  switch (e.output) {
    case Output::decision: return info.threshold.value_or(0.0);
    case Output::calibrated: return info.threshold ? apply_platt(*info.calibration, *info.threshold) : 0.5;
    case Output::probability: {
      // A tree model's probability is the sigmoid of its margin.
      if (e.model.is_trees()) return info.threshold ? 1 / (1 + std::exp(-*info.threshold)) : 0.5;
      // libsvm's binary probability is its own sigmoid of the decision value (probA, probB),
      // clamped as Model::predict_probability clamps it.
      const SvmFile& f = e.model.file();
      if (!info.threshold || !(f.probA[0] < 0)) return 0.5;
      return std::clamp(apply_platt({f.probA[0], f.probB[0]}, *info.threshold), 1e-7, 1 - 1e-7);
    }
    case Output::value:
    case Output::class_name: return std::nullopt;
  }
  return std::nullopt;
}

// The feature spec of the records of a stream: --spec FILE, or else the spec of the first
// model whose sidecar holds one. One record's features fit one spec, so every model, at start
// and when replaced, must have been trained on it (models without a spec are not checked).
struct StreamSpec {
  std::string text;      // trimmed; "" when no side knows one
  std::string model;     // the model it was taken from; "" when from --spec
};

// A model as mlclassify applies it, under the options given: at start, and again for a
// model replaced while a stream runs (--reload, SIGHUP), which must pass the same checks.
Entry make_entry(const std::string& name, const std::string& path, const Model& model, const Options& o,
                 const StreamSpec& spec) {
  Entry e;
  e.name = name;
  e.path = path;
  e.model = model;
  const Model& m = e.model;
  if (!spec.text.empty() && !m.spec().empty() && trim(m.spec()) != spec.text) {
    if (spec.model.empty())
      throw Error(sidecar_path(path), 0,
                  fmt::format("model '{}' was trained on features made with another spec than {} (compare the "
                              "sidecar's \"spec\" with that file)",
                              name, o.spec));
    throw Error(sidecar_path(path), 0,
                fmt::format("model '{}' was trained on features made with another spec than model '{}': the "
                            "records' features cannot fit both (compare the sidecars' \"spec\"; --spec FILE "
                            "names the input's)",
                            name, spec.model));
  }
  if (m.is_classifier() && m.class_count() != 2) {
    e.output = Output::class_name;
  } else if (m.is_classifier()) {
    e.output = o.probability                                  ? Output::probability
               : m.info().calibration && !o.decision ? Output::calibrated
                                                              : Output::decision;
  } else if (m.is_regression()) {
    e.output = Output::value;
  } else {
    e.output = Output::decision;  // one-class: > 0 inside
  }
  if (o.probability && m.is_classifier() && !m.has_probability())
    throw Error(path, 0, fmt::format("--probability: model '{}' was not trained with probability estimates "
                                     "(train it with mltrain --probability or svm-train -b 1)", name));
  e.threshold = default_threshold(e);
  return e;
}

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

class ClassifyStage : public Stage {
 public:
  ClassifyStage(Settings s, std::shared_ptr<CsvTable> csv, Options o, StreamSpec spec,
                std::vector<ModelWatch> watches, std::vector<std::optional<double>> mins)
      : s_(std::move(s)),
        csv_(std::move(csv)),
        o_(std::move(o)),
        spec_(std::move(spec)),
        watches_(std::move(watches)),
        mins_(std::move(mins)),
        schedule_(o_.reload) {}
  bool reads_header() const override { return csv_ != nullptr; }
  void header(const Record& line) const override { csv_->header(line.data); }
  std::unique_ptr<Worker> make_worker() const override { return std::make_unique<ClassifyWorker>(s_, csv_.get()); }

  // --output-format csv: the input's columns (without the models' feature columns with
  // --drop-features), then one column per prediction, named by its path in the NDJSON
  // output: scores.NAME, passed.NAME, scores_detail.NAME.CLASS, FIELD.NAME (--label-out).
  std::string header_output() const override {
    if (!s_.csv_output) return {};
    std::string line;
    bool first = true;
    auto cell = [&](const std::string& v) {
      if (!first) line += ',';
      first = false;
      append_csv_cell(line, v);
    };
    const std::vector<std::string>& features = csv_->feature_columns();
    for (const std::string& c : csv_->columns())
      if (!s_.drop_features || std::find(features.begin(), features.end(), c) == features.end()) cell(c);
    for (const Entry& e : s_.models) cell("scores." + e.name);
    for (const Entry& e : s_.models)
      if (e.threshold) cell("passed." + e.name);
    if (s_.per_class)
      for (const Entry& e : s_.models)
        if (e.model.is_classifier())
          for (const std::string& c : e.model.class_names()) cell(fmt::format("scores_detail.{}.{}", e.name, c));
    if (!s_.label_out.empty())
      for (const Entry& e : s_.models)
        if (e.model.is_classifier()) cell(fmt::format("{}.{}", s_.label_out, e.name));
    line += '\n';
    return line;
  }

  Reload reload() const override { return o_.reload ? Reload::polling : Reload::on_request; }

  bool summarizes() const override { return s_.accuracy != nullptr; }
  // --accuracy: svm-predict's own lines (its %g numbers), one set per model, named when
  // there are several.
  std::string summary() const override {
    std::string out = unseen_summary();
    if (!s_.accuracy) return out;
    std::lock_guard<std::mutex> lock(s_.accuracy->mutex);
    for (std::size_t m = 0; m < s_.models.size(); ++m) {
      const Tally& t = s_.accuracy->per_model[m];
      const std::string who = s_.models.size() > 1 ? fmt::format("{}: ", s_.models[m].name) : "";
      if (t.total == 0) {
        out += fmt::format("{}no rows to measure\n", who);
        continue;
      }
      const double n = double(t.total);
      if (s_.models[m].output == Output::value) {
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

  // Workers read s_.models for every record: an entry is replaced only here, with no worker
  // running, so that one batch is scored by one version of each model.
  void between_batches(const BatchBoundary& b, std::string& log) override {
    if (!schedule_.due(b.reload_requested)) return;
    for (std::size_t i = 0; i < watches_.size(); ++i) {
      Entry& running = s_.models[i];
      std::optional<Entry> next;
      ModelWatch::Change change = watches_[i].poll(
          [&](const Model& m) {
            Entry e = make_entry(running.name, running.path, m, o_, spec_);
            if (mins_[i]) e.threshold = mins_[i];
            // The records of one stream keep one shape: scores.NAME stays a decision value,
            // a probability or a class name (and "passed" stays or stays away).
            if (e.output != running.output)
              throw Error(running.path, 0,
                          fmt::format("the new model gives {} where the running one gives {} (restart to change "
                                      "what a stream writes)",
                                      output_name(e.output), output_name(running.output)));
            // CSV rows were laid out by the running models' columns, found in the header.
            if (csv_ && m.info().columns != running.model.info().columns)
              throw Error(sidecar_path(running.path), 0,
                          "the new model was trained on other CSV columns than the running one (restart to read "
                          "the input by its columns)");
            // CSV output has one column per class of each model, named in its header.
            if (s_.csv_output && s_.per_class && m.class_names() != running.model.class_names())
              throw Error(sidecar_path(running.path), 0,
                          "the new model has other classes than the running one, whose columns the CSV output "
                          "names (restart to write them)");
            e.feature_slots = running.feature_slots;
            next = std::move(e);
          },
          b.reload_requested);
      if (change.kind == ModelWatch::Change::Kind::reloaded) running = std::move(*next);
      if (std::string line = change.line(b.tool, running.name, running.path); !line.empty()) log += line + '\n';
    }
  }

 private:
  // --format csv: per model and column, the categories it was not trained on, if any.
  std::string unseen_summary() const {
    std::string out;
    if (!s_.unseen) return out;
    std::lock_guard<std::mutex> lock(s_.unseen->mutex);
    for (std::size_t m = 0; m < s_.models.size(); ++m)
      for (const auto& [j, levels] : s_.unseen->per_model[m]) {
        const PreparedColumn& c = s_.models[m].model.info().column_prep->columns[j];
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
                           s_.models[m].name, levels.rows, levels.rows == 1 ? "" : "s", input_snippet(c.name), values,
                           c.levels.size());
      }
    return out;
  }

  Settings s_;
  std::shared_ptr<CsvTable> csv_;  // --format csv: filled by header() before any row
  const Options o_;
  const StreamSpec spec_;
  std::vector<ModelWatch> watches_;            // one per s_.models entry
  std::vector<std::optional<double>> mins_;    // --min NAME=T, kept for reloaded models
  ReloadSchedule schedule_;
};

std::unique_ptr<Stage> build(const Options& o, const FileSource& files) {
  Settings s;
  if (o.probability && o.decision) throw Error::usage("--probability and --decision exclude each other");
  s.keep = o.keep == "any" ? Keep::any : o.keep == "all" ? Keep::all : Keep::every;
  s.drop_features = o.drop_features;
  s.per_class = o.per_class;
  s.probability = o.probability;
  s.features_field = o.features_field;
  s.label_out = o.label_out;
  s.ignore_extra_features = o.extra_features == "ignore";
  s.libsvm = o.format == "libsvm";
  if (s.libsvm && !o.features_field.empty())
    throw Error::usage("--features-field: libsvm rows have no fields (their features become \"features\")");
  if (o.accuracy && !s.libsvm)
    throw Error::usage("--accuracy measures the models against the labels of libsvm rows: it needs --format libsvm");
  if (!o.label_out.empty() && (o.label_out == "scores" || o.label_out == "passed" || o.label_out == "scores_detail"))
    throw Error::usage(fmt::format("--label-out {}: mlclassify writes that field itself", o.label_out));
  StreamSpec spec;
  if (!o.spec.empty()) spec.text = trim(files.read(o.spec));

  std::vector<ModelWatch> watches;
  for (const std::string& arg : o.models) {
    auto [name, path] = model_argument(arg);
    for (const Entry& e : s.models)
      if (e.name == name) throw Error::usage(fmt::format("-m: the name '{}' is given twice", name));
    watches.emplace_back(path, files);
    s.models.push_back(make_entry(name, path, watches.back().model(), o, spec));
    if (spec.text.empty() && !s.models.back().model.spec().empty())
      spec = StreamSpec{trim(s.models.back().model.spec()), name};
  }

  if (o.accuracy) {
    s.accuracy = std::make_shared<Tallies>();
    s.accuracy->per_model.resize(s.models.size());
  }
  std::vector<std::optional<double>> mins(s.models.size());
  for (const std::string& arg : o.mins) {
    std::size_t eq = arg.find('=');
    if (eq == std::string::npos) throw Error::usage(fmt::format("--min '{}': expected NAME=THRESHOLD", arg));
    std::string name = arg.substr(0, eq);
    std::string value = arg.substr(eq + 1);
    const std::optional<double> t = parse_double(value);
    if (!t) throw Error::usage(fmt::format("--min '{}': the threshold '{}' is not a number", arg, value));
    Entry* hit = nullptr;
    for (Entry& e : s.models)
      if (e.name == name) hit = &e;
    if (!hit) throw Error::usage(fmt::format("--min '{}': no model is named '{}' (-m NAME=MODEL)", arg, name));
    if (hit->output == Output::class_name)
      throw Error::usage(fmt::format("--min '{}': model '{}' predicts class names (multi-class); a threshold "
                                     "applies to decision values, probabilities and regression values",
                                     arg, name));
    hit->threshold = t;
    mins[std::size_t(hit - s.models.data())] = t;
  }
  if (s.keep != Keep::every) {
    bool any_threshold = false;
    for (const Entry& e : s.models) any_threshold = any_threshold || e.threshold.has_value();
    if (!any_threshold)
      throw Error::usage(fmt::format("--keep {}: no model has a threshold (multi-class models have none; give "
                                     "regression models one with --min NAME=T)",
                                     o.keep));
  }
  if (!spec.text.empty()) {
    s.spec_digest = feature_spec_digest(spec.text);
    s.spec_owner = spec.model.empty() ? fmt::format("the spec {} (--spec)", o.spec)
                                      : fmt::format("the spec model '{}' was trained on", spec.model);
  }
  if (o.output_format == "csv" && o.format != "csv")
    throw Error::usage("--output-format csv writes each CSV input row with its predictions: it needs --format csv");
  s.csv_output = o.output_format == "csv";
  std::shared_ptr<CsvTable> csv;
  if (o.format == "csv") {
    if (!o.features_field.empty()) throw Error::usage("--features-field: CSV rows have no feature field (the model's columns are the features)");
    // The features are the columns the models were trained on, found by name: all of
    // theirs, each model reading its own.
    CsvLayout layout;
    for (Entry& e : s.models) {
      if (e.model.info().columns.empty())
        throw Error::usage(fmt::format("--format csv: model '{}' was not trained on CSV (its sidecar names no columns)",
                                       e.name));
      for (const std::string& c : e.model.info().columns) {
        auto it = std::find(layout.features.begin(), layout.features.end(), c);
        if (it == layout.features.end()) it = layout.features.insert(layout.features.end(), c);
        e.feature_slots.push_back(std::size_t(it - layout.features.begin()));
      }
    }
    csv = std::make_shared<CsvTable>(std::move(layout));
    s.unseen = std::make_shared<UnseenTallies>();
    s.unseen->per_model.resize(s.models.size());
  }
  return std::make_unique<ClassifyStage>(std::move(s), std::move(csv), o, std::move(spec), std::move(watches),
                                         std::move(mins));
}

StageFactory declare(CLI::App& app) {
  auto o = std::make_shared<Options>();
  app.add_option("-m,--model", o->models,
                 "Model to apply, repeatable: its scores go to scores.NAME (MODEL alone: NAME is the file name "
                 "without .model)")
      ->type_name("NAME=MODEL")
      ->allow_extra_args(false)
      ->required();
  app.add_option("--min", o->mins,
                 "Threshold of a model, repeatable: the record passes it when scores.NAME > T (default: the "
                 "sidecar's threshold, else 0 for decision values and 0.5 for probabilities; none for regression)")
      ->type_name("NAME=T")
      ->allow_extra_args(false);
  app.add_option("--keep", o->keep,
                 "Which records to write: every one, those passing any model's threshold, or all thresholds")
      ->check(CLI::IsMember({"every", "any", "all"}))
      ->type_name("every|any|all")
      ->capture_default_str();
  app.add_flag("--probability", o->probability,
               "Binary classifiers: the probability of the first class instead of the decision value; "
               "multi-class: the most probable class (models trained with probability estimates)");
  app.add_flag("--decision", o->decision,
               "Binary classifiers with a calibration in their sidecar: write decision values, not calibrated "
               "probabilities (thresholds are then decision values too)");
  app.add_flag("--per-class", o->per_class,
               "Add scores_detail.NAME: per-class values of classifiers (probabilities with --probability, "
               "else votes plus a confidence below 1/3)");
  app.add_flag("--drop-features", o->drop_features, "Leave the feature field out of the output records");
  app.add_option("--features-field", o->features_field,
                 "Field holding the features: sparse {\"idx\":[…],\"val\":[…]} or a dense array (default: "
                 "features, else x)")
      ->type_name("FIELD");
  app.add_option("--spec", o->spec,
                 "The feature spec the input was built with (mlfeat --write-spec); models whose sidecar holds "
                 "another spec are refused (without it, models must agree with the first one that has a spec)")
      ->type_name("FILE");
  app.add_option("--extra-features", o->extra_features,
                 "A record with a feature index beyond the features a model was trained on (its sidecar's "
                 "dimension): an error (the vector was made another way), or ignore those indices")
      ->check(CLI::IsMember({"error", "ignore"}))
      ->type_name("error|ignore")
      ->capture_default_str();
  app.add_option("--format", o->format,
                 "Input format: NDJSON records; CSV with a header row: the columns the models were trained on "
                 "(mltrain --format csv) are the features, found by name, the others are copied to the output; or "
                 "libsvm's text rows (LABEL idx:val …), each written as {\"label\":LABEL,\"features\":{…}} with "
                 "its scores")
      ->check(CLI::IsMember({"ndjson", "csv", "libsvm"}))
      ->type_name("ndjson|csv|libsvm")
      ->capture_default_str();
  app.add_option("--output-format", o->output_format,
                 "With --format csv: NDJSON records, or CSV: each input row's cells, then its predictions (columns "
                 "scores.NAME, passed.NAME, scores_detail.NAME.CLASS, FIELD.NAME), a header line first")
      ->check(CLI::IsMember({"ndjson", "csv"}))
      ->type_name("ndjson|csv")
      ->capture_default_str();
  app.add_flag("--accuracy", o->accuracy,
               "With --format libsvm: at the end, print on stderr what svm-predict prints of each model against the "
               "rows' labels: Accuracy = P% (CORRECT/TOTAL) (classification), or the mean squared error and squared "
               "correlation coefficient (regression); prefixed by the model's name when there are several");
  app.add_option("--label-out", o->label_out,
                 "Also write FIELD.NAME: each classifier's predicted class, as the JSON type of its training labels "
                 "(a binary classifier's first class when the record passes its threshold)")
      ->type_name("FIELD");
  app.add_flag("--reload", o->reload,
               "Follow the model files: a model replaced on disk (with its sidecar) is used from the next batch "
               "on, one stderr line per switch (SIGHUP asks for a look also without --reload)");
  return [o](const FileSource& files) { return build(*o, files); };
}

}  // namespace

const ToolDef& mlclassify_tool() {
  static const ToolDef tool{"mlclassify", "Score NDJSON records with libsvm models; keep those that pass", declare,
                            true};
  return tool;
}

}  // namespace mlpipe
