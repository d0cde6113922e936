// UTF-8: validation, decoding, and the two repairs mlsplit offers for text that is
// not UTF-8 (Latin-1 decoding, replacement of bad bytes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mlpipe::utf8 {

inline constexpr char32_t kReplacement = 0xFFFD;

// Byte offset of the first byte that does not start a valid UTF-8 sequence
// (overlong forms, surrogates and code points above U+10FFFF are invalid), or nullopt.
std::optional<std::size_t> find_invalid(std::string_view s);

// Decodes the code point at s[pos] and advances pos past it. An invalid sequence
// yields kReplacement and advances one byte.
char32_t decode(std::string_view s, std::size_t& pos);

// Appends the UTF-8 encoding of `cp` to `out`.
void append(std::string& out, char32_t cp);

// Reads `s` as Latin-1 (ISO-8859-1): every byte is one code point.
std::string from_latin1(std::string_view s);

// Replaces each invalid sequence by U+FFFD.
std::string replace_invalid(std::string_view s);

}  // namespace mlpipe::utf8
