#include "mlpipe/text/utf8.h"

#include "mlpipe/core/utf8_encode.h"

namespace mlpipe::utf8 {

namespace {

// Length of the valid sequence starting at s[pos], or 0 if it is invalid.
std::size_t valid_length(std::string_view s, std::size_t pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + pos;
  const std::size_t left = s.size() - pos;
  const unsigned char c = p[0];
  if (c < 0x80) return 1;
  auto cont = [&](std::size_t i) { return i < left && (p[i] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && p[1] < 0xA0) return 0;  // overlong
    if (c == 0xED && p[1] > 0x9F) return 0;  // surrogates
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && p[1] < 0x90) return 0;  // overlong
    if (c == 0xF4 && p[1] > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

std::optional<std::size_t> find_invalid(std::string_view s) {
  std::size_t pos = 0;
  while (pos < s.size()) {
    // ASCII runs are the common case: skip eight bytes at a time.
    while (pos + 8 <= s.size()) {
      std::uint64_t chunk;
      __builtin_memcpy(&chunk, s.data() + pos, 8);
      if (chunk & 0x8080808080808080ULL) break;
      pos += 8;
    }
    if (pos >= s.size()) break;
    std::size_t n = valid_length(s, pos);
    if (n == 0) return pos;
    pos += n;
  }
  return std::nullopt;
}

char32_t decode(std::string_view s, std::size_t& pos) {
  std::size_t n = valid_length(s, pos);
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + pos;
  switch (n) {
    case 1: pos += 1; return p[0];
    case 2: pos += 2; return char32_t(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
    case 3: pos += 3; return char32_t(p[0] & 0x0F) << 12 | char32_t(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
    case 4:
      pos += 4;
      return char32_t(p[0] & 0x07) << 18 | char32_t(p[1] & 0x3F) << 12 | char32_t(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
    default: pos += 1; return kReplacement;
  }
}

void append(std::string& out, char32_t cp) { append_utf8(out, cp); }

std::string from_latin1(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (unsigned char c : s) append(out, c);
  return out;
}

std::string replace_invalid(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t n = valid_length(s, pos);
    if (n == 0) {
      append(out, kReplacement);
      ++pos;
    } else {
      out.append(s.data() + pos, n);
      pos += n;
    }
  }
  return out;
}

}  // namespace mlpipe::utf8
