#include <doctest/doctest.h>

#include "mlpipe/text/utf8.h"

using namespace mlpipe;

TEST_CASE("find_invalid locates the first bad byte") {
  CHECK_FALSE(utf8::find_invalid("plain ascii text, long enough for the fast path").has_value());
  CHECK_FALSE(utf8::find_invalid("caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80").has_value());
  CHECK(utf8::find_invalid("abc\xE9 def") == 3u);            // Latin-1 e-acute
  CHECK(utf8::find_invalid("\xC0\xAF") == 0u);               // overlong '/'
  CHECK(utf8::find_invalid("ab\xED\xA0\x80") == 2u);         // surrogate
  CHECK(utf8::find_invalid("12345678\xF4\x90\x80\x80") == 8u);  // above U+10FFFF
  CHECK(utf8::find_invalid("trunc\xE2\x80") == 5u);
}

TEST_CASE("decode, append, repairs") {
  std::string s = "a\xC3\xA9\xF0\x9F\x98\x80\xFF";
  std::size_t pos = 0;
  CHECK(utf8::decode(s, pos) == U'a');
  CHECK(utf8::decode(s, pos) == U'\u00E9');
  CHECK(utf8::decode(s, pos) == U'\U0001F600');
  CHECK(utf8::decode(s, pos) == utf8::kReplacement);
  CHECK(pos == s.size());
  std::string out;
  utf8::append(out, U'\u00E9');
  utf8::append(out, U'\U0001F600');
  CHECK(out == "\xC3\xA9\xF0\x9F\x98\x80");
  CHECK(utf8::from_latin1("caf\xE9") == "caf\xC3\xA9");
  CHECK(utf8::replace_invalid("x\xE9y") == "x\xEF\xBF\xBDy");
}
