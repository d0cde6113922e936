// Stop words: tokens dropped before stemming and n-grams (an n-gram spans the gap).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/file_source.h"
#include "mlpipe/core/string_map.h"

namespace mlpipe::features {

// The built-in English list (lowercase, sorted).
const std::vector<std::string>& english_stop_words();

// Reads a stop-word file: one word per line, UTF-8; blank lines and lines starting with
// '#' are ignored; each word is lowercased like text is and must be a single token.
// Returns the words sorted and without duplicates. Errors name FILE:LINE.
std::vector<std::string> read_stop_words(const std::string& path, const FileSource& files);

class StopWords {
 public:
  StopWords() = default;
  explicit StopWords(const std::vector<std::string>& words) : set_(words.begin(), words.end()) {}
  bool contains(std::string_view token) const { return !set_.empty() && set_.find(token) != set_.end(); }
  bool empty() const { return set_.empty(); }

 private:
  StringSet set_;
};

}  // namespace mlpipe::features
