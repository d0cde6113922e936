// From text to feature hashes: tokens, stop words, stems, word and character n-grams.
//
// Every feature is a 64-bit hash (hash.h): a word n-gram is the chain combine(...
// combine(kNgramSeed, t1) ..., tn) of its tokens' hashes (a token's hash is
// hash_bytes(stem, kTokenSeed)); a character n-gram is hash_bytes(chars, kCharSeed).
// The hashing trick keeps the low hash bits; a fitted vocabulary maps the hash of each
// of its terms to an index. The term of a feature, as a vocabulary file writes it:
//   word n-gram   the stems joined by one space          "tax cut"
//   char n-gram   '#' then the characters; a space marks the token's edges  "# ta"
// (tokens contain no spaces and never start with '#', so the forms cannot clash).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/features/spec.h"
#include "mlpipe/features/stemmer.h"
#include "mlpipe/features/stop_words.h"
#include "mlpipe/features/tokenizer.h"

namespace mlpipe::features {

// The number token that --numbers normalize puts in place of every number.
inline constexpr std::string_view kNumberToken = "<num>";

// Terms of features, one after another in one buffer (no string per term).
struct TermList {
  std::string text;
  std::vector<std::uint32_t> ends;
  void clear() {
    text.clear();
    ends.clear();
  }
  std::size_t size() const { return ends.size(); }
  std::string_view operator[](std::size_t i) const {
    std::uint32_t b = i ? ends[i - 1] : 0;
    return std::string_view(text).substr(b, ends[i] - b);
  }
};

// The hash of a term written as above (what a vocabulary file holds).
std::uint64_t term_hash(std::string_view term);

// Stop-word set for a token spec (empty for "none").
std::vector<std::string> stop_word_list(const TokenSpec& spec);

// One per worker: it owns a stemmer (libstemmer is not thread-safe) and scratch buffers.
class Analyzer {
 public:
  Analyzer(const TokenSpec& spec, std::shared_ptr<const StopWords> stop_words);
  ~Analyzer();

  // Replaces `out` with the feature hashes of `text`, one per occurrence. With `terms`,
  // also the term of each feature (for fitting a vocabulary).
  void analyze(std::string_view text, std::vector<std::uint64_t>& out, TermList* terms = nullptr);

 private:
  struct Stemmed {
    bool stop = false;
    std::uint64_t hash = 0;
    std::string_view stem;  // with want_stem (or on a miss); valid until the next call
  };
  Stemmed stem(std::string_view token, std::uint64_t key, bool want_stem);

  TokenSpec spec_;
  std::shared_ptr<const StopWords> stop_;
  Tokenizer tokenizer_;
  Stemmer stemmer_;
  std::string lower_;
  std::vector<Token> tokens_;
  std::vector<std::uint64_t> token_hashes_;
  std::vector<std::uint32_t> kept_;  // indices of tokens that are not stop words
  std::string stems_;                // stems of kept tokens, for terms
  std::vector<std::uint32_t> stem_ends_;
  std::string padded_;
  std::vector<std::uint32_t> offsets_;
  std::uint64_t number_hash_;
  struct Cache;
  std::unique_ptr<Cache> cache_;
};

}  // namespace mlpipe::features
