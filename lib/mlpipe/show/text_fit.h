// Text shaped for a reader: what the writers of mlshow do to a sentence before it goes
// into a page, a graph label or a quotation. Record strings are valid UTF-8 (the reader
// checked them), but a document given with --docs is read as bytes and may not be, and
// byte offsets may cut it anywhere: everything here works on any bytes and returns UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mlpipe::show {

// Calls `emit(code_point_bytes)` for each character of `text`; an invalid byte becomes
// U+FFFD, so that whatever a document holds, the output is UTF-8.
template <class Emit>
void for_each_char(std::string_view text, Emit&& emit);

// `text` with every invalid UTF-8 sequence replaced by U+FFFD.
std::string repaired_utf8(std::string_view text);

// `text` with each run of white space (line breaks included) made one space, and none at
// either end: a sentence quoted on one line.
std::string one_line(std::string_view text);

// At most `max_chars` characters of one_line(text): when longer, cut at the last space
// that keeps at least half of it (else inside the word) and ended with "…".
std::string brief(std::string_view text, std::size_t max_chars);

// one_line(text) cut into lines of at most `width` characters at spaces; a word longer
// than a line is cut inside.
std::vector<std::string> wrap(std::string_view text, std::size_t width);

// The number of characters (code points; an invalid byte counts as one).
std::size_t char_count(std::string_view text);

}  // namespace mlpipe::show

namespace mlpipe::show {

namespace detail {
// The length of the valid UTF-8 sequence at text[pos], or 0 when the byte there starts none.
std::size_t utf8_length_at(std::string_view text, std::size_t pos);
inline constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
}  // namespace detail

template <class Emit>
void for_each_char(std::string_view text, Emit&& emit) {
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t n = detail::utf8_length_at(text, pos);
    if (n == 0) {
      emit(detail::kReplacement);
      ++pos;
    } else {
      emit(text.substr(pos, n));
      pos += n;
    }
  }
}

}  // namespace mlpipe::show
