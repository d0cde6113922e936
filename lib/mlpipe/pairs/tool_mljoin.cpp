#include "mlpipe/pairs/tool_mljoin.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>

#include "mlpipe/core/error.h"

namespace mlpipe {

namespace {

// The key (or none) and a window of records or of time.
void key_and_window(const MljoinOptions& o, MljoinSettings& s) {
  JoinOptions& j = s.join;
  if (o.no_key) {
    if (o.key_given) throw Error::usage("--key and --no-key exclude each other");
    j.keyed = false;
  }
  if (o.window > 0) {
    if (o.window_field.empty()) {
      if (o.window != std::floor(o.window))
        throw Error::usage(
            fmt::format("--window {}: a number of records must be whole (or add "
                        "--window-field FIELD for a time window)",
                        o.window));
      j.window_records = std::uint64_t(o.window);
    } else {
      j.time_window = true;
      j.window_seconds = o.window;
    }
    if (!o.key_given) j.keyed = false;
  }
}

// The two roles' names, and what makes a record take each.
void roles(const MljoinOptions& o, MljoinSettings& s) {
  const JoinOptions& j = s.join;
  if (j.left_name.empty() || j.right_name.empty()) throw Error::usage("--left and --right need a name");
  if (j.left_name == j.right_name)
    throw Error::usage(fmt::format("--left and --right are both '{}'; pair records need two side names", j.left_name));
  if (j.left_name == "key" || j.right_name == "key" || j.left_name == "distance" || j.right_name == "distance" ||
      j.left_name == "same_para" || j.right_name == "same_para")
    throw Error::usage("--left/--right may not be 'key', 'distance' or 'same_para' (pair record fields)");
  s.left_field = o.left_field.empty() ? "scores." + j.left_name : o.left_field;
  s.right_field = o.right_field.empty() ? "scores." + j.right_name : o.right_field;
  s.left_min = o.left_min;
  s.right_min = o.right_min;
  s.left_by_score = o.left_field_given || o.left_min_given;
  s.right_by_score = o.right_field_given || o.right_min_given;
  s.left_passed = "passed." + j.left_name;
  s.right_passed = "passed." + j.right_name;
}

// The options that go only with others: --slim, windows, keys, batch.
void option_pairs(const MljoinOptions& o, MljoinSettings& s) {
  JoinOptions& j = s.join;
  if (!o.keep.empty() && !o.slim) throw Error::usage("--keep only applies with --slim");
  if (!o.window_field.empty() && !j.time_window) throw Error::usage("--window-field needs --window SECONDS");
  if (j.keyed && o.key.empty()) throw Error::usage("--key needs a field name (or use --no-key)");
  if (!j.keyed && j.grouped) throw Error::usage("--grouped needs a key; it cannot go with --no-key");
  if (j.window_records > 0 || j.time_window) j.stream = true;
  if (j.thesis && j.stream)
    throw Error::usage("--thesis needs a key's records all seen (batch): not with --stream or --window");
  if (j.thesis && !j.keyed) throw Error::usage("--thesis marks one record per key: not with --no-key");
}

// The options whose presence matters, not only their value.
struct GivenOptions {
  CLI::Option* key = nullptr;
  CLI::Option* no_key = nullptr;
  CLI::Option* left_field = nullptr;
  CLI::Option* right_field = nullptr;
  CLI::Option* left_min = nullptr;
  CLI::Option* right_min = nullptr;

  void fill(MljoinOptions& o) const {
    o.key_given = key->count() > 0;
    o.no_key = no_key->count() > 0;
    o.left_field_given = left_field->count() > 0;
    o.right_field_given = right_field->count() > 0;
    o.left_min_given = left_min->count() > 0;
    o.right_min_given = right_min->count() > 0;
  }
};

// The key, and the two roles: their names and what makes a record take each.
void declare_role_options(CLI::App& app, MljoinOptions& o, GivenOptions& given) {
  given.key = app.add_option("--key", o.key, "Pair records with equal values of FIELD (dotted path)")
                  ->type_name("FIELD")
                  ->default_str("doc");
  given.no_key = app.add_flag("--no-key", o.no_key,
                              "The whole input is one key (the default with --window when --key is not given)");
  app.add_option("--left", o.left, "Name of the left role and of its side in pair records")
      ->type_name("NAME")
      ->default_str("claim");
  app.add_option("--right", o.right, "Name of the right role and of its side in pair records")
      ->type_name("NAME")
      ->default_str("support");
  // By default a record's role is mlclassify's decision, passed.LEFT (passed.RIGHT); these
  // options ask for the score rule instead, for their role.
  given.left_field = app.add_option("--left-field", o.left_field,
                                    "A record is left when this number is above --left-min (instead of passed.LEFT)")
                         ->type_name("FIELD")
                         ->default_str("scores.LEFT");
  given.right_field =
      app.add_option("--right-field", o.right_field,
                     "A record is right when this number is above --right-min (instead of passed.RIGHT)")
          ->type_name("FIELD")
          ->default_str("scores.RIGHT");
  given.left_min =
      app.add_option("--left-min", o.left_min, "Threshold of the left role (strictly above; instead of passed.LEFT)")
          ->type_name("X")
          ->default_str("0");
  given.right_min = app.add_option("--right-min", o.right_min,
                                   "Threshold of the right role (strictly above; instead of passed.RIGHT)")
                        ->type_name("X")
                        ->default_str("0");
}

// When a key's state ends and which pairs are kept: streams, windows, distances.
void declare_state_options(CLI::App& app, MljoinOptions& o) {
  app.add_flag("--stream", o.stream, "Write each pair as soon as both sides have arrived");
  app.add_flag("--grouped", o.grouped, "Input is grouped by key: a key's state ends when the key changes");
  app.add_option("--idle", o.idle, "End a key's state after N records without that key")
      ->type_name("N")
      ->check(positive_number());
  app.add_option("--max-keys", o.max_keys, "Hold at most N keys; beyond, end the least recently used")
      ->type_name("N")
      ->check(positive_number());
  app.add_option("--window", o.window,
                 "Pair only records at most N records apart (or SECONDS apart with --window-field); "
                 "implies --stream")
      ->type_name("N|SECONDS")
      ->check(positive_number());
  app.add_option("--window-field", o.window_field, "Number field (e.g. seconds) that --window measures")
      ->type_name("FIELD");
  app.add_option("--max-distance", o.max_distance, "Keep pairs at most N sentences apart in one document")
      ->type_name("N")
      ->check(CLI::Validator(
          [](std::string& v) { return v.empty() || v[0] == '-' ? std::string("must be 0 or more") : std::string(); },
          "N>=0"));
  app.add_flag("--same-para", o.same_para, "Keep only pairs in one paragraph of one document");
}

// The thesis and sentence records, and what each side of a pair keeps.
void declare_output_options(CLI::App& app, MljoinOptions& o) {
  app.add_flag("--thesis", o.thesis,
               "Mark each key's thesis: of the records that passed the thesis model (passed.thesis), the "
               "one with the highest scores.thesis takes the left role and gets \"thesis\":true")
      ->group("Document structure");
  app.add_option("--thesis-score", o.thesis_score,
                 "With --thesis: the candidates' score field (scores.NAME: those that passed NAME)")
      ->type_name("FIELD")
      ->default_str("scores.thesis")
      ->group("Document structure");
  app.add_flag("--sentences", o.sentences,
               "Also write each record that took a role once, as a sentence record {\"key\",…,\"roles\"} "
               "without its features, before its key's pairs")
      ->group("Document structure");
  app.add_flag("--slim", o.slim,
               "Keep only doc, para, sent, doc_sents, start, end, scores, passed, features, x of each side");
  app.add_option("--keep", o.keep, "With --slim, keep FIELD too (repeatable)")
      ->type_name("FIELD")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

StageFactory declare_mljoin(CLI::App& app) {
  auto o = std::make_shared<MljoinOptions>();
  auto given = std::make_shared<GivenOptions>();
  declare_role_options(app, *o, *given);
  declare_state_options(app, *o);
  declare_output_options(app, *o);
  return [o, given](const FileSource&) -> std::unique_ptr<Stage> {
    MljoinOptions options = *o;
    given->fill(options);
    return make_join_stage(mljoin_settings(options));
  };
}

}  // namespace

MljoinSettings mljoin_settings(const MljoinOptions& o) {
  MljoinSettings s;
  JoinOptions& j = s.join;
  j.left_name = o.left;
  j.right_name = o.right;
  j.stream = o.stream;
  j.grouped = o.grouped;
  j.idle = o.idle;
  j.max_keys = o.max_keys;
  j.max_distance = o.max_distance;
  j.same_para = o.same_para;
  j.thesis = o.thesis;
  j.sentences = o.sentences;
  s.key = o.key;
  s.window_field = o.window_field;
  s.slim = o.slim;
  s.keep = o.keep;
  s.thesis_score = o.thesis_score;
  key_and_window(o, s);
  roles(o, s);
  option_pairs(o, s);
  // A score scores.NAME comes with mlclassify's decision passed.NAME; another field has none.
  s.thesis_passed = o.thesis_score.starts_with("scores.") ? "passed." + o.thesis_score.substr(7) : std::string();
  return s;
}

const ToolDef& mljoin_tool() {
  static const ToolDef def{
      "mljoin", "Pair claim records with support records of the same key (document), in batch or as a stream", declare_mljoin};
  return def;
}

}  // namespace mlpipe
