#include <doctest/doctest.h>

#include "mlpipe/show/text_fit.h"

using namespace mlpipe::show;

TEST_CASE("invalid UTF-8 becomes U+FFFD, valid text stays") {
  CHECK(repaired_utf8("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(repaired_utf8("a\xE9z") == "a\xEF\xBF\xBDz");                              // Latin-1 é
  CHECK(repaired_utf8("\xC3") == "\xEF\xBF\xBD");                                  // cut short
  CHECK(repaired_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  CHECK(repaired_utf8("\xF0\x9F\x98\x80") == "\xF0\x9F\x98\x80");                  // U+1F600
  CHECK(char_count("caf\xC3\xA9") == 4);
}

TEST_CASE("one_line joins lines and runs of spaces") {
  CHECK(one_line("  a\n b\t\tc \r\n") == "a b c");
  CHECK(one_line("x\x01y") == "x y");
}

TEST_CASE("brief cuts long text at a word, with an ellipsis") {
  CHECK(brief("short enough", 20) == "short enough");
  CHECK(brief("the quick brown fox jumps over the lazy dog", 20) == "the quick brown fox…");
  CHECK(brief("one, two, three, four, five", 12) == "one, two…");
  // No space in the second half: cut inside the word.
  CHECK(brief("abcdefghijklmnopqrstuvwxyz", 10) == "abcdefghi…");
  // Characters, not bytes.
  CHECK(brief("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9 \xC3\xA9\xC3\xA9", 6) == "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9…");
}

TEST_CASE("wrap breaks at spaces within the width, and inside words longer than a line") {
  CHECK(wrap("the quick brown fox jumps", 10) == std::vector<std::string>{"the quick", "brown fox", "jumps"});
  CHECK(wrap("abcdefghijkl mn", 5) == std::vector<std::string>{"abcde", "fghij", "kl mn"});
  CHECK(wrap("", 5).empty());
  CHECK(wrap("exactly10c next", 10) == std::vector<std::string>{"exactly10c", "next"});
}
