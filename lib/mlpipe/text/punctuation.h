// The characters sentence boundaries are made of: spaces, terminators, the quotes and
// brackets around them, dashes, bullets, and the case of the word that follows. Lengths are
// in bytes of UTF-8 at a position; 0 means "not one". Classes come from text/unicode.h;
// terminators and bullets are explicit lists (Unicode's Sentence_Terminal property is not in
// utf8proc, and which symbols serve as bullets is a typographic habit, not a category).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mlpipe/text/unicode.h"

namespace mlpipe::text {

inline std::size_t space_len(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return unicode::ascii_class(c) == unicode::CharClass::space ? 1 : 0;
  std::size_t n = 0;
  return unicode::class_at(s, i, &n) == unicode::CharClass::space ? n : 0;
}

// The whitespace character that ends just before s[i], or 0.
inline std::size_t space_len_before(std::string_view s, std::size_t i) {
  if (i == 0) return 0;
  const auto c = static_cast<unsigned char>(s[i - 1]);
  if (c < 0x80) return unicode::ascii_class(c) == unicode::CharClass::space ? 1 : 0;
  std::size_t n = 0;
  return unicode::class_before(s, i, &n) == unicode::CharClass::space ? n : 0;
}

// Closing quotes and brackets that may follow the end of a sentence (Pe, Pf, ASCII quotes).
std::size_t closer_len(std::string_view s, std::size_t i);
// Opening quotes and brackets before a sentence's first word (Ps, Pi, ASCII quotes, ¿ ¡).
std::size_t opener_len(std::string_view s, std::size_t i);

// A sentence-ending character: its length, how many dots it counts for, whether it ends a
// sentence whatever the case of the next word (? ! and their kin), and whether it is CJK
// punctuation, which needs no space after it.
struct Terminator {
  std::size_t len = 0;
  int dots = 0;
  bool strong = false;
  bool cjk = false;
};
Terminator terminator_at(std::string_view s, std::size_t i);

// List bullets that start an item wherever they stand (•, ▪, ◦, …; not ASCII - * +).
std::size_t bullet_len(std::string_view s, std::size_t i);
// A dash that sets off a phrase: — (em), – (en), or "--".
std::size_t dash_len(std::string_view s, std::size_t i);
// A superscript digit (¹ ² ³ ⁰ ⁴ … ⁹): footnote references.
std::size_t superscript_digit_len(std::string_view s, std::size_t i);

enum class Case : std::uint8_t { none, upper, lower, digit };
// The case of the character at s[i]: upper (capitals and title-case letters), lower, a
// decimal digit of any script, or none (punctuation, letters of scripts without case).
Case case_at(std::string_view s, std::size_t i);

// The byte at s[i] as unsigned, as the ascii_* tests below take it (a char may be signed).
inline unsigned char byte_at(std::string_view s, std::size_t i) { return static_cast<unsigned char>(s[i]); }
inline bool ascii_upper(unsigned char c) { return unicode::ascii_class(c) == unicode::CharClass::upper; }
inline bool ascii_lower(unsigned char c) { return unicode::ascii_class(c) == unicode::CharClass::lower; }
inline bool ascii_letter(unsigned char c) { return ascii_upper(c) || ascii_lower(c); }
inline bool ascii_digit(unsigned char c) { return unicode::ascii_class(c) == unicode::CharClass::digit; }

// True when s[i..] starts with `seq`.
inline bool has_at(std::string_view s, std::size_t i, std::string_view seq) {
  return i <= s.size() && s.substr(i, seq.size()) == seq;
}

}  // namespace mlpipe::text
