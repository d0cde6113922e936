#include "mlpipe/text/list_markers.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

using namespace mlpipe::text;
using Kind = ListMarker::Kind;

namespace {
ListMarker marker(const std::string& s) { return parse_list_marker(s, 0, s.size()); }
}  // namespace

TEST_CASE("Roman numerals 1 to 39 in canonical form") {
  struct Row {
    std::string text;
    std::uint32_t value;  // 0: not a numeral in that form
  };
  const Row rows[] = {{"i", 1},    {"iv", 4}, {"IX", 9}, {"xiv", 14}, {"xxxix", 39},
                      {"iiii", 0}, {"vx", 0}, {"l", 0},  {"", 0}};
  for (const Row& row : rows) {
    CAPTURE(row.text);
    CHECK(roman_value(row.text) == row.value);
  }
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
  struct Row {
    std::string item;
    std::string label;
    bool next;
  };
  // A lone "i" may open a Roman list ("ii" next) or a list of letters ("j" next).
  const Row rows[] = {
      {"1) x", "2", true},   {"1) x", "3", false}, {"1) x", "02", false},        {"a) x", "b", true},
      {"a) x", "B", false},  {"i) x", "ii", true}, {"i) x", "j", true},          {"I) x", "II", true},
      {"i) x", "II", false}, {"iv) x", "v", true}, {"viii. x", "ix", true},      {"(a) x", "(b", true},
      {"(a) x", "b", false}, {"z) x", "{", false}, {"1.E.4. x", "1.E.5", false},
  };
  for (const Row& row : rows) {
    CAPTURE(row.item);
    CAPTURE(row.label);
    CHECK(is_next_label(marker(row.item), row.label) == row.next);
  }
}
