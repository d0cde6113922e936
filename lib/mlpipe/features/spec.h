// The feature spec: every option that decides which features a text gets (tokens, the
// vocabulary, weights, feature groups). Its JSON form, the file mlfeat writes (--write-spec)
// and applies (--spec) and a model carries, is read and written by spec_file.h; spec_compare.h
// describes a spec field by field and tells two apart.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

// The name of a weighting in specs and on the command line ("tfidf").
std::string_view weight_name(Weight w);

}  // namespace mlpipe
