#include "mlpipe/text/list_markers.h"

#include <array>

#include "mlpipe/text/punctuation.h"

namespace mlpipe::text {

namespace {

// Writes the canonical lowercase Roman numeral of v (1..39) into buf.
std::string_view roman_text(std::uint32_t v, std::array<char, 8>& buf) {
  static constexpr std::string_view kUnits[] = {"", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"};
  std::size_t n = 0;
  for (std::uint32_t t = 0; t < v / 10; ++t) buf[n++] = 'x';
  for (char c : kUnits[v % 10]) buf[n++] = c;
  return {buf.data(), n};
}

bool is_roman_letter(unsigned char c) { return c == 'i' || c == 'v' || c == 'x' || c == 'I' || c == 'V' || c == 'X'; }

// Parses an enumerator followed by whitespace at s[i]: "N." / "N)" / "N.)" (1-3 digits),
// "x." / "x)" (one ASCII letter), a Roman numeral "iv)", any of them in parentheses "(b)",
// or a section number "1.E.1." / "2.3)" (which has no successor).
bool parse_enumerator(std::string_view s, std::size_t i, std::size_t limit, ListMarker& m) {
  std::size_t j = i;
  const bool paren = j < limit && s[j] == '(';
  if (paren) ++j;
  const std::size_t label = j;
  std::uint32_t value = 0;
  ListMarker::Kind kind;
  bool sequenced = true, upper = false;
  auto digits = [&](std::size_t& k) {
    std::size_t from = k;
    while (k < limit && ascii_digit(byte_at(s, k)) && k - from < 4) ++k;
    return k - from;
  };
  if (j < limit && ascii_digit(byte_at(s, j))) {
    std::size_t nd = digits(j);
    if (nd > 3) return false;
    for (std::size_t k = label; k < j; ++k) value = value * 10 + (byte_at(s, k) - '0');
    kind = ListMarker::Kind::number;
    // Section numbers: more groups of digits or single letters joined by periods.
    while (!paren && j + 1 < limit && s[j] == '.') {
      std::size_t g = j + 1;
      if (ascii_digit(byte_at(s, g))) {
        if (digits(g) > 3) return false;
      } else if (ascii_letter(byte_at(s, g)) && !(g + 1 < limit && ascii_letter(byte_at(s, g + 1)))) {
        ++g;
      } else {
        break;
      }
      j = g;
      sequenced = false;
    }
  } else if (j < limit && ascii_letter(byte_at(s, j))) {
    upper = ascii_upper(byte_at(s, j));
    std::size_t k = j;
    while (k < limit && k - j <= 6 && is_roman_letter(byte_at(s, k))) ++k;
    if (k - j >= 2 && !(k < limit && ascii_letter(byte_at(s, k)))) {
      value = roman_value(s.substr(j, k - j));
      if (value == 0) return false;
      kind = ListMarker::Kind::roman;
      j = k;
    } else {
      if (j + 1 < limit && ascii_letter(byte_at(s, j + 1))) return false;
      value = byte_at(s, j++);
      kind = ListMarker::Kind::letter;
    }
  } else {
    return false;
  }
  std::size_t d = j;
  if (paren) {
    if (!(j < limit && s[j] == ')')) return false;
    ++j;
  } else {
    if (j < limit && s[j] == '.') ++j;
    if (j < limit && s[j] == ')') ++j;
    if (j == d) return false;
  }
  if (j < limit && space_len(s, j) == 0) return false;
  m.kind = kind;
  m.value = sequenced ? value : 0;
  m.upper = upper;
  m.parenthesized = paren;
  m.delim = s.substr(d, j - d);
  m.end = j;
  return true;
}

}  // namespace

std::uint32_t roman_value(std::string_view numeral) {
  if (numeral.empty() || numeral.size() > 6) return 0;
  std::array<char, 8> lower{};
  for (std::size_t i = 0; i < numeral.size(); ++i) {
    const auto c = byte_at(numeral, i);
    if (!is_roman_letter(c)) return 0;
    lower[i] = char(unicode::to_lower(c));
  }
  const std::string_view want(lower.data(), numeral.size());
  std::array<char, 8> buf;
  for (std::uint32_t v = 1; v < 40; ++v)
    if (roman_text(v, buf) == want) return v;
  return 0;
}

ListMarker parse_list_marker(std::string_view s, std::size_t i, std::size_t limit) {
  ListMarker m;
  if (i >= limit) return m;
  if (std::size_t b = bullet_len(s, i)) {
    m.kind = ListMarker::Kind::bullet;
    m.bullet = s.substr(i, b);
    m.end = i + b;
    std::size_t j = i + b;
    while (j < limit && (s[j] == ' ' || s[j] == '\t')) ++j;
    ListMarker inner;
    if (parse_enumerator(s, j, limit, inner)) m.end = inner.end;
    return m;
  }
  const auto c = byte_at(s, i);
  if ((c == '-' || c == '*' || c == '+') && i + 1 < limit && (s[i + 1] == ' ' || s[i + 1] == '\t')) {
    m.kind = ListMarker::Kind::bullet;
    m.bullet = s.substr(i, 1);
    m.end = i + 1;
    m.ascii_bullet = true;
    return m;
  }
  parse_enumerator(s, i, limit, m);
  return m;
}

bool is_next_label(const ListMarker& m, std::string_view label) {
  if (m.value == 0) return false;
  if (m.parenthesized) {
    if (label.empty() || label[0] != '(') return false;
    label.remove_prefix(1);
  }
  if (label.empty()) return false;
  switch (m.kind) {
    case ListMarker::Kind::number: {
      std::uint32_t v = 0;
      if (label.size() > 3) return false;
      for (char c : label) {
        if (!ascii_digit(static_cast<unsigned char>(c))) return false;
        v = v * 10 + std::uint32_t(c - '0');
      }
      return label[0] != '0' && v == m.value + 1;
    }
    case ListMarker::Kind::letter: {
      if (label.size() == 1 && std::uint32_t(byte_at(label, 0)) == m.value + 1 && m.value != 'z' && m.value != 'Z')
        return true;
      // "i)" may open a Roman list: "ii)" follows it.
      const auto c = static_cast<unsigned char>(m.value);
      if (!is_roman_letter(c) || ascii_upper(c) != ascii_upper(byte_at(label, 0))) return false;
      const char single[1] = {char(c)};
      return roman_value(label) == roman_value(std::string_view(single, 1)) + 1;
    }
    case ListMarker::Kind::roman:
      return ascii_upper(byte_at(label, 0)) == m.upper && roman_value(label) == m.value + 1;
    default: return false;
  }
}

}  // namespace mlpipe::text
