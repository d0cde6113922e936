#include "mlpipe/features/stemmer.h"

#include <fmt/format.h>
#include <libstemmer.h>

#include <climits>
#include <new>

#include "mlpipe/core/error.h"

namespace mlpipe::features {

std::vector<std::string> stemmer_languages() {
  std::vector<std::string> out;
  for (const char** p = sb_stemmer_list(); *p; ++p) out.emplace_back(*p);
  return out;
}

void check_stemmer_language(const std::string& language) {
  if (language == "none") return;
  std::vector<std::string> known = stemmer_languages();
  for (const std::string& k : known)
    if (k == language) return;
  throw Error::usage(
      fmt::format("--stem: unknown language '{}' (expected none or one of: {})", language, fmt::join(known, ", ")));
}

Stemmer::Stemmer(const std::string& language) {
  check_stemmer_language(language);
  if (language == "none") return;
  stemmer_ = sb_stemmer_new(language.c_str(), "UTF_8");
  if (!stemmer_) throw std::bad_alloc();
}

Stemmer::~Stemmer() { sb_stemmer_delete(stemmer_); }

std::string_view Stemmer::stem(std::string_view word) {
  if (!stemmer_ || word.size() > std::size_t(INT_MAX)) return word;
  const sb_symbol* s = sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(word.data()), int(word.size()));
  if (!s) throw std::bad_alloc();
  return {reinterpret_cast<const char*>(s), std::size_t(sb_stemmer_length(stemmer_))};
}

}  // namespace mlpipe::features
