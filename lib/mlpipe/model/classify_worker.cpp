// See classify_worker.h.
#include "mlpipe/model/classify_worker.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include <fmt/format.h>

#include "mlpipe/core/csv.h"
#include "mlpipe/core/error.h"
#include "mlpipe/core/input.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/json_writer.h"
#include "mlpipe/core/record_fields.h"
#include "mlpipe/core/snippet.h"
#include "mlpipe/core/spec_digest.h"
#include "mlpipe/model/libsvm_row.h"

namespace mlpipe::classify {

namespace {

// A class name written as the JSON type its model was trained from: 3, true or "claim".
void write_class(JsonWriter& w, const Model& m, std::size_t c) {
  const std::string& name = m.class_names()[c];
  const std::string& type = m.info().label_type;
  if (type == "number" || type == "boolean") w.raw(name);
  else w.string(name);
}

class ClassifyWorker : public Worker {
 public:
  explicit ClassifyWorker(const ClassifyRun& run)
      : run_(run),
        s_(run.settings),
        models_(run.models),
        csv_(run.csv.get()),
        scores_(models_.size()),
        labels_(models_.size()),
        passed_(models_.size()),
        inputs_(models_.size()),
        trimmed_(models_.size()),
        tally_(models_.size()),
        unseen_(models_.size()) {
    csv_x_.resize(models_.size());
    for (const Entry& e : models_) any_threshold_ = any_threshold_ || e.threshold.has_value();
  }

  void process(const Record& in, std::string& out) override {
    if (s_.input == Input::libsvm) return process_libsvm(in, out);
    if (!csv_) return process_json(in, out);
    process_csv(in, out);
  }

  void finish(std::string& /*out*/) override {
    if (run_.unseen) {
      std::lock_guard<std::mutex> lock(run_.unseen->mutex);
      for (std::size_t m = 0; m < unseen_.size(); ++m)
        for (const auto& [column, levels] : unseen_[m]) run_.unseen->per_model[m][column].add(levels);
      unseen_.assign(unseen_.size(), {});
    }
    if (!run_.accuracy) return;
    std::lock_guard<std::mutex> lock(run_.accuracy->mutex);
    for (std::size_t m = 0; m < tally_.size(); ++m) run_.accuracy->per_model[m].add(tally_[m]);
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
    for (std::size_t m = 0; m < models_.size(); ++m) {
      const Entry& e = models_[m];
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
    w.key(record_fields::kLabel).number(y);
    w.key(record_fields::kFeatures).begin_object();
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

  // `csv_input`: the models' vectors are in csv_x_ already (process_csv), and the record's
  // "x" holds its feature cells as they read.
  void process_json(const Record& in, std::string& out, bool csv_input = false) {
    const std::vector<Field>& record = reader_.index(in);
    std::string_view features_key = record_fields::kDenseFeatures;
    if (csv_input) {
      for (std::size_t m = 0; m < models_.size(); ++m) inputs_[m] = &csv_x_[m];
    } else {
      features_key = read_features();
    }
    const bool kept = score_models();
    if (run_.accuracy)
      for (std::size_t m = 0; m < models_.size(); ++m) count(m);
    if (!kept) return;
    if (s_.csv_output) return write_csv_row(out);
    write_record(record, features_key, out);
  }

  // The record's vector into x_, each model's input set; returns the field's name.
  std::string_view read_features() {
    std::optional<Field> f;
    if (!s_.features_field.empty()) {
      f = reader_.find(s_.features_field);
      if (!f) throw Error(fmt::format("no field '{}' (the features, --features-field)", s_.features_field));
    } else {
      f = reader_.find(record_fields::kFeatures);
      if (!f) f = reader_.find(record_fields::kDenseFeatures);
      if (!f) throw Error("no 'features' or 'x' field (use --features-field to name another)");
    }
    const JsonReader::VectorFacts facts = reader_.get_sparse(*f, x_);
    if (!facts.spec.empty() && !run_.spec_digest.empty() && facts.spec != run_.spec_digest)
      throw Error(spec_digest_mismatch(facts.spec, run_.spec_digest, run_.spec_owner));
    dense_values_ = facts.dense ? facts.dense_values : 0;
    for (std::size_t m = 0; m < models_.size(); ++m) inputs_[m] = &fitted_input(m);
    return f->key;
  }

  // Scores the record with every model and decides with each threshold; returns whether
  // --keep writes it.
  bool score_models() {
    bool any = false, all = true;
    for (std::size_t m = 0; m < models_.size(); ++m) {
      const Entry& e = models_[m];
      scores_[m] = score(m);
      passed_[m] = false;
      if (e.threshold) {
        bool pass = scores_[m] > *e.threshold;
        passed_[m] = pass;
        any = any || pass;
        all = all && pass;
      }
    }
    if (s_.keep == Keep::any) return any;
    if (s_.keep == Keep::all) return all;
    return true;
  }

  // Model m's score of its input; for class names, the class goes to labels_[m] (score 0).
  double score(std::size_t m) {
    const Entry& e = models_[m];
    const SparseVector& x = *inputs_[m];
    labels_[m] = std::size_t(-1);
    switch (e.output) {
      case Output::decision:
      case Output::value: return e.model.decision(x, scratch_);
      case Output::calibrated: return e.units->score(e.model.decision(x, scratch_));
      case Output::probability:
        e.model.predict_probability(x, scratch_, probs_);
        return probs_[0];
      case Output::class_name:
        labels_[m] =
            s_.probability ? e.model.predict_probability(x, scratch_, probs_) : e.model.predict_class(x, scratch_);
        return 0;
    }
    return 0;
  }

  // The record with its other fields passed through; `scores` (and `passed`, scores_detail)
  // rebuilt with ours merged in.
  void write_record(const std::vector<Field>& record, std::string_view features_key, std::string& out) {
    drop_.clear();
    drop_.push_back(record_fields::kScores);
    if (any_threshold_) drop_.push_back(record_fields::kPassed);
    if (s_.per_class) drop_.push_back(record_fields::kScoresDetail);
    if (!s_.label_out.empty()) drop_.push_back(s_.label_out);
    if (s_.drop_features) drop_.push_back(features_key);
    JsonWriter w(out);
    w.begin_object();
    w.copy_fields(record, drop_);
    w.key(record_fields::kScores).begin_object();
    merge_existing(w, record_fields::kScores);
    for (std::size_t m = 0; m < models_.size(); ++m) {
      const Entry& e = models_[m];
      w.key(e.name);
      if (e.output == Output::class_name) write_class(w, e.model, labels_[m]);
      else w.number(scores_[m]);
    }
    w.end_object();
    // The decision itself, so that later stages (mljoin) follow it instead of repeating
    // thresholds: one boolean per model that has a threshold.
    if (any_threshold_) {
      w.key(record_fields::kPassed).begin_object();
      merge_existing(w, record_fields::kPassed);
      for (std::size_t m = 0; m < models_.size(); ++m)
        if (models_[m].threshold) w.key(models_[m].name).boolean(passed_[m]);
      w.end_object();
    }
    if (s_.per_class) write_detail(w);
    if (!s_.label_out.empty()) write_labels(w);
    w.end_object().end_record();
  }

  // --accuracy: model m's prediction for the row just scored, as svm-predict compares it
  // with the label: the class's label, the regression value, or +1/-1 for one-class.
  void count(std::size_t m) {
    const Entry& e = models_[m];
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

  // The record's features as model `m` may score them. An index beyond the features the model
  // was trained on means the vector was made another way (another spec, hashing width or
  // column count): the model would score the indices it knows and pass off the result as a
  // prediction. Refused, unless --extra-features=ignore asks to leave those indices out.
  const SparseVector& fitted_input(std::size_t m) {
    const std::uint32_t dimension = models_[m].model.dimension();
    // A dense x holds every column a model was trained on: one of another length was laid out
    // another way, and a short one would be scored as if its missing values were zeros. (A
    // model of mlfeat's features has a width, not columns: its spec is checked instead.)
    if (dense_values_ && dimension && dense_values_ != dimension && models_[m].model.spec().empty())
      throw Error(fmt::format("a dense vector with {} value{}, but model '{}' was trained on {} features (one "
                              "value per feature, in the order of its training columns)",
                              dense_values_, dense_values_ == 1 ? "" : "s", models_[m].name, dimension));
    if (dimension == 0 || x_.empty() || x_.idx.back() <= dimension) return x_;
    const auto beyond = std::upper_bound(x_.idx.begin(), x_.idx.end(), dimension);
    if (!s_.ignore_extra_features)
      throw Error(fmt::format("feature index {} is beyond the {} features model '{}' was trained on (features made "
                              "with another spec or width than its training data? --extra-features=ignore leaves "
                              "such indices out)",
                              *beyond, dimension, models_[m].name));
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
    for (std::size_t m = 0; m < models_.size(); ++m) {
      const Entry& e = models_[m];
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
      for (const Entry& e : models_) ours = ours || e.name == f.key;
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
    for (std::size_t m = 0; m < models_.size(); ++m) {
      const Entry& e = models_[m];
      if (e.output == Output::class_name) cell(e.model.class_names()[labels_[m]]);
      else number(scores_[m]);
    }
    for (std::size_t m = 0; m < models_.size(); ++m)
      if (models_[m].threshold) cell(passed_[m] ? "true" : "false");
    if (s_.per_class)
      for (std::size_t m = 0; m < models_.size(); ++m)
        if (models_[m].model.is_classifier()) {
          detail_values(m);
          for (double v : detail_) number(v);
        }
    if (!s_.label_out.empty())
      for (std::size_t m = 0; m < models_.size(); ++m) {
        const Entry& e = models_[m];
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
    w.key(record_fields::kScoresDetail).begin_object();
    merge_existing(w, record_fields::kScoresDetail);
    for (std::size_t m = 0; m < models_.size(); ++m) {
      const Entry& e = models_[m];
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
    const Entry& e = models_[m];
    const SparseVector& x = *inputs_[m];
    const std::size_t k = e.model.class_names().size();
    detail_.assign(k, 0.0);
    // Tree models have one margin per class, not pairwise decisions, and a multi-class
    // logistic regression one score per class: their detail is always the class
    // probabilities.
    if (s_.probability || e.model.is_trees() || !e.model.info().class_intercepts.empty()) {
      e.model.predict_probability(x, scratch_, probs_);
      detail_ = probs_;
      return;
    }
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

  const ClassifyRun& run_;
  const ClassifySettings& s_;
  const std::vector<Entry>& models_;
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

}  // namespace

std::unique_ptr<Worker> make_classify_worker(const ClassifyRun& run) { return std::make_unique<ClassifyWorker>(run); }

}  // namespace mlpipe::classify
