// Splitting text into lowercased tokens.
//
// A token is a maximal run of letters and digits (any script; combining marks stay with
// the letter before them). An apostrophe (' or U+2019) between two letters stays inside
// the token ("don't"), as does '.' or ',' between two digits ("3.14", "1,000"). A token
// made only of digits and such separators is a number. Everything else separates tokens.
//
// Lowercasing is Unicode-aware and deterministic: ASCII by table, other code points by
// glibc's towlower_l in a C.UTF-8 locale object owned by the tokenizer (no process
// locale involved, so LANG/LC_ALL never change the features).
#pragma once

#include <locale.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mlpipe::features {

struct Token {
  std::uint32_t begin = 0;  // byte offset of the lowercased token in the tokenizer's buffer
  std::uint32_t size = 0;
  bool number = false;
};

class Tokenizer {
 public:
  Tokenizer();
  ~Tokenizer();
  Tokenizer(const Tokenizer&) = delete;
  Tokenizer& operator=(const Tokenizer&) = delete;

  // Writes the lowercased tokens of `text` (UTF-8; invalid bytes separate tokens) into
  // the scratch buffer `buf` (grown as needed; its size means nothing, but at least 24
  // bytes are readable from any token's start) and replaces
  // `tokens` with their spans in it.
  void tokenize(std::string_view text, std::string& buf, std::vector<Token>& tokens) const;

 private:
  locale_t locale_;
};

}  // namespace mlpipe::features
