// Snowball stemming through libstemmer. A libstemmer instance is not thread-safe, so
// each worker owns its own Stemmer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

struct sb_stemmer;

namespace mlpipe::features {

class Stemmer {
 public:
  // `language` is a libstemmer algorithm name ("english", "porter", "german", …) or
  // "none" (stem() returns the word). Throws Error::usage naming the known languages.
  explicit Stemmer(const std::string& language);
  ~Stemmer();
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;

  // The stem of a lowercased UTF-8 word; valid until the next call.
  std::string_view stem(std::string_view word);
  bool enabled() const { return stemmer_ != nullptr; }

 private:
  sb_stemmer* stemmer_ = nullptr;
};

// The canonical libstemmer algorithm names (aliases such as "en" are not accepted, so
// that a spec names each stemmer one way).
std::vector<std::string> stemmer_languages();
// Throws Error::usage unless `language` is "none" or one of stemmer_languages().
void check_stemmer_language(const std::string& language);

}  // namespace mlpipe::features
