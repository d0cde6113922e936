#include "mlpipe/core/json_syntax.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cstring>
#include <simdjson.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/parse_number.h"
#include "mlpipe/core/utf8_encode.h"

namespace mlpipe {

std::string_view type_name(JsonType t) {
  switch (t) {
    case JsonType::object: return "an object";
    case JsonType::array: return "an array";
    case JsonType::string: return "a string";
    case JsonType::number: return "a number";
    case JsonType::boolean: return "a boolean";
    case JsonType::null: return "null";
  }
  return "a value";
}

namespace {

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The character at `p` for a message: itself when printable ASCII, else its byte value.
std::string describe_char(const char* p, const char* end) {
  if (p >= end) return "the end of the text";
  auto c = static_cast<unsigned char>(*p);
  if (c > 0x20 && c < 0x7f) return fmt::format("'{}'", char(c));
  if (c == ' ') return "a space";
  return fmt::format("byte 0x{:02X}", c);
}

// The offset of the first byte that breaks UTF-8 (only called once simdjson said one does).
std::size_t first_invalid_utf8(std::string_view s) {
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size(), i = 0;
  while (i < n) {
    unsigned c = b[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07, min = 0x10000;
    else return i;
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((b[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (b[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return n;
}

// Eight bytes at a time: whether any of them ends a run of plain string bytes (a quote,
// a backslash or a control character). Exact for "any", so a run can be skipped whole.
bool has_string_special(std::uint64_t v) {
  constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  auto has_zero = [&](std::uint64_t x) { return ((x - ones) & ~x & highs) != 0; };
  bool below_space = ((v - ones * 0x20) & ~v & highs) != 0;
  return below_space || has_zero(v ^ (ones * '"')) || has_zero(v ^ (ones * '\\'));
}

// The first byte at or after `p` that is not a decimal digit; eight bytes at a time, since
// feature vectors are mostly digits.
const char* skip_digits(const char* p, const char* end) {
  constexpr std::uint64_t high_nibbles = 0xF0F0F0F0F0F0F0F0ull, zeros = 0x3030303030303030ull,
                          sixes = 0x0606060606060606ull;
  while (end - p >= 8) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    // All eight are '0'…'9' when each is 0x3X and stays 0x3X after adding 6.
    if ((v & high_nibbles) != zeros || ((v + sixes) & high_nibbles) != zeros) break;
    p += 8;
  }
  while (p < end && is_digit(*p)) ++p;
  return p;
}

// The powers of ten that are exact doubles: a short decimal's digits (an integer below 2^53)
// divided by one of them round correctly in one operation.
constexpr double kPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// The first byte at or after `p` that is not JSON white space.
const char* after_space(const char* p, const char* end) {
  while (p < end && is_space(*p)) ++p;
  return p;
}

class Checker {
 public:
  Checker(std::string_view text, std::vector<JsonMember>* members)
      : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()), members_(members) {}

  void run();

 private:
  [[noreturn]] void fail(const char* at, std::string_view what) const {
    throw Error(fmt::format("invalid JSON at column {}: {}", at - begin_ + 1, what));
  }
  void skip_space() { p_ = after_space(p_, end_); }
  bool string();  // returns whether it had escapes
  void number();
  void literal(std::string_view word);
  // Reads `"name":`; the name is recorded as the member being read when `top` says the
  // object is the top-level one.
  void expect_key(bool top);

  const char* begin_;
  const char* p_;
  const char* end_;
  std::vector<JsonMember>* members_;
  JsonMember member_;  // the top-level member being read
};

bool Checker::string() {
  const char* open = p_++;
  bool escaped = false;
  while (true) {
    while (end_ - p_ >= 8) {
      std::uint64_t v;
      std::memcpy(&v, p_, 8);
      if (has_string_special(v)) break;
      p_ += 8;
    }
    while (p_ < end_ && *p_ != '"' && *p_ != '\\' && static_cast<unsigned char>(*p_) >= 0x20) ++p_;
    if (p_ >= end_) fail(open, "a string that does not end (no closing quote)");
    char c = *p_;
    if (c == '"') {
      ++p_;
      return escaped;
    }
    if (c != '\\') fail(p_, fmt::format("{} inside a string (control characters must be escaped as \\u00XX)", describe_char(p_, end_)));
    escaped = true;
    const char* esc = p_++;
    if (p_ >= end_) fail(esc, "a backslash at the end of the text");
    switch (*p_) {
      case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't': ++p_; continue;
      case 'u': break;
      default: {
        auto c = static_cast<unsigned char>(*p_);
        std::string shown = c > 0x20 && c < 0x7f ? fmt::format("\\{}", char(c)) : "a backslash before " + describe_char(p_, end_);
        fail(esc, fmt::format("{} is not an escape (expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", shown));
      }
    }
    auto unit = [&](const char* at) {
      if (end_ - at < 6 || at[0] != '\\' || at[1] != 'u') return -1;
      int v = 0;
      for (int k = 2; k < 6; ++k) {
        int h = hex_value(at[k]);
        if (h < 0) return -2;
        v = v * 16 + h;
      }
      return v;
    };
    int u = unit(esc);
    if (u < 0) fail(esc, "\\u must be followed by four hexadecimal digits");
    p_ = esc + 6;
    if (u >= 0xDC00 && u <= 0xDFFF) fail(esc, fmt::format("\\u{:04X} is a low surrogate without a high one before it", u));
    if (u >= 0xD800 && u <= 0xDBFF) {
      int low = unit(p_);
      if (low == -2) fail(p_, "\\u must be followed by four hexadecimal digits");
      if (low < 0xDC00 || low > 0xDFFF)
        fail(esc, fmt::format("\\u{:04X} is a high surrogate without a low one (\\uDC00–\\uDFFF) after it", u));
      p_ += 6;
    }
  }
}

void Checker::number() {
  const char* p = p_;
  const char* start = p;
  if (*p == '-') ++p;
  if (p >= end_ || !is_digit(*p)) fail(start, "a minus sign without digits after it");
  if (*p == '0') {
    ++p;
    if (p < end_ && is_digit(*p)) fail(start, "a number with a leading zero");
  } else {
    p = skip_digits(p, end_);
  }
  if (p < end_ && *p == '.') {
    ++p;
    if (p >= end_ || !is_digit(*p)) fail(p, "expected a digit after the decimal point");
    p = skip_digits(p, end_);
  }
  if (p < end_ && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p < end_ && (*p == '+' || *p == '-')) ++p;
    if (p >= end_ || !is_digit(*p)) fail(p, "expected a digit in the exponent");
    p = skip_digits(p, end_);
  }
  p_ = p;
}

void Checker::literal(std::string_view word) {
  if (std::size_t(end_ - p_) < word.size() || std::memcmp(p_, word.data(), word.size()) != 0)
    fail(p_, fmt::format("expected a value, found {}", describe_char(p_, end_)));
  p_ += word.size();
}

void Checker::expect_key(bool top) {
  skip_space();
  if (p_ >= end_ || *p_ != '"') fail(p_, fmt::format("expected a member name in quotes, found {}", describe_char(p_, end_)));
  const char* key = p_;
  bool escaped = string();
  if (top) {
    member_.key = std::string_view(key + 1, std::size_t(p_ - key - 2));
    member_.key_escaped = escaped;
  }
  skip_space();
  if (p_ >= end_ || *p_ != ':') fail(p_, fmt::format("expected ':' after a member name, found {}", describe_char(p_, end_)));
  ++p_;
}

void Checker::run() {
  if (!simdjson::validate_utf8(begin_, std::size_t(end_ - begin_))) {
    std::size_t at = first_invalid_utf8(std::string_view(begin_, std::size_t(end_ - begin_)));
    fail(begin_ + at, fmt::format("{} is not valid UTF-8", describe_char(begin_ + at, end_)));
  }
  // What each open container is: '{' or '['. The top-level object's members are the values
  // completed while exactly that object is open.
  std::array<char, kMaxJsonDepth> open{};
  std::size_t depth = 0;
  const char* value_start = nullptr;
  bool top_is_object = false;
  while (true) {
    skip_space();
    if (depth == 1 && top_is_object) value_start = p_;
    if (p_ >= end_) fail(p_, "expected a value, found the end of the text");
    switch (*p_) {
      case '{':
      case '[': {
        if (depth == kMaxJsonDepth) fail(p_, fmt::format("more than {} nested arrays and objects", kMaxJsonDepth));
        char kind = *p_++;
        if (depth == 0 && kind == '{') top_is_object = true;
        skip_space();
        if (p_ < end_ && *p_ == (kind == '{' ? '}' : ']')) {
          ++p_;
          break;  // an empty container is a complete value
        }
        open[depth++] = kind;
        if (kind == '{') expect_key(depth == 1);
        continue;
      }
      case '"': string(); break;
      case 't': literal("true"); break;
      case 'f': literal("false"); break;
      case 'n': literal("null"); break;
      default:
        if (*p_ == '-' || is_digit(*p_)) {
          number();
          // The rest of an array of numbers (a feature vector) without the general loop.
          if (depth > 0 && open[depth - 1] == '[')
            while (end_ - p_ >= 2 && p_[0] == ',' && (is_digit(p_[1]) || p_[1] == '-')) {
              ++p_;
              number();
            }
          break;
        }
        fail(p_, fmt::format("expected a value, found {}", describe_char(p_, end_)));
    }
    // A value is complete; close the containers it completes, then find the next value.
    while (true) {
      if (depth == 1 && top_is_object && members_) {
        member_.value = std::string_view(value_start, std::size_t(p_ - value_start));
        members_->push_back(member_);
      }
      if (depth == 0) {
        skip_space();
        if (p_ != end_) fail(p_, fmt::format("{} after the end of the value", describe_char(p_, end_)));
        return;
      }
      skip_space();
      char close = open[depth - 1] == '{' ? '}' : ']';
      if (p_ < end_ && *p_ == ',') {
        ++p_;
        if (close == '}') expect_key(depth == 1);
        break;
      }
      if (p_ < end_ && *p_ == close) {
        ++p_;
        --depth;
        continue;
      }
      fail(p_, fmt::format("expected ',' or '{}', found {}", close, describe_char(p_, end_)));
    }
  }
}

// Walking checked text.

const char* skip_string(const char* p, const char* end) {
  for (++p; p < end; ++p) {
    if (*p == '\\') ++p;
    else if (*p == '"') return p + 1;
  }
  return end;
}

const char* skip_value(const char* p, const char* end) {
  if (p >= end) return end;
  if (*p == '"') return skip_string(p, end);
  if (*p != '{' && *p != '[') {
    while (p < end && *p != ',' && *p != '}' && *p != ']' && !is_space(*p)) ++p;
    return p;
  }
  if (*p == '[') {
    // A flat array without strings (a feature vector) ends at its first ']': found with
    // memchr, much faster than walking it.
    const auto* close = static_cast<const char*>(std::memchr(p, ']', std::size_t(end - p)));
    if (close) {
      std::size_t n = std::size_t(close - p - 1);
      if (!std::memchr(p + 1, '[', n) && !std::memchr(p + 1, '{', n) && !std::memchr(p + 1, '"', n)) return close + 1;
    }
  }
  std::size_t depth = 0;
  while (p < end) {
    char c = *p;
    if (c == '"') {
      p = skip_string(p, end);
      continue;
    }
    ++p;
    if (c == '{' || c == '[') ++depth;
    else if ((c == '}' || c == ']') && --depth == 0) return p;
  }
  return end;
}


std::uint32_t hex4(const char* p) {
  std::uint32_t v = 0;
  for (int k = 0; k < 4; ++k) v = v * 16 + std::uint32_t(std::max(hex_value(p[k]), 0));
  return v;
}

}  // namespace

void check_json(std::string_view text, std::vector<JsonMember>* members) { Checker(text, members).run(); }

JsonType json_type_of(std::string_view value) {
  switch (value.empty() ? 'n' : value.front()) {
    case '{': return JsonType::object;
    case '[': return JsonType::array;
    case '"': return JsonType::string;
    case 't': case 'f': return JsonType::boolean;
    case 'n': return JsonType::null;
    default: return JsonType::number;
  }
}

void object_members(std::string_view object, std::vector<JsonMember>& out) {
  const char* end = object.data() + object.size();
  const char* p = after_space(object.data(), end);
  if (p >= end || *p != '{') return;
  p = after_space(p + 1, end);
  while (p < end && *p == '"') {
    JsonMember m;
    const char* key_end = skip_string(p, end);
    m.key = std::string_view(p + 1, std::size_t(std::max<std::ptrdiff_t>(key_end - p - 2, 0)));
    m.key_escaped = m.key.find('\\') != std::string_view::npos;
    p = after_space(key_end, end);
    if (p < end && *p == ':') ++p;
    p = after_space(p, end);
    const char* value_end = skip_value(p, end);
    m.value = std::string_view(p, std::size_t(value_end - p));
    out.push_back(m);
    p = after_space(value_end, end);
    if (p < end && *p == ',') p = after_space(p + 1, end);
  }
}

JsonNumbers::JsonNumbers(std::string_view array) {
  const char* end = array.data() + array.size();
  const char* p = after_space(array.data(), end);
  if (p < end && *p == '[') ++p;
  p_ = p;
  end_ = end;
}

JsonNumbers::Next JsonNumbers::next_double(double& value, std::string_view& number) {
  const char* p = after_space(p_, end_);
  if (p >= end_ || *p == ']') return Next::end;
  if (*p != '-' && !is_digit(*p)) return Next::other;
  const char* start = p;
  const bool negative = *p == '-';
  if (negative) ++p;
  // Digits are gathered while the number is found: most values are short decimals, which
  // convert exactly from them (see short_decimal_to_double).
  std::uint64_t mantissa = 0;
  int digits = 0, fraction = 0;
  for (; p < end_ && is_digit(*p); ++p, ++digits) mantissa = mantissa * 10 + std::uint64_t(*p - '0');
  if (p < end_ && *p == '.')
    for (++p; p < end_ && is_digit(*p); ++p, ++digits, ++fraction) mantissa = mantissa * 10 + std::uint64_t(*p - '0');
  bool exponent = false;
  if (p < end_ && (*p == 'e' || *p == 'E')) {
    exponent = true;
    ++p;
    if (p < end_ && (*p == '+' || *p == '-')) ++p;
    p = skip_digits(p, end_);
  }
  number = std::string_view(start, std::size_t(p - start));
  p = after_space(p, end_);
  if (p < end_ && *p == ',') ++p;
  p_ = p;
  if (!exponent && digits <= 15 && fraction <= 22) {
    double v = double(mantissa) / kPowersOfTen[fraction];
    value = negative ? -v : v;
    return Next::number;
  }
  return json_number_to_double(number, value) ? Next::number : Next::too_large;
}

JsonNumbers::Next JsonNumbers::next_index(std::uint64_t& value, std::string_view& number) {
  const char* p = after_space(p_, end_);
  if (p >= end_ || *p == ']') return Next::end;
  if (!is_digit(*p)) return Next::other;
  const char* start = p;
  std::uint64_t v = 0;
  int digits = 0;
  for (; p < end_ && is_digit(*p); ++p, ++digits) v = v * 10 + std::uint64_t(*p - '0');
  number = std::string_view(start, std::size_t(p - start));
  // A fraction, an exponent or more digits than fit is no index.
  if (digits > 19 || (p < end_ && (*p == '.' || *p == 'e' || *p == 'E'))) return Next::other;
  p = after_space(p, end_);
  if (p < end_ && *p == ',') ++p;
  p_ = p;
  value = v;
  return Next::number;
}

JsonElements::JsonElements(std::string_view array) {
  const char* end = array.data() + array.size();
  const char* p = after_space(array.data(), end);
  if (p < end && *p == '[') ++p;
  rest_ = std::string_view(p, std::size_t(end - p));
}

bool JsonElements::next(std::string_view& element) {
  const char* end = rest_.data() + rest_.size();
  const char* p = after_space(rest_.data(), end);
  if (p >= end || *p == ']') {
    rest_ = {};
    return false;
  }
  const char* value_end = skip_value(p, end);
  element = std::string_view(p, std::size_t(value_end - p));
  p = after_space(value_end, end);
  if (p < end && *p == ',') ++p;
  rest_ = std::string_view(p, std::size_t(end - p));
  return true;
}

void append_unescaped(std::string_view s, std::string& out) {
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    const char* run = static_cast<const char*>(std::memchr(p, '\\', std::size_t(end - p)));
    if (!run) run = end;
    out.append(p, run);
    p = run;
    if (p >= end || end - p < 2) break;
    char c = p[1];
    p += 2;
    switch (c) {
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'u': {
        if (end - p < 4) return;
        std::uint32_t cp = hex4(p);
        p += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && end - p >= 6) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4(p + 2) - 0xDC00);
          p += 6;
        }
        append_utf8(out, char32_t(cp));
        break;
      }
      default: out.push_back(c);  // " \ /
    }
  }
}

namespace {

// Short decimals (a feature vector's values: 0.06690236) exactly: when the digits make an
// integer below 2^53 and the power of ten is at most 10^22, both are exact doubles and one
// multiplication or division rounds correctly. False when the number needs the general path.
bool short_decimal_to_double(std::string_view s, double& out) {
  const char* p = s.data();
  const char* end = p + s.size();
  bool negative = p < end && *p == '-';
  if (negative) ++p;
  std::uint64_t mantissa = 0;
  int digits = 0, fraction = 0;
  for (; p < end && is_digit(*p); ++p, ++digits) mantissa = mantissa * 10 + std::uint64_t(*p - '0');
  if (p < end && *p == '.')
    for (++p; p < end && is_digit(*p); ++p, ++digits, ++fraction) mantissa = mantissa * 10 + std::uint64_t(*p - '0');
  if (p != end || digits > 15 || fraction > 22) return false;  // an exponent, or too many digits
  double v = double(mantissa) / kPowersOfTen[fraction];
  out = negative ? -v : v;
  return true;
}

}  // namespace

bool json_number_to_double(std::string_view s, double& out) {
  if (short_decimal_to_double(s, out)) return true;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec == std::errc()) return true;
  if (ec != std::errc::result_out_of_range) return false;
  // Out of range either way: the decimal exponent of the first significant digit says
  // whether the value is too large (no double) or too small (a zero).
  if (s.empty()) return false;
  std::size_t i = s[0] == '-' ? 1 : 0;
  long long position = 0;  // digits before the point, minus leading zeros
  bool seen = false, after_point = false;
  for (; i < s.size() && s[i] != 'e' && s[i] != 'E'; ++i) {
    if (s[i] == '.') {
      after_point = true;
      continue;
    }
    if (!seen && s[i] == '0') {
      if (after_point) --position;
      continue;
    }
    if (!seen) seen = true;
    if (!after_point) ++position;
  }
  long long exponent = 0;
  if (i < s.size()) {
    ++i;
    bool negative = i < s.size() && s[i] == '-';
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    for (; i < s.size(); ++i) exponent = std::min(exponent * 10 + (s[i] - '0') % 10, 100000000LL);
    if (negative) exponent = -exponent;
  }
  if (position + exponent > 0) return false;
  out = s[0] == '-' ? -0.0 : 0.0;
  return true;
}

bool json_number_to_int64(std::string_view s, std::int64_t& out) {
  const std::optional<std::int64_t> v = parse_integer<std::int64_t>(s);
  if (v) out = *v;
  return v.has_value();
}

}  // namespace mlpipe
