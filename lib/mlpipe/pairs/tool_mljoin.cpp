#include "mlpipe/pairs/tool_mljoin.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/json_writer.h"

namespace mlpipe {

// What mllink reads of a side (its place, scores, decisions and vector), and what identifies it.
const std::vector<std::string_view> kSlimFields = {"doc",    "para",   "sent",     "doc_sents", "start",
                                                   "end",    "scores", "passed",   "features",  "x"};

void finalize(MljoinOptions& o) {
  JoinOptions& j = o.join;
  if (j.left_name.empty() || j.right_name.empty()) throw Error::usage("--left and --right need a name");
  if (j.left_name == j.right_name)
    throw Error::usage(fmt::format("--left and --right are both '{}'; pair records need two side names", j.left_name));
  if (j.left_name == "key" || j.right_name == "key" || j.left_name == "distance" || j.right_name == "distance" ||
      j.left_name == "same_para" || j.right_name == "same_para")
    throw Error::usage("--left/--right may not be 'key', 'distance' or 'same_para' (pair record fields)");
  if (o.left_field.empty()) o.left_field = "scores." + j.left_name;
  if (o.right_field.empty()) o.right_field = "scores." + j.right_name;
  o.left_passed = "passed." + j.left_name;
  o.right_passed = "passed." + j.right_name;
  if (!o.keep.empty() && !o.slim) throw Error::usage("--keep only applies with --slim");
  if (!o.window_field.empty() && !j.time_window)
    throw Error::usage("--window-field needs --window SECONDS");
  if (j.keyed && o.key.empty()) throw Error::usage("--key needs a field name (or use --no-key)");
  if (!j.keyed && j.grouped) throw Error::usage("--grouped needs a key; it cannot go with --no-key");
  if (j.window_records > 0 || j.time_window) j.stream = true;
  if (j.thesis && j.stream)
    throw Error::usage("--thesis needs a key's records all seen (batch): not with --stream or --window");
  if (j.thesis && !j.keyed) throw Error::usage("--thesis marks one record per key: not with --no-key");
  // A score scores.NAME comes with mlclassify's decision passed.NAME; another field has none.
  o.thesis_passed = o.thesis_score.starts_with("scores.") ? "passed." + o.thesis_score.substr(7) : std::string();
}

namespace {

// Whether a role field passes its threshold; `present` tells whether it was there.
bool passes(JsonReader& reader, const std::optional<Field>& f, double min, bool& present) {
  present = f.has_value();
  if (!present || f->type == JsonType::null) return false;  // null: scored, but no score to pass
  if (f->type == JsonType::boolean) return (reader.get_bool(*f) ? 1.0 : 0.0) > min;
  return reader.get_number(*f) > min;
}

// Whether a record takes a role: mlclassify's decision `passed.NAME` when there is one (the
// threshold was given once, to mlclassify or in the model's sidecar), else the score rule.
bool takes_role(JsonReader& reader, bool left, const MljoinOptions& o, bool& present) {
  if (!(left ? o.left_by_score : o.right_by_score)) {
    const std::string& path = left ? o.left_passed : o.right_passed;
    if (std::optional<Field> p = reader.find(path)) {
      if (p->type != JsonType::boolean)
        throw Error(fmt::format("field '{}': expected a boolean (mlclassify's decision), found {}", path,
                                type_name(p->type)));
      present = true;
      return reader.get_bool(*p);
    }
  }
  return left ? passes(reader, reader.find(o.left_field), o.left_min, present)
              : passes(reader, reader.find(o.right_field), o.right_min, present);
}

class JoinWorker : public Worker {
 public:
  JoinWorker(const MljoinOptions& o, const JoinOptions& join) : o_(o), joiner_(join) {}

  void process(const Record& r, std::string& out) override {
    reader_.index(r);
    JoinItem item;
    bool have_left = false, have_right = false;
    item.left = takes_role(reader_, true, o_, have_left);
    item.right = takes_role(reader_, false, o_, have_right);
    if (!have_left && !have_right)
      throw Error(fmt::format("neither '{}' nor '{}' is present (expected the {} and {} scores of mlclassify; "
                              "set --left-field/--right-field for other fields)",
                              o_.left_field, o_.right_field, o_.join.left_name, o_.join.right_name));
    if (o_.join.keyed) {
      std::optional<Field> k = reader_.find(o_.key);
      if (!k) throw Error(fmt::format("field '{}' is missing (the join key; set --key FIELD, or --no-key)", o_.key));
      item.key = k->raw;
    }
    if (o_.join.time_window) {
      std::optional<Field> t = reader_.find(o_.window_field);
      if (t) {
        item.time = reader_.get_number(*t);
      } else if (item.left || item.right) {
        throw Error(fmt::format("field '{}' is missing (the time field of --window-field)", o_.window_field));
      }
    }
    if (o_.join.thesis) item.thesis = thesis_score();
    if (item.left || item.right || !std::isnan(item.thesis)) {
      if (std::optional<Field> f = reader_.find("doc")) item.doc = f->raw;
      if (std::optional<Field> f = reader_.find("para")) item.para = reader_.get_integer(*f);
      if (std::optional<Field> f = reader_.find("sent")) item.sent = reader_.get_integer(*f);
      // With --thesis the thesis' side gets "thesis":true: a field of that name (a label) goes.
      item.body = o_.slim ? slim_body() : o_.join.thesis ? without_thesis() : trimmed(r.data);
      if (o_.join.sentences) item.sentence = sentence_body();
    }
    joiner_.add(item, out);
  }

  void finish(std::string& out) override { joiner_.finish(out); }
  // Batch pairs come out a few megabytes at a time, not all in one buffer.
  bool finish_part(std::string& out) override { return joiner_.finish_part(out, std::size_t(4) << 20); }

  const JoinStats& stats() const { return joiner_.stats(); }

 private:
  static std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
  }

  // A thesis candidate's score: its thesis score when the record has one and passed the thesis
  // model's threshold (or has no decision), else NaN.
  double thesis_score() {
    if (std::optional<Field> p = o_.thesis_passed.empty() ? std::nullopt : reader_.find(o_.thesis_passed)) {
      if (p->type != JsonType::boolean)
        throw Error(fmt::format("field '{}': expected a boolean (mlclassify's decision), found {}", o_.thesis_passed,
                                type_name(p->type)));
      if (!reader_.get_bool(*p)) return std::numeric_limits<double>::quiet_NaN();
    }
    std::optional<Field> s = reader_.find(o_.thesis_score);
    if (!s || s->type == JsonType::null) return std::numeric_limits<double>::quiet_NaN();
    if (s->type != JsonType::number)
      throw Error(fmt::format("field '{}': expected a number (the thesis score), found {}", o_.thesis_score,
                              type_name(s->type)));
    return reader_.get_number(*s);
  }

  std::string_view without_thesis() {
    side_.clear();
    JsonWriter w(side_);
    w.begin_object();
    w.copy_fields(reader_.fields(), {"thesis"});
    w.end_object();
    return side_;
  }

  // The record for a sentence record: every field but the feature vector.
  std::string_view sentence_body() {
    sentence_.clear();
    JsonWriter w(sentence_);
    w.begin_object();
    w.copy_fields(reader_.fields(), {"features", "x", "key", "roles", "thesis"});
    w.end_object();
    return sentence_;
  }

  std::string_view slim_body() {
    slim_.clear();
    slim_.push_back('{');
    bool first = true;
    for (const Field& f : reader_.fields()) {
      bool keep = std::find(kSlimFields.begin(), kSlimFields.end(), f.key) != kSlimFields.end() ||
                  std::find(o_.keep.begin(), o_.keep.end(), f.key) != o_.keep.end();
      if (o_.join.thesis && f.key == "thesis") keep = false;
      if (!keep) continue;
      if (!first) slim_.push_back(',');
      first = false;
      append_json_string(slim_, f.key);
      slim_.push_back(':');
      slim_.append(f.raw);
    }
    slim_.push_back('}');
    return slim_;
  }

  const MljoinOptions& o_;
  Joiner joiner_;
  JsonReader reader_;
  std::string slim_, sentence_, side_;
};

class JoinStage : public Stage {
 public:
  explicit JoinStage(MljoinOptions o) : o_(std::move(o)) {}
  bool concurrent() const override { return false; }
  Placement placement() const override {
    // --idle, --max-keys and a count window measure the whole arrival order, across keys:
    // only one rank seeing every record gives the shell pipeline's pairs.
    const JoinOptions& j = o_.join;
    bool order_across_keys = j.idle > 0 || j.max_keys > 0 || j.window_records > 0;
    return j.keyed && !order_across_keys ? Placement::by_key(o_.key) : Placement::one_rank();
  }
  std::unique_ptr<Worker> make_worker() const override { return std::make_unique<JoinWorker>(o_, o_.join); }

  // In batch, a key's pairs are its left records (rows) times its right records (columns);
  // streaming and windows order pairs by arrival, which slices would not keep.
  // A thesis or sentence records belong to the whole key, so such keys are not sliced.
  bool splits_products() const override {
    return !o_.join.stream && !o_.join.thesis && !o_.join.sentences &&
           placement().kind == Placement::Kind::by_key;
  }
  bool writes_whole_keys() const override {
    return !o_.join.stream && placement().kind == Placement::Kind::by_key;
  }
  ProductRoles product_roles(JsonReader& record) const override {
    ProductRoles roles;
    bool present = false;
    try {
      roles.row = takes_role(record, true, o_, present);
      roles.column = takes_role(record, false, o_, present);
    } catch (const Error&) {
      return {};  // the worker reports the record
    }
    return roles;
  }
  std::unique_ptr<Worker> make_slice_worker(std::uint64_t begin, std::uint64_t end) const override {
    JoinOptions join = o_.join;
    join.rows_begin = begin;
    join.rows_end = end;
    return std::make_unique<JoinWorker>(o_, join);
  }

 private:
  MljoinOptions o_;
};

}  // namespace

std::unique_ptr<Stage> make_join_stage(MljoinOptions options) {
  finalize(options);
  return std::make_unique<JoinStage>(std::move(options));
}

const ToolDef& mljoin_tool() {
  static const ToolDef def{
      "mljoin",
      "Pair claim records with support records of the same key (document), in batch or as a stream",
      [](CLI::App& app) -> StageFactory {
        auto o = std::make_shared<MljoinOptions>();
        JoinOptions& j = o->join;
        auto window = std::make_shared<double>(0);
        CLI::Option* key = app.add_option("--key", o->key, "Pair records with equal values of FIELD (dotted path)")
                               ->type_name("FIELD")
                               ->default_str("doc");
        auto no_key_set = std::make_shared<bool>(false);
        CLI::Option* no_key = app.add_flag(
            "--no-key", *no_key_set, "The whole input is one key (the default with --window when --key is not given)");
        app.add_option("--left", j.left_name, "Name of the left role and of its side in pair records")
            ->type_name("NAME")
            ->default_str("claim");
        app.add_option("--right", j.right_name, "Name of the right role and of its side in pair records")
            ->type_name("NAME")
            ->default_str("support");
        // By default a record's role is mlclassify's decision, passed.LEFT (passed.RIGHT); these
        // options ask for the score rule instead, for their role.
        CLI::Option* left_field =
            app.add_option("--left-field", o->left_field,
                           "A record is left when this number is above --left-min (instead of passed.LEFT)")
                ->type_name("FIELD")
                ->default_str("scores.LEFT");
        CLI::Option* right_field =
            app.add_option("--right-field", o->right_field,
                           "A record is right when this number is above --right-min (instead of passed.RIGHT)")
                ->type_name("FIELD")
                ->default_str("scores.RIGHT");
        CLI::Option* left_min = app.add_option("--left-min", o->left_min,
                                               "Threshold of the left role (strictly above; instead of passed.LEFT)")
                                    ->type_name("X")
                                    ->default_str("0");
        CLI::Option* right_min = app.add_option("--right-min", o->right_min,
                                                "Threshold of the right role (strictly above; instead of passed.RIGHT)")
                                     ->type_name("X")
                                     ->default_str("0");
        app.add_flag("--stream", j.stream, "Write each pair as soon as both sides have arrived");
        app.add_flag("--grouped", j.grouped, "Input is grouped by key: a key's state ends when the key changes");
        app.add_option("--idle", j.idle, "End a key's state after N records without that key")
            ->type_name("N")
            ->check(positive_number());
        app.add_option("--max-keys", j.max_keys, "Hold at most N keys; beyond, end the least recently used")
            ->type_name("N")
            ->check(positive_number());
        app.add_option("--window", *window,
                       "Pair only records at most N records apart (or SECONDS apart with --window-field); "
                       "implies --stream")
            ->type_name("N|SECONDS")
            ->check(positive_number());
        app.add_option("--window-field", o->window_field, "Number field (e.g. seconds) that --window measures")
            ->type_name("FIELD");
        app.add_option("--max-distance", j.max_distance, "Keep pairs at most N sentences apart in one document")
            ->type_name("N")
            ->check(CLI::Validator(
                [](std::string& v) { return v.empty() || v[0] == '-' ? std::string("must be 0 or more") : std::string(); },
                "N>=0"));
        app.add_flag("--same-para", j.same_para, "Keep only pairs in one paragraph of one document");
        app.add_flag("--thesis", j.thesis,
                     "Mark each key's thesis: of the records that passed the thesis model (passed.thesis), the "
                     "one with the highest scores.thesis takes the left role and gets \"thesis\":true")
            ->group("Document structure");
        app.add_option("--thesis-score", o->thesis_score,
                       "With --thesis: the candidates' score field (scores.NAME: those that passed NAME)")
            ->type_name("FIELD")
            ->default_str("scores.thesis")
            ->group("Document structure");
        app.add_flag("--sentences", j.sentences,
                     "Also write each record that took a role once, as a sentence record {\"key\",…,\"roles\"} "
                     "without its features, before its key's pairs")
            ->group("Document structure");
        app.add_flag("--slim", o->slim,
                     "Keep only doc, para, sent, doc_sents, start, end, scores, passed, features, x of each side");
        app.add_option("--keep", o->keep, "With --slim, keep FIELD too (repeatable)")
            ->type_name("FIELD")
            ->allow_extra_args(false)
            ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
        return [o, window, no_key_set, key, no_key, left_field, right_field, left_min,
                right_min](const FileSource&) -> std::unique_ptr<Stage> {
          MljoinOptions opts = *o;
          opts.left_by_score = left_field->count() > 0 || left_min->count() > 0;
          opts.right_by_score = right_field->count() > 0 || right_min->count() > 0;
          JoinOptions& jo = opts.join;
          if (no_key->count() > 0) {
            if (key->count() > 0) throw Error::usage("--key and --no-key exclude each other");
            jo.keyed = false;
          }
          if (*window > 0) {
            if (opts.window_field.empty()) {
              if (*window != std::floor(*window))
                throw Error::usage(fmt::format("--window {}: a number of records must be whole (or add "
                                               "--window-field FIELD for a time window)",
                                               *window));
              jo.window_records = std::uint64_t(*window);
            } else {
              jo.time_window = true;
              jo.window_seconds = *window;
            }
            if (key->count() == 0) jo.keyed = false;
          }
          return make_join_stage(std::move(opts));
        };
      }};
  return def;
}

}  // namespace mlpipe
