// The feature spec: every option that decides which features a text gets, as a small
// canonical JSON document. mlfeat writes it (--write-spec) and applies it (--spec); a
// model carries it, so prediction can refuse features built another way.
//
//   {"mlfeat_spec":1,
//    "tokens":{"lowercase":"unicode","stop_words":"none","stem":"english","numbers":"normalize",
//              "ngrams":2,"char_ngrams":null},
//    "vocabulary":{"type":"hashing","hash_bits":20},
//    "weight":"tf","norm":"l2"}
//
// (written on one line), followed, when the spec has feature groups, by
//    "groups":[{"name":"claim-cues"},{"name":"syntax","pos":3,"tree":0,"bits":18}],
//    "topic_field":"topic"
// and, with a long-document copy (below), "long_docs":N
//  "stop_words" is "none", "english", or the list of words itself;
// "char_ngrams" is null or [MIN,MAX]; a fitted vocabulary is
// {"type":"fitted","file":PATH,"digest":HEX,"terms":K,"docs":N}, PATH relative to the spec
// file's directory (or absolute), the digest over the vocabulary file's bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mlpipe/core/file_source.h"
#include "mlpipe/features/group.h"

namespace mlpipe {

// Everything that turns a text into a bag of terms (also recorded in a vocabulary file).
struct TokenSpec {
  std::string stop_words = "none";     // "none", "english", or "list"
  std::vector<std::string> stop_list;  // the words, sorted, when stop_words == "list"
  std::string stem = "english";        // a libstemmer algorithm, or "none"
  bool keep_numbers = false;           // false: every number is the token "<num>"
  int ngrams = 1;                      // word n-grams of lengths 1..ngrams
  int char_min = 0, char_max = 0;      // character n-grams (0: none)
};

enum class Weight { binary, tf, tfidf, sublinear };

struct VocabularyRef {
  std::string file;    // path usable from the current directory
  std::string digest;  // 16 hex digits
  std::uint64_t terms = 0;
  std::uint64_t docs = 0;
};

struct FeatureSpec {
  TokenSpec tokens;
  bool hashing = true;  // false: a fitted vocabulary (vocab)
  int hash_bits = 20;
  VocabularyRef vocab;
  Weight weight = Weight::tf;
  bool l2 = true;  // of the word block; groups scale their own features
  // Feature groups after the word block, in block order (groups.h); written to the spec
  // only when there are some, so specs without groups read as before.
  std::vector<features::GroupSpec> groups;
  std::string topic_field = "topic";  // where groups read a record's topic (with groups only)
  // A sentence of a document longer than this many sentences (or of unknown length: no
  // doc_sents field) gets a second copy of its whole vector after the first, so that one
  // linear model learns what holds in long reference texts apart from what holds in short
  // argumentative ones (feature augmentation by domain). 0: no copy.
  std::int64_t long_docs = 0;
};

inline constexpr int kSpecVersion = 1;

std::string_view weight_name(Weight w);

// The spec as canonical JSON (one line, fixed key order, ending in '\n'): the same
// options give the same bytes.
std::string canonical_spec_json(const FeatureSpec& spec);
// The "tokens" object alone (no newline), as stored in vocabulary files.
std::string tokens_json(const TokenSpec& tokens);

// Parses and validates a spec. `file` names it in errors and resolves a relative
// vocabulary path (against its directory). Throws Error(file, 0, …).
FeatureSpec parse_spec(std::string_view json, const std::string& file);
TokenSpec parse_tokens_json(std::string_view json, const std::string& file, std::uint64_t line);
FeatureSpec read_spec_file(const std::string& path, const FileSource& files);
// Writes canonical_spec_json atomically, with the vocabulary path made relative to the
// spec file's directory.
void write_spec_file(const std::string& path, const FeatureSpec& spec);

// Empty when `actual` makes the same features as `expected` (the vocabulary compared by
// digest, not path); otherwise the first difference, e.g.
// "stem: english (expected) vs none (given)".
std::string spec_mismatch(const FeatureSpec& expected, const FeatureSpec& actual);

// The spec as (name, value) pairs, in canonical order; the vocabulary file path left out.
std::vector<std::pair<std::string, std::string>> spec_fields(const FeatureSpec& spec);

}  // namespace mlpipe
