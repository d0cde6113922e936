// Splitting text into lowercased tokens.
//
// A token is a maximal run of letters and decimal digits (any script, by Unicode general
// category: L* and Nd; combining marks stay with the letter before them). An apostrophe
// (' or U+2019) between two letters stays inside the token ("don't"), as does '.' or ','
// between two digits ("3.14", "1,000"). A token made only of digits and such separators is a
// number. Everything else separates tokens (symbols, Roman-numeral and circled characters).
//
// Lowercasing is Unicode's simple lowercase mapping (text/unicode.h, from utf8proc): the same
// on every machine, whatever the locale or the C library.
#pragma once

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
  // Writes the lowercased tokens of `text` (UTF-8; invalid bytes separate tokens) into
  // the scratch buffer `buf` (grown as needed; its size means nothing, but at least 24
  // bytes are readable from any token's start) and replaces
  // `tokens` with their spans in it.
  void tokenize(std::string_view text, std::string& buf, std::vector<Token>& tokens) const;
};

}  // namespace mlpipe::features
