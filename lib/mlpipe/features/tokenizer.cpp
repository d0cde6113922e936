#include "mlpipe/features/tokenizer.h"

#include <wctype.h>

#include <array>

#include "mlpipe/core/error.h"
#include "mlpipe/text/utf8.h"

namespace mlpipe::features {

namespace {

enum Cls : std::uint8_t { kOther, kLetter, kDigit, kApostrophe, kSeparator, kMark };

struct AsciiTable {
  std::array<Cls, 128> cls{};
  std::array<char, 128> lower{};
  constexpr AsciiTable() {
    for (int c = 0; c < 128; ++c) {
      lower[c] = char(c);
      cls[c] = kOther;
    }
    for (int c = 'a'; c <= 'z'; ++c) cls[c] = kLetter;
    for (int c = 'A'; c <= 'Z'; ++c) {
      cls[c] = kLetter;
      lower[c] = char(c - 'A' + 'a');
    }
    for (int c = '0'; c <= '9'; ++c) cls[c] = kDigit;
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

// Combining marks that glibc does not count as alphanumeric: they belong to the letter before.
bool is_combining_mark(char32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
         (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F);
}

}  // namespace

Tokenizer::Tokenizer() : locale_(newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t(0))) {
  if (locale_ == locale_t(0)) throw Error("the C.UTF-8 locale is not available (needed for Unicode lowercasing)");
}

Tokenizer::~Tokenizer() { freelocale(locale_); }

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
    if (iswalnum_l(wint_t(cp), locale_)) {
      lower = char32_t(towlower_l(wint_t(cp), locale_));
      return kLetter;
    }
    if (is_combining_mark(cp)) return kMark;
    return kOther;
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
