#include <doctest/doctest.h>

#include <string>

#include "mlpipe/text/punctuation.h"
#include "mlpipe/text/unicode.h"

using namespace mlpipe;
using unicode::CharClass;

TEST_CASE("classes beyond Latin-1 come from the Unicode database") {
  CHECK(unicode::is_upper(U'Ł'));  // U+0141: odd, upper (a parity table gets it wrong)
  CHECK(unicode::is_lower(U'ł'));
  CHECK(unicode::is_upper(U'Ş'));
  CHECK(unicode::is_lower(U'ş'));
  CHECK(unicode::is_upper(U'Ω'));
  CHECK(unicode::is_lower(U'ω'));
  for (char32_t c : std::u32string(U"КИРИЛЛИЦА")) CHECK(unicode::is_upper(c));
  for (char32_t c : std::u32string(U"кириллица")) CHECK(unicode::is_lower(c));
  CHECK(unicode::is_upper(U'İ'));  // Turkish dotted capital I
  CHECK(unicode::is_lower(U'ı'));  // Turkish dotless small i
  CHECK(unicode::class_of(U'ǅ') == CharClass::upper);  // title case counts as a capital
  CHECK(unicode::is_upper(U'Ａ'));  // full-width
  CHECK(unicode::is_lower(U'ａ'));
  CHECK(unicode::class_of(U'中') == CharClass::letter);
  CHECK(unicode::is_letter(U'中'));
  CHECK_FALSE(unicode::is_letter(U'1'));
  CHECK(unicode::is_digit(U'٣'));  // Arabic-Indic three
  CHECK(unicode::is_digit(U'３'));
  CHECK(unicode::class_of(U'²') == CharClass::number);
  CHECK(unicode::class_of(U'Ⅻ') == CharClass::number);
  CHECK(unicode::class_of(U'\u0301') == CharClass::mark);
  CHECK(unicode::is_space(U'\u00A0'));
  CHECK(unicode::is_space(U'\u3000'));
  CHECK(unicode::is_space(U'\u2029'));
  CHECK(unicode::is_space(U'\uFEFF'));
  CHECK(unicode::class_of(U'«') == CharClass::open_punct);
  CHECK(unicode::class_of(U'»') == CharClass::close_punct);
  CHECK(unicode::class_of(U'」') == CharClass::close_punct);
  CHECK(unicode::class_of(U'€') == CharClass::punct);
}

TEST_CASE("ASCII classes") {
  CHECK(unicode::class_of(U'A') == CharClass::upper);
  CHECK(unicode::class_of(U'z') == CharClass::lower);
  CHECK(unicode::class_of(U'7') == CharClass::digit);
  CHECK(unicode::class_of(U'\t') == CharClass::space);
  CHECK(unicode::class_of(U'(') == CharClass::open_punct);
  CHECK(unicode::class_of(U']') == CharClass::close_punct);
  CHECK(unicode::class_of(U'.') == CharClass::punct);
  CHECK(unicode::class_of(U'\x01') == CharClass::other);
  static_assert(unicode::ascii_class('Q') == CharClass::upper);
}

TEST_CASE("lowercase mapping") {
  CHECK(unicode::to_lower(U'A') == U'a');
  CHECK(unicode::to_lower(U'a') == U'a');
  CHECK(unicode::to_lower(U'Ł') == U'ł');
  CHECK(unicode::to_lower(U'Ş') == U'ş');
  CHECK(unicode::to_lower(U'Ω') == U'ω');
  CHECK(unicode::to_lower(U'Ж') == U'ж');
  CHECK(unicode::to_lower(U'İ') == U'i');
  CHECK(unicode::to_lower(U'I') == U'i');  // not dotless: no language-specific mapping
  CHECK(unicode::to_lower(U'ı') == U'ı');
  CHECK(unicode::to_lower(U'ǅ') == U'ǆ');
  CHECK(unicode::to_lower(U'Ａ') == U'ａ');
  CHECK(unicode::to_lower(U'中') == U'中');
  CHECK(unicode::to_lower(char32_t(0x110000)) == char32_t(0x110000));
}

TEST_CASE("classes at byte positions of UTF-8") {
  std::string s = "a\xC5\x81 \xE2\x80\x83x\xFF";  // a Ł em-space x, then a bad byte
  std::size_t n = 0;
  CHECK(unicode::class_at(s, 1, &n) == CharClass::upper);
  CHECK(n == 2);
  CHECK(unicode::class_before(s, 3, &n) == CharClass::upper);
  CHECK(n == 2);
  CHECK(unicode::class_at(s, 4, &n) == CharClass::space);
  CHECK(n == 3);
  CHECK(unicode::class_before(s, 7, &n) == CharClass::space);
  CHECK(unicode::class_at(s, 8, &n) == CharClass::other);
  CHECK(n == 1);
  CHECK(unicode::class_before(s, 0, &n) == CharClass::other);
  CHECK(unicode::class_before(std::string("x\x81"), 2, &n) == CharClass::other);  // a stray continuation byte
  CHECK(text::space_len(s, 4) == 3);
  CHECK(text::space_len_before(s, 7) == 3);
  CHECK(text::case_at("\xC5\x81ukasz", 0) == text::Case::upper);
  CHECK(text::case_at("\xC5\x82", 0) == text::Case::lower);
}
