// Input quoted in messages: one printable line whatever the input holds.
#include <doctest/doctest.h>

#include <string>

#include "mlpipe/core/snippet.h"

using namespace mlpipe;

TEST_CASE("control bytes and NUL are escaped, printable text is kept") {
  CHECK(input_snippet("abc") == "abc");
  CHECK(input_snippet(std::string("a\0b", 3)) == "a\\x00b");
  CHECK(input_snippet("x\x1b[31m\ty\x7f") == "x\\x1b[31m\\x09y\\x7f");
  CHECK(input_snippet("") == "");
}

TEST_CASE("long input is cut at a character boundary, then marked") {
  CHECK(input_snippet(std::string(50, 'a')) == std::string(40, 'a') + "…");
  CHECK(input_snippet("abcdef", 6) == "abcdef");
  // "é" is two bytes: a cut after 4 bytes would split the third one.
  CHECK(input_snippet("ééé", 5) == "éé…");
}
