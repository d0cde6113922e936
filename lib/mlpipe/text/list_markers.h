// List item markers: "1." "2)" "3.)" "a." "b)" "(c)" "iv)" "(ii)" "1.E.1." and bullets, at
// the start of an item; and whether a label is the next item's ("2" after "1.", "b" after
// "a)", "ii" after "i)"), which lets several items share one line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mlpipe::text {

struct ListMarker {
  enum class Kind : std::uint8_t { none, number, letter, roman, bullet } kind = Kind::none;
  std::uint32_t value = 0;     // the number, the letter's code, the Roman numeral's value; 0: no successor
  bool upper = false;          // a capital letter or Roman numeral
  bool parenthesized = false;  // "(a)", "(ii)", "(3)"
  std::string_view delim;      // ".", ")" or ".)"
  std::string_view bullet;     // a bullet's bytes
  std::size_t end = 0;         // the first byte after the marker
  bool ascii_bullet = false;   // '-', '*', '+': an item only at a line start
};

// The marker at s[i] (followed by whitespace or `limit`), or one of kind none.
ListMarker parse_list_marker(std::string_view s, std::size_t i, std::size_t limit);

// Whether `label` (an enumerator as written, with its opening parenthesis: "2", "b", "(c",
// "iii") names the item after the one `m` marks. A lone "i", "v" or "x" is read both ways:
// "j" or "ii" may follow "i)".
bool is_next_label(const ListMarker& m, std::string_view label);

// The value of a Roman numeral of 1 to 39 written in canonical form ("iv", "XII"), or 0.
std::uint32_t roman_value(std::string_view numeral);

}  // namespace mlpipe::text
