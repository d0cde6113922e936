#include <doctest/doctest.h>

#include <string>

#include "mlpipe/text/list_markers.h"

using namespace mlpipe::text;
using Kind = ListMarker::Kind;

namespace {
ListMarker marker(const std::string& s) { return parse_list_marker(s, 0, s.size()); }
}  // namespace

TEST_CASE("Roman numerals 1 to 39 in canonical form") {
  CHECK(roman_value("i") == 1);
  CHECK(roman_value("iv") == 4);
  CHECK(roman_value("IX") == 9);
  CHECK(roman_value("xiv") == 14);
  CHECK(roman_value("xxxix") == 39);
  CHECK(roman_value("iiii") == 0);
  CHECK(roman_value("vx") == 0);
  CHECK(roman_value("l") == 0);
  CHECK(roman_value("") == 0);
}

TEST_CASE("item markers") {
  CHECK(marker("1. x").kind == Kind::number);
  CHECK(marker("12) x").value == 12);
  CHECK(marker("a. x").kind == Kind::letter);
  CHECK(marker("ii) x").kind == Kind::roman);
  CHECK(marker("ii) x").value == 2);
  CHECK(marker("(b) x").parenthesized);
  CHECK(marker("(b) x").delim == ")");
  CHECK(marker("(iv) x").value == 4);
  CHECK(marker("1.E.4. x").value == 0);  // a section number: no successor
  CHECK(marker("- x").ascii_bullet);
  CHECK(marker("\xE2\x80\xA2 x").kind == Kind::bullet);
  CHECK(marker("(b x").kind == Kind::none);
  CHECK(marker("ab. x").kind == Kind::none);
  CHECK(marker("1.5 x").kind == Kind::none);
  CHECK(marker("1.x").kind == Kind::none);
}

TEST_CASE("the next item's label") {
  CHECK(is_next_label(marker("1) x"), "2"));
  CHECK_FALSE(is_next_label(marker("1) x"), "3"));
  CHECK_FALSE(is_next_label(marker("1) x"), "02"));
  CHECK(is_next_label(marker("a) x"), "b"));
  CHECK_FALSE(is_next_label(marker("a) x"), "B"));
  CHECK(is_next_label(marker("i) x"), "ii"));  // a lone "i" opens a Roman list too
  CHECK(is_next_label(marker("i) x"), "j"));
  CHECK(is_next_label(marker("I) x"), "II"));
  CHECK_FALSE(is_next_label(marker("i) x"), "II"));
  CHECK(is_next_label(marker("iv) x"), "v"));
  CHECK(is_next_label(marker("viii. x"), "ix"));
  CHECK(is_next_label(marker("(a) x"), "(b"));
  CHECK_FALSE(is_next_label(marker("(a) x"), "b"));
  CHECK_FALSE(is_next_label(marker("z) x"), "{"));
  CHECK_FALSE(is_next_label(marker("1.E.4. x"), "1.E.5"));
}
