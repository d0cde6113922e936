#include "mlpipe/pairs/stage_mljoin.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/json_writer.h"

namespace mlpipe {

// What mllink reads of a side (its place, scores, decisions and vector), and what identifies it.
const std::vector<std::string_view> kSlimFields = {"doc",    "para",   "sent",     "doc_sents", "start",
                                                   "end",    "scores", "passed",   "features",  "x"};

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
bool takes_role(JsonReader& reader, bool left, const MljoinSettings& s, bool& present) {
  if (!(left ? s.left_by_score : s.right_by_score)) {
    const std::string& path = left ? s.left_passed : s.right_passed;
    if (std::optional<Field> p = reader.find(path)) {
      if (p->type != JsonType::boolean)
        throw Error(fmt::format("field '{}': expected a boolean (mlclassify's decision), found {}", path,
                                type_name(p->type)));
      present = true;
      return reader.get_bool(*p);
    }
  }
  return left ? passes(reader, reader.find(s.left_field), s.left_min, present)
              : passes(reader, reader.find(s.right_field), s.right_min, present);
}

class JoinWorker : public Worker {
 public:
  JoinWorker(const MljoinSettings& s, const JoinOptions& join) : s_(s), joiner_(join) {}

  void process(const Record& r, std::string& out) override {
    reader_.index(r);
    JoinItem item;
    bool have_left = false, have_right = false;
    item.left = takes_role(reader_, true, s_, have_left);
    item.right = takes_role(reader_, false, s_, have_right);
    if (!have_left && !have_right)
      throw Error(fmt::format("neither '{}' nor '{}' is present (expected the {} and {} scores of mlclassify; "
                              "set --left-field/--right-field for other fields)",
                              s_.left_field, s_.right_field, s_.join.left_name, s_.join.right_name));
    if (s_.join.keyed) {
      std::optional<Field> k = reader_.find(s_.key);
      if (!k) throw Error(fmt::format("field '{}' is missing (the join key; set --key FIELD, or --no-key)", s_.key));
      item.key = k->raw;
    }
    if (s_.join.time_window) {
      std::optional<Field> t = reader_.find(s_.window_field);
      if (t) {
        item.time = reader_.get_number(*t);
      } else if (item.left || item.right) {
        throw Error(fmt::format("field '{}' is missing (the time field of --window-field)", s_.window_field));
      }
    }
    if (s_.join.thesis) item.thesis = thesis_score();
    if (item.left || item.right || !std::isnan(item.thesis)) {
      if (std::optional<Field> f = reader_.find("doc")) item.doc = f->raw;
      if (std::optional<Field> f = reader_.find("para")) item.para = reader_.get_integer(*f);
      if (std::optional<Field> f = reader_.find("sent")) item.sent = reader_.get_integer(*f);
      // With --thesis the thesis' side gets "thesis":true: a field of that name (a label) goes.
      item.body = s_.slim ? slim_body() : s_.join.thesis ? without_thesis() : trimmed(r.data);
      if (s_.join.sentences) item.sentence = sentence_body();
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
    if (std::optional<Field> p = s_.thesis_passed.empty() ? std::nullopt : reader_.find(s_.thesis_passed)) {
      if (p->type != JsonType::boolean)
        throw Error(fmt::format("field '{}': expected a boolean (mlclassify's decision), found {}", s_.thesis_passed,
                                type_name(p->type)));
      if (!reader_.get_bool(*p)) return std::numeric_limits<double>::quiet_NaN();
    }
    std::optional<Field> s = reader_.find(s_.thesis_score);
    if (!s || s->type == JsonType::null) return std::numeric_limits<double>::quiet_NaN();
    if (s->type != JsonType::number)
      throw Error(fmt::format("field '{}': expected a number (the thesis score), found {}", s_.thesis_score,
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
                  std::find(s_.keep.begin(), s_.keep.end(), f.key) != s_.keep.end();
      if (s_.join.thesis && f.key == "thesis") keep = false;
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

  const MljoinSettings& s_;
  Joiner joiner_;
  JsonReader reader_;
  std::string slim_, sentence_, side_;
};

class JoinStage : public Stage {
 public:
  explicit JoinStage(MljoinSettings s) : s_(std::move(s)) {}
  bool concurrent() const override { return false; }
  Placement placement() const override {
    // --idle, --max-keys and a count window measure the whole arrival order, across keys:
    // only one rank seeing every record gives the shell pipeline's pairs.
    const JoinOptions& j = s_.join;
    bool order_across_keys = j.idle > 0 || j.max_keys > 0 || j.window_records > 0;
    return j.keyed && !order_across_keys ? Placement::by_key(s_.key) : Placement::one_rank();
  }
  std::unique_ptr<Worker> make_worker() const override { return std::make_unique<JoinWorker>(s_, s_.join); }

  // In batch, a key's pairs are its left records (rows) times its right records (columns);
  // streaming and windows order pairs by arrival, which slices would not keep.
  // A thesis or sentence records belong to the whole key, so such keys are not sliced.
  bool splits_products() const override {
    return !s_.join.stream && !s_.join.thesis && !s_.join.sentences &&
           placement().kind == Placement::Kind::by_key;
  }
  bool writes_whole_keys() const override {
    return !s_.join.stream && placement().kind == Placement::Kind::by_key;
  }
  ProductRoles product_roles(JsonReader& record) const override {
    ProductRoles roles;
    bool present = false;
    try {
      roles.row = takes_role(record, true, s_, present);
      roles.column = takes_role(record, false, s_, present);
    } catch (const Error&) {
      return {};  // the worker reports the record
    }
    return roles;
  }
  std::unique_ptr<Worker> make_slice_worker(std::uint64_t begin, std::uint64_t end) const override {
    JoinOptions join = s_.join;
    join.rows_begin = begin;
    join.rows_end = end;
    return std::make_unique<JoinWorker>(s_, join);
  }

 private:
  MljoinSettings s_;
};

}  // namespace

std::unique_ptr<Stage> make_join_stage(MljoinSettings settings) {
  return std::make_unique<JoinStage>(std::move(settings));
}

}  // namespace mlpipe
