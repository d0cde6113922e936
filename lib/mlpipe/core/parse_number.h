// A number read from a piece of text that must be that number and nothing else: an option
// value, a field of a model or vocabulary file, a CSV cell. The syntax is std::from_chars':
// the same in every locale, no leading whitespace or '+', decimal only (no "0x"), and the
// whole text is used, so "12abc", "1 " and "" are not numbers. Each parser answers only
// whether the text is one; the caller says what was wrong in its own words, since the message
// names the option or field the reader has to fix.
#pragma once

#include <charconv>
#include <cmath>
#include <concepts>
#include <optional>
#include <string_view>
#include <system_error>

namespace mlpipe {

// libsvm's files write positive labels and counts as "+1"; elsewhere a '+' is not expected.
enum class Plus { rejected, allowed };

namespace parse_number_detail {

// One '+' before the number, when allowed; "+-1" stays wrong.
inline bool take_plus(std::string_view& text, Plus plus) {
  if (plus == Plus::rejected || !text.starts_with('+')) return true;
  text.remove_prefix(1);
  return !text.starts_with('-');
}

template <class T>
std::optional<T> whole(std::string_view text) {
  T v{};
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || p != end) return std::nullopt;
  return v;
}

}  // namespace parse_number_detail

// The whole text as a decimal integer that T holds: out of T's range is no answer (not a
// clamped or wrapped value), and a '-' is no answer for an unsigned T.
template <std::integral T>
std::optional<T> parse_integer(std::string_view text, Plus plus = Plus::rejected) {
  if (!parse_number_detail::take_plus(text, plus)) return std::nullopt;
  return parse_number_detail::whole<T>(text);
}

// The whole text as a finite double: "inf", "nan" and a value beyond double's range (1e999)
// are no answer, and neither is a nonzero value too small for a double (1e-999) rather than
// a silent zero.
inline std::optional<double> parse_double(std::string_view text, Plus plus = Plus::rejected) {
  if (!parse_number_detail::take_plus(text, plus)) return std::nullopt;
  std::optional<double> v = parse_number_detail::whole<double>(text);
  if (v && !std::isfinite(*v)) return std::nullopt;
  return v;
}

// The whole text as a T with infinities and NaN allowed through, for a caller that has its own
// message for them or its own use for an infinity. Out of T's range is still no answer.
template <std::floating_point T>
std::optional<T> parse_floating(std::string_view text) {
  return parse_number_detail::whole<T>(text);
}

}  // namespace mlpipe
