#include "mlpipe/features/tokenizer.h"

#include <array>

#include "mlpipe/text/unicode.h"
#include "mlpipe/text/utf8.h"

namespace mlpipe::features {

namespace {

enum Cls : std::uint8_t { kOther, kLetter, kDigit, kApostrophe, kSeparator, kMark };

// The tokenizer's view of ASCII, from the same character classes as every other code point.
struct AsciiTable {
  std::array<Cls, 128> cls{};
  std::array<char, 128> lower{};
  constexpr AsciiTable() {
    for (int c = 0; c < 128; ++c) {
      const unicode::CharClass k = unicode::ascii_class(static_cast<unsigned char>(c));
      const bool letter = k == unicode::CharClass::upper || k == unicode::CharClass::lower;
      cls[c] = letter ? kLetter : k == unicode::CharClass::digit ? kDigit : kOther;
      lower[c] = k == unicode::CharClass::upper ? char(c - 'A' + 'a') : char(c);
    }
    cls['\''] = kApostrophe;
    cls['.'] = kSeparator;
    cls[','] = kSeparator;
  }
};
constexpr AsciiTable kAscii;

// For the fast path, over all 256 byte values: the lowercase byte of an ASCII letter or
// digit, 0 for every other byte (including those of multi-byte sequences).
struct WordByteTable {
  std::array<char, 256> lower{};
  std::array<bool, 256> letter{};
  constexpr WordByteTable() {
    for (int c = 0; c < 128; ++c) {
      if (kAscii.cls[c] == kLetter || kAscii.cls[c] == kDigit) lower[c] = kAscii.lower[c];
      letter[c] = kAscii.cls[c] == kLetter;
    }
  }
};
constexpr WordByteTable kWordByte;

}  // namespace

void Tokenizer::tokenize(std::string_view text, std::string& buf, std::vector<Token>& tokens) const {
  tokens.clear();
  const std::size_t n = text.size();
  const char* const s = text.data();
  // Lowercasing changes a code point's UTF-8 length by at most 2 bytes up (2 -> 3 bytes
  // at worst: 1.5x), so twice the input suffices; written by pointer. The 32 bytes of
  // slack let the analyzer read 24 bytes from any token's start (stem cache).
  if (buf.size() < 2 * n + 32) buf.resize(2 * n + 32);
  char* const base = buf.data();
  char* out = base;
  bool open = false, has_letter = false;
  Cls last = kOther;  // class of the last character put into the open token
  std::uint32_t begin = 0;

  auto classify = [&](std::size_t pos, std::size_t& next, char32_t& lower) -> Cls {
    unsigned char c = static_cast<unsigned char>(s[pos]);
    if (c < 0x80) {
      next = pos + 1;
      lower = char32_t(kAscii.lower[c]);
      return kAscii.cls[c];
    }
    next = pos;
    char32_t cp = utf8::decode(text, next);
    lower = cp;
    if (cp == 0x2019) {
      lower = '\'';
      return kApostrophe;
    }
    if (cp == utf8::kReplacement && next == pos + 1) return kOther;  // an invalid byte
    switch (unicode::class_of(cp)) {
      case unicode::CharClass::upper:
      case unicode::CharClass::lower:
      case unicode::CharClass::letter: lower = unicode::to_lower(cp); return kLetter;
      case unicode::CharClass::digit: return kDigit;
      case unicode::CharClass::mark: return kMark;
      default: return kOther;
    }
  };
  auto put = [&](char32_t cp) {
    if (cp < 0x80) {
      *out++ = char(cp);
    } else if (cp < 0x800) {
      *out++ = char(0xC0 | (cp >> 6));
      *out++ = char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      *out++ = char(0xE0 | (cp >> 12));
      *out++ = char(0x80 | ((cp >> 6) & 0x3F));
      *out++ = char(0x80 | (cp & 0x3F));
    } else {
      *out++ = char(0xF0 | (cp >> 18));
      *out++ = char(0x80 | ((cp >> 12) & 0x3F));
      *out++ = char(0x80 | ((cp >> 6) & 0x3F));
      *out++ = char(0x80 | (cp & 0x3F));
    }
  };
  auto close = [&] {
    if (!open) return;
    tokens.push_back(Token{begin, std::uint32_t(out - base) - begin, !has_letter});
    open = false;
  };

  std::size_t pos = 0;
  while (pos < n) {
    // The common cases first: a run of ASCII letters and digits, or an ASCII byte that
    // only separates tokens.
    unsigned char c = static_cast<unsigned char>(s[pos]);
    if (char l = kWordByte.lower[c]) {
      if (!open) {
        open = true;
        has_letter = false;
        begin = std::uint32_t(out - base);
      }
      bool letters = false;
      do {
        letters |= kWordByte.letter[c];
        *out++ = l;
        if (++pos == n) break;
        c = static_cast<unsigned char>(s[pos]);
        l = kWordByte.lower[c];
      } while (l);
      has_letter |= letters;
      last = kWordByte.letter[static_cast<unsigned char>(s[pos - 1])] ? kLetter : kDigit;
      continue;
    }
    if (c < 0x80 && kAscii.cls[c] == kOther) {
      close();
      ++pos;
      continue;
    }
    std::size_t next;
    char32_t lower;
    Cls cls = classify(pos, next, lower);
    switch (cls) {
      case kLetter:
      case kDigit:
        if (!open) {
          open = true;
          has_letter = false;
          begin = std::uint32_t(out - base);
        }
        has_letter |= cls == kLetter;
        put(lower);
        last = cls;
        break;
      case kMark:
        if (open) put(lower);
        break;
      case kApostrophe:
      case kSeparator: {
        // Joins only between two letters (apostrophe) or two digits (separator).
        Cls want = cls == kApostrophe ? kLetter : kDigit;
        bool joined = false;
        if (open && last == want && next < n) {
          std::size_t after;
          char32_t ahead;
          if (classify(next, after, ahead) == want) {
            put(cls == kApostrophe ? char32_t('\'') : lower);
            joined = true;
          }
        }
        if (!joined) close();
        break;
      }
      case kOther:
        close();
        break;
    }
    pos = next;
  }
  close();
}

}  // namespace mlpipe::features
