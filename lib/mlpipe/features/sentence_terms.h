// The lowercased tokens of a sentence and their Snowball stems, for the feature groups
// that reason about words (cues, opinion words, the topic). One per worker thread: it
// owns a stemmer (not thread-safe) and a cache of stems, since a corpus repeats its words.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/string_map.h"
#include "mlpipe/features/stemmer.h"
#include "mlpipe/features/tokenizer.h"

namespace mlpipe::features {

// Owns its text: a topic's terms can be kept across many sentences.
struct SentenceTerms {
  std::vector<std::string_view> words;  // lowercased tokens (views into `store`)
  std::vector<std::string_view> stems;  // their stems, one per word (views into `store`)
  std::vector<bool> numbers;            // whether each token is a number
  std::string store;
};

class TermAnalyzer {
 public:
  TermAnalyzer() : stemmer_("english") {}
  TermAnalyzer(const TermAnalyzer&) = delete;
  TermAnalyzer& operator=(const TermAnalyzer&) = delete;

  // Replaces `out` with the terms of `text`.
  void analyze(std::string_view text, SentenceTerms& out);
  // The stem of one lowercased word (cached; valid until the next call).
  std::string_view stem(std::string_view word);

 private:
  Tokenizer tokenizer_;
  Stemmer stemmer_;
  std::string buf_;
  std::vector<std::uint32_t> ends_;
  std::vector<Token> tokens_;
  // Stems are kept for the life of the analyzer; a corpus' vocabulary is small next to its text.
  StringMap<std::string> cache_;
};

}  // namespace mlpipe::features
