#include "mlpipe/show/text_fit.h"

namespace mlpipe::show {

namespace detail {

std::size_t utf8_length_at(std::string_view text, std::size_t pos) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char b = byte(pos);
  if (b < 0x80) return 1;
  std::size_t n;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (b >= 0xC2 && b <= 0xDF) {
    n = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    if (b == 0xE0) lo = 0xA0;  // overlong
    if (b == 0xED) hi = 0x9F;  // surrogates
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    if (b == 0xF0) lo = 0x90;  // overlong
    if (b == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (pos + n > text.size()) return 0;
  if (byte(pos + 1) < lo || byte(pos + 1) > hi) return 0;
  for (std::size_t i = 2; i < n; ++i)
    if ((byte(pos + i) & 0xC0) != 0x80) return 0;
  return n;
}

}  // namespace detail

namespace {

bool is_space(std::string_view ch) {
  return ch.size() == 1 &&
         (ch[0] == ' ' || ch[0] == '\t' || ch[0] == '\n' || ch[0] == '\r' || ch[0] == '\f' || ch[0] == '\v');
}

// The characters of one_line(text), each as its bytes.
std::vector<std::string_view> chars_of(const std::string& line) {
  std::vector<std::string_view> chars;
  for_each_char(line, [&](std::string_view ch) { chars.push_back(ch); });
  return chars;
}

}  // namespace

std::string repaired_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for_each_char(text, [&](std::string_view ch) { out.append(ch); });
  return out;
}

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for_each_char(text, [&](std::string_view ch) {
    if (is_space(ch)) {
      pending_space = !out.empty();
      return;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    // Other control characters would be invisible or break a line: a space shows there was something.
    if (ch.size() == 1 && (static_cast<unsigned char>(ch[0]) < 0x20 || ch[0] == 0x7F))
      out.push_back(' ');
    else
      out.append(ch);
  });
  return out;
}

std::size_t char_count(std::string_view text) {
  std::size_t n = 0;
  for_each_char(text, [&](std::string_view) { ++n; });
  return n;
}

std::string brief(std::string_view text, std::size_t max_chars) {
  std::string line = one_line(text);
  std::vector<std::string_view> chars = chars_of(line);
  if (chars.size() <= max_chars) return line;
  std::size_t keep = max_chars > 0 ? max_chars - 1 : 0;  // room for the ellipsis
  std::size_t cut = keep;
  for (std::size_t i = keep; i > keep / 2; --i) {
    if (chars[i] == " ") {
      cut = i;
      break;
    }
  }
  std::string out;
  for (std::size_t i = 0; i < cut; ++i) out.append(chars[i]);
  while (!out.empty() && (out.back() == ' ' || out.back() == ',' || out.back() == ';' || out.back() == ':'))
    out.pop_back();
  out.append("…");
  return out;
}

std::vector<std::string> wrap(std::string_view text, std::size_t width) {
  if (width == 0) width = 1;
  std::string line = one_line(text);
  std::vector<std::string_view> chars = chars_of(line);
  std::vector<std::string> lines;
  std::size_t i = 0;
  while (i < chars.size()) {
    std::size_t end = i + width;
    if (end >= chars.size()) {
      end = chars.size();
    } else {
      // Break at the last space within the width (the space itself is dropped).
      std::size_t space = end;
      while (space > i && chars[space] != " ") --space;
      if (space > i) end = space;
    }
    std::string piece;
    for (std::size_t k = i; k < end; ++k) piece.append(chars[k]);
    lines.push_back(std::move(piece));
    i = end;
    while (i < chars.size() && chars[i] == " ") ++i;
  }
  return lines;
}

}  // namespace mlpipe::show
