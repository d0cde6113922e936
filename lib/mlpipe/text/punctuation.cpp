#include "mlpipe/text/punctuation.h"

namespace mlpipe::text {

using unicode::CharClass;

std::size_t closer_len(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return (c == '"' || c == '\'' || c == ')' || c == ']' || c == '}') ? 1 : 0;
  std::size_t n = 0;
  return unicode::class_at(s, i, &n) == CharClass::close_punct ? n : 0;
}

std::size_t opener_len(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return (c == '"' || c == '\'' || c == '(' || c == '[' || c == '{') ? 1 : 0;
  if (has_at(s, i, "\xC2\xBF") || has_at(s, i, "\xC2\xA1")) return 2;  // ¿ ¡ open Spanish sentences
  std::size_t n = 0;
  return unicode::class_at(s, i, &n) == CharClass::open_punct ? n : 0;
}

Terminator terminator_at(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c == '.') return {1, 1, false, false};
  if (c == '?' || c == '!') return {1, 0, true, false};
  if (c < 0x80) return {};
  if (has_at(s, i, "\xE2\x80\xA6")) return {3, 3, false, false};  // … horizontal ellipsis
  static constexpr std::string_view kStrong[] = {
      "\xE2\x80\xBC",                                  // ‼
      "\xE2\x81\x87", "\xE2\x81\x88", "\xE2\x81\x89",  // ⁇ ⁈ ⁉
      "\xE2\x80\xBD",                                  // ‽
  };
  for (std::string_view m : kStrong)
    if (has_at(s, i, m)) return {m.size(), 0, true, false};
  static constexpr std::string_view kCjk[] = {
      "\xEF\xBC\x9F", "\xEF\xBC\x81",  // full-width ？ ！
      "\xE3\x80\x82",                  // 。 ideographic full stop
      "\xEF\xBC\x8E",                  // ． full-width full stop
      "\xEF\xBD\xA1",                  // ｡ half-width ideographic full stop
  };
  for (std::string_view m : kCjk)
    if (has_at(s, i, m)) return {m.size(), 0, true, true};
  return {};
}

std::size_t bullet_len(std::string_view s, std::size_t i) {
  if (static_cast<unsigned char>(s[i]) != 0xE2) return 0;
  static constexpr std::string_view kBullets[] = {
      "\xE2\x80\xA2", "\xE2\x80\xA3", "\xE2\x81\x83", "\xE2\x97\xA6", "\xE2\x96\xAA", "\xE2\x96\xB8",
      "\xE2\x96\xBA", "\xE2\x97\x8F", "\xE2\x97\x8B", "\xE2\x96\xA0", "\xE2\x96\xA1", "\xE2\x88\x99",
      "\xE2\x9E\xA2", "\xE2\x9E\xA4"};
  for (std::string_view b : kBullets)
    if (has_at(s, i, b)) return b.size();
  return 0;
}

std::size_t dash_len(std::string_view s, std::size_t i) {
  if (has_at(s, i, "\xE2\x80\x94") || has_at(s, i, "\xE2\x80\x93")) return 3;
  if (has_at(s, i, "--")) return 2;
  return 0;
}

std::size_t superscript_digit_len(std::string_view s, std::size_t i) {
  if (has_at(s, i, "\xC2\xB9") || has_at(s, i, "\xC2\xB2") || has_at(s, i, "\xC2\xB3")) return 2;
  if (has_at(s, i, "\xE2\x81\xB0")) return 3;
  if (s.size() - i >= 3 && static_cast<unsigned char>(s[i]) == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x81) {
    const auto c2 = static_cast<unsigned char>(s[i + 2]);
    if (c2 >= 0xB4 && c2 <= 0xB9) return 3;  // ⁴ … ⁹
  }
  return 0;
}

Case case_at(std::string_view s, std::size_t i) {
  switch (unicode::class_at(s, i)) {
    case CharClass::upper: return Case::upper;
    case CharClass::lower: return Case::lower;
    case CharClass::digit: return Case::digit;
    default: return Case::none;
  }
}

}  // namespace mlpipe::text
