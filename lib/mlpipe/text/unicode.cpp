#include "mlpipe/text/unicode.h"

#include <utf8proc.h>

#include "mlpipe/text/utf8.h"

namespace mlpipe::unicode {

namespace detail {

CharClass class_of_non_ascii(char32_t cp) {
  switch (utf8proc_category(utf8proc_int32_t(cp))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LT: return CharClass::upper;
    case UTF8PROC_CATEGORY_LL: return CharClass::lower;
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: return CharClass::letter;
    case UTF8PROC_CATEGORY_ND: return CharClass::digit;
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO: return CharClass::number;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME: return CharClass::mark;
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP: return CharClass::space;
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PI: return CharClass::open_punct;
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PF: return CharClass::close_punct;
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PO:
    case UTF8PROC_CATEGORY_SM:
    case UTF8PROC_CATEGORY_SC:
    case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_SO: return CharClass::punct;
    default:
      // A byte order mark inside a text reads as a space: it separates, it is not content.
      return cp == 0xFEFF ? CharClass::space : CharClass::other;
  }
}

char32_t to_lower_non_ascii(char32_t cp) {
  if (cp > 0x10FFFF) return cp;
  return char32_t(utf8proc_tolower(utf8proc_int32_t(cp)));
}

}  // namespace detail

CharClass class_at(std::string_view s, std::size_t i, std::size_t* length) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    if (length) *length = 1;
    return detail::kAscii.cls[c];
  }
  std::size_t next = i;
  char32_t cp = utf8::decode(s, next);
  if (length) *length = next - i;
  if (cp == utf8::kReplacement && next == i + 1) return CharClass::other;
  return detail::class_of_non_ascii(cp);
}

CharClass class_before(std::string_view s, std::size_t i, std::size_t* length) {
  if (i == 0) {
    if (length) *length = 0;
    return CharClass::other;
  }
  const auto last = static_cast<unsigned char>(s[i - 1]);
  if (last < 0x80) {
    if (length) *length = 1;
    return detail::kAscii.cls[last];
  }
  // Back over continuation bytes to the lead byte; the sequence must end exactly at i.
  std::size_t a = i - 1;
  while (a > 0 && i - a < 4 && (static_cast<unsigned char>(s[a]) & 0xC0) == 0x80) --a;
  std::size_t next = a;
  char32_t cp = utf8::decode(s, next);
  if (next != i || (cp == utf8::kReplacement && next == a + 1)) {
    if (length) *length = 1;
    return CharClass::other;
  }
  if (length) *length = i - a;
  return detail::class_of_non_ascii(cp);
}

}  // namespace mlpipe::unicode
