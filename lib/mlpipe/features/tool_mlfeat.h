// The mlfeat program: its options (shared with mlmr), the settings they make, and the tool.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mlpipe/core/cli.h"
#include "mlpipe/features/stage_mlfeat.h"

namespace mlpipe {

// Everything mlfeat's command line sets, as given.
struct MlfeatOptions {
  std::string text_field = "text";
  std::string stop_words = "none";
  std::string stem = "english";
  std::string numbers = "normalize";
  int ngrams = 1;
  std::string char_ngrams = "none";
  int hash_bits = 20;
  std::string fit, vocab;
  std::uint64_t min_df = 1, max_features = 0;
  std::string weight = "tf";
  std::string norm = "l2";
  std::string spec, write_spec;
  std::string to = "ndjson";
  std::string label = "label";
  std::vector<std::string> groups;
  std::string topic, topic_field = "topic";
  std::int64_t long_docs = 0;  // --long-docs: 0 for no copy
  // Options that matter by being given, not only by their value (a default is not given).
  bool spec_given = false, hash_bits_given = false, min_df_given = false, max_features_given = false;
  // The feature options (those a spec replaces: --stop-words … --long-docs) given, by name,
  // in the order --help lists them.
  std::vector<std::string> feature_options_given;
};

// What the options make: the stage's settings and the files still to be read into them.
struct MlfeatSettings {
  features::FeatureSettings stage;
  // --spec: stage.spec is to be read from stage.spec_file (the other feature options were refused).
  bool read_spec = false;
  // --stop-words FILE: its words become stage.spec.tokens.stop_list ("" for none or english).
  std::string stop_words_file;
};

// Turns the options into settings, making every check between options here (Error::usage,
// the message the command line shows). Reads no file: --topic against a --spec file's
// groups is checked by check_topic_group once the file is read.
MlfeatSettings mlfeat_settings(const MlfeatOptions& o);

// --topic needs features with a topic group (throws Error::usage).
void check_topic_group(const features::FeatureSettings& s);

const ToolDef& mlfeat_tool();

}  // namespace mlpipe
