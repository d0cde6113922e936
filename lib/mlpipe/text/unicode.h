// Character classes and case, from the Unicode character database (through utf8proc), so
// that what counts as a letter, a capital or a space is the same on every machine and never
// depends on the C library's locale tables. ASCII is answered inline from a table.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mlpipe::unicode {

// The classes the splitter and the tokenizer tell apart.
enum class CharClass : std::uint8_t {
  other,
  upper,         // Lu and Lt: a capital ("A", "Ł", title-case "ǅ")
  lower,         // Ll
  letter,        // Lm and Lo: a letter without case (CJK, Hebrew, Arabic)
  digit,         // Nd, any script
  number,        // Nl and No: Roman numerals, superscripts, fractions
  mark,          // Mn, Mc, Me: combining marks, which belong to the character before
  space,         // Zs, Zl, Zp and the ASCII spaces
  open_punct,    // Ps and Pi: opening brackets and quotes
  close_punct,   // Pe and Pf: closing brackets and quotes
  punct,         // other punctuation and symbols
};

namespace detail {
struct AsciiClasses {
  std::array<CharClass, 128> cls{};
  constexpr AsciiClasses() {
    for (int c = 0; c < 128; ++c) cls[c] = CharClass::punct;
    for (int c = 0; c < 32; ++c) cls[c] = CharClass::other;
    cls[127] = CharClass::other;
    for (char c : {' ', '\t', '\n', '\r', '\f', '\v'}) cls[std::size_t(c)] = CharClass::space;
    for (int c = 'A'; c <= 'Z'; ++c) cls[c] = CharClass::upper;
    for (int c = 'a'; c <= 'z'; ++c) cls[c] = CharClass::lower;
    for (int c = '0'; c <= '9'; ++c) cls[c] = CharClass::digit;
    for (char c : {'(', '[', '{'}) cls[std::size_t(c)] = CharClass::open_punct;
    for (char c : {')', ']', '}'}) cls[std::size_t(c)] = CharClass::close_punct;
  }
};
inline constexpr AsciiClasses kAscii;

CharClass class_of_non_ascii(char32_t cp);
char32_t to_lower_non_ascii(char32_t cp);
}  // namespace detail

// The class of an ASCII character, usable in constant expressions (tables of fast paths).
constexpr CharClass ascii_class(unsigned char c) { return c < 0x80 ? detail::kAscii.cls[c] : CharClass::other; }

inline CharClass class_of(char32_t cp) {
  return cp < 0x80 ? detail::kAscii.cls[cp] : detail::class_of_non_ascii(cp);
}

inline bool is_upper(char32_t cp) { return class_of(cp) == CharClass::upper; }
inline bool is_lower(char32_t cp) { return class_of(cp) == CharClass::lower; }
inline bool is_digit(char32_t cp) { return class_of(cp) == CharClass::digit; }
inline bool is_space(char32_t cp) { return class_of(cp) == CharClass::space; }
// A letter of any kind: cased or not.
inline bool is_letter(char32_t cp) {
  CharClass c = class_of(cp);
  return c == CharClass::upper || c == CharClass::lower || c == CharClass::letter;
}

// The simple (one code point) lowercase mapping: "Ł" -> "ł", "İ" -> "i", "ǅ" -> "ǆ", "Ａ" -> "ａ".
inline char32_t to_lower(char32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + ('a' - 'A') : cp;
  return detail::to_lower_non_ascii(cp);
}

// The class of the code point at s[i] (UTF-8; an invalid byte is `other`), and its length.
CharClass class_at(std::string_view s, std::size_t i, std::size_t* length = nullptr);
// The class of the code point that ends just before s[i] (other at the start).
CharClass class_before(std::string_view s, std::size_t i, std::size_t* length = nullptr);

}  // namespace mlpipe::unicode
