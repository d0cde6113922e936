#include "mlpipe/features/tokenizer.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace mlpipe::features;

namespace {
std::vector<std::string> toks(std::string_view text, std::vector<bool>* numbers = nullptr) {
  Tokenizer t;
  std::string buf;
  std::vector<Token> tokens;
  t.tokenize(text, buf, tokens);
  std::vector<std::string> out;
  for (const Token& k : tokens) {
    out.emplace_back(buf.data() + k.begin, k.size);
    if (numbers) numbers->push_back(k.number);
  }
  return out;
}
using V = std::vector<std::string>;
}  // namespace

TEST_CASE("tokens are runs of letters and digits, lowercased") {
  CHECK(toks("The Cat sat, on the MAT!") == V{"the", "cat", "sat", "on", "the", "mat"});
  CHECK(toks("") == V{});
  CHECK(toks("  ...  ") == V{});
  CHECK(toks("e-mail foo_bar x/y") == V{"e", "mail", "foo", "bar", "x", "y"});
  CHECK(toks("covid19 2nd") == V{"covid19", "2nd"});
}

TEST_CASE("apostrophes join letters, separators join digits") {
  CHECK(toks("don't rock'n'roll 'quoted' cats'") == V{"don't", "rock'n'roll", "quoted", "cats"});
  CHECK(toks("don\u2019t") == V{"don't"});
  std::vector<bool> num;
  CHECK(toks("3.14 1,000 end. 10:30 v2.0", &num) == V{"3.14", "1,000", "end", "10", "30", "v2.0"});
  CHECK(num == std::vector<bool>{true, true, false, true, true, false});
  CHECK(toks("1.") == V{"1"});
  CHECK(toks("a.b") == V{"a", "b"});
}

TEST_CASE("Unicode lowercasing and letters of any script") {
  CHECK(toks("ÉCOLE Élan naïve STRASSE Straße") == V{"école", "élan", "naïve", "strasse", "straße"});
  CHECK(toks("ΣΟΦΙΑ Москва") == V{"σοφια", "москва"});
  // A combining mark stays with its letter.
  CHECK(toks("Cafe\u0301 ok") == V{"cafe\u0301", "ok"});
  // Lowercasing may lengthen a code point (U+023A, 2 bytes -> U+2C65, 3 bytes).
  CHECK(toks("\u023A\u023A\u023A") == V{"\u2C65\u2C65\u2C65"});
  // Punctuation and symbols outside ASCII separate tokens.
  CHECK(toks("a\u2014b \u201Cc\u201D") == V{"a", "b", "c"});
}

TEST_CASE("invalid UTF-8 bytes separate tokens and never crash") {
  CHECK(toks("ab\xff"
             "cd") == V{"ab", "cd"});
  CHECK(toks("\xc3") == V{});
  CHECK(toks(std::string_view("a\0b", 3)) == V{"a", "b"});
}

TEST_CASE("letters and case beyond Latin-1 (Unicode database, not the C library)") {
  CHECK(toks("Łukasz ŞIŞLI ΩΜΕΓΑ Кириллица") == V{"łukasz", "şişli", "ωμεγα", "кириллица"});
  CHECK(toks("İSTANBUL ılık") == V{"istanbul", "ılık"});  // dotted capital -> i; dotless stays
  CHECK(toks("ǅemal") == V{"ǆemal"});                     // title case
  CHECK(toks("ＡＢＣ ｄｅｆ") == V{"ａｂｃ", "ｄｅｆ"});      // full-width letters
  CHECK(toks("東京で会う") == V{"東京で会う"});
  CHECK(toks("cafe\xCC\x81 \xCC\x81x") == V{"cafe\xCC\x81", "x"});  // a mark joins its letter, never starts a token
}

TEST_CASE("decimal digits of any script make numbers; other numeric signs separate") {
  std::vector<bool> numbers;
  CHECK(toks("٣.٥ ३ ３", &numbers) == V{"٣.٥", "३", "３"});
  CHECK(numbers == std::vector<bool>{true, true, true});
  CHECK(toks("x² Ⅻ ①b") == V{"x", "b"});
}
