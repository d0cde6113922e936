#include "mlpipe/core/json_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>

namespace mlpipe {

namespace {

// True when any of the eight bytes at p is a control character, '"' or '\\'.
inline bool needs_escape8(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  auto has_zero = [](std::uint64_t x) { return (x - ones) & ~x & highs; };
  std::uint64_t below_space = (v - ones * 0x20) & ~v & highs;  // bytes < 0x20 (high bit clear)
  return below_space | has_zero(v ^ (ones * '"')) | has_zero(v ^ (ones * '\\'));
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;  // start of the pending run of bytes that need no escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    // Skip eight plain bytes at a time: most text needs no escape at all.
    while (i + 8 <= s.size() && !needs_escape8(s.data() + i)) i += 8;
    if (i >= s.size()) break;
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 15]);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void JsonWriter::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (first_.empty()) return;
  if (first_.back())
    first_.back() = false;
  else
    out_.push_back(',');
}

JsonWriter& JsonWriter::begin_object() {
  separate();
  out_.push_back('{');
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  out_.push_back('}');
  first_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  separate();
  out_.push_back('[');
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  out_.push_back(']');
  first_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view k) {
  separate();
  append_json_string(out_, k);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view s) {
  separate();
  append_json_string(out_, s);
  return *this;
}

JsonWriter& JsonWriter::number(double v) {
  separate();
  if (!std::isfinite(v)) {
    out_ += "null";
  } else if (v == std::floor(v) && std::fabs(v) < 1e15) {
    // Integral values print without a fraction or exponent ("3", not "3.0" or "3e0").
    fmt::format_to(std::back_inserter(out_), "{}", static_cast<long long>(v));
  } else {
    fmt::format_to(std::back_inserter(out_), "{}", v);
  }
  return *this;
}

JsonWriter& JsonWriter::number(float v) {
  separate();
  if (!std::isfinite(v)) {
    out_ += "null";
  } else if (v == std::floor(v) && std::fabs(v) < 1e7f) {
    fmt::format_to(std::back_inserter(out_), "{}", static_cast<long long>(v));
  } else {
    fmt::format_to(std::back_inserter(out_), "{}", v);
  }
  return *this;
}

JsonWriter& JsonWriter::integer(std::int64_t v) {
  separate();
  fmt::format_to(std::back_inserter(out_), "{}", v);
  return *this;
}

JsonWriter& JsonWriter::boolean(bool v) {
  separate();
  out_ += v ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::null() {
  separate();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  separate();
  out_.append(json);
  return *this;
}

JsonWriter& JsonWriter::sparse(const SparseVector& v) {
  separate();
  out_ += "{\"idx\":[";
  for (std::size_t i = 0; i < v.idx.size(); ++i) {
    if (i) out_.push_back(',');
    fmt::format_to(std::back_inserter(out_), "{}", v.idx[i]);
  }
  out_ += "],\"val\":[";
  first_.push_back(true);
  for (float x : v.val) number(x);
  first_.pop_back();
  out_ += "]}";
  return *this;
}

namespace {
template <typename Keys>
void copy_except(JsonWriter& w, const std::vector<Field>& fields, const Keys& drop) {
  for (const Field& f : fields)
    if (std::find(drop.begin(), drop.end(), f.key) == drop.end()) w.key(f.key).raw(f.raw);
}
}  // namespace

JsonWriter& JsonWriter::copy_fields(const std::vector<Field>& fields, std::initializer_list<std::string_view> drop) {
  copy_except(*this, fields, drop);
  return *this;
}

JsonWriter& JsonWriter::copy_fields(const std::vector<Field>& fields, const std::vector<std::string_view>& drop) {
  copy_except(*this, fields, drop);
  return *this;
}

}  // namespace mlpipe
