#include "mlpipe/text/sentences.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <sstream>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/text/utf8.h"

namespace mlpipe::text {

// ---------------------------------------------------------------------------------------------
// Abbreviations

std::optional<AbbrevKind> parse_abbrev_kind(std::string_view name) {
  if (name == "general") return AbbrevKind::general;
  if (name == "title") return AbbrevKind::title;
  if (name == "number") return AbbrevKind::number;
  if (name == "inner") return AbbrevKind::inner;
  return std::nullopt;
}

namespace {

// Lowercases ASCII letters of `word` into `buf`; false when the word is too long to be one.
bool fold(std::string_view word, std::array<char, Abbreviations::kMaxLength>& buf, std::size_t& n) {
  if (word.empty() || word.size() > buf.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    char c = word[i];
    buf[i] = (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
  }
  n = word.size();
  return true;
}

// The built-in list. Kinds decide what a following capitalised word means (see AbbrevKind).
struct BuiltinAbbrev {
  const char* word;
  AbbrevKind kind;
};

constexpr AbbrevKind T = AbbrevKind::title, N = AbbrevKind::number, I = AbbrevKind::inner,
                     G = AbbrevKind::general;

constexpr BuiltinAbbrev kBuiltin[] = {
    // Titles and ranks: a name follows.
    {"mr", T}, {"mrs", T}, {"ms", T}, {"messrs", T}, {"mme", T}, {"mlle", T}, {"dr", T}, {"prof", T},
    {"rev", T}, {"hon", T}, {"st", T}, {"ste", T}, {"mt", T}, {"gen", T}, {"col", T}, {"capt", T},
    {"cpt", T}, {"lt", T}, {"sgt", T}, {"cpl", T}, {"pvt", T}, {"maj", T}, {"cmdr", T}, {"adm", T},
    {"brig", T}, {"gov", T}, {"sen", T}, {"rep", T}, {"reps", T}, {"pres", T}, {"supt", T}, {"insp", T},
    {"fr", T}, {"atty", T}, {"mssrs", T}, {"sr", G}, {"jr", G}, {"esq", G},
    // Followed by a number: "No. 5", "p. 55", "Fig. 3".
    {"no", N}, {"nos", N}, {"nr", N}, {"n\xC2\xB0", N}, {"p", N}, {"pp", N}, {"vol", N}, {"vols", N},
    {"fig", N}, {"figs", N}, {"art", N}, {"arts", N}, {"ch", N}, {"chap", N}, {"sec", N}, {"sect", N},
    {"para", N}, {"par", N}, {"eq", N}, {"eqs", N}, {"ex", N}, {"op", N}, {"tab", N}, {"pt", N},
    {"pts", N}, {"c", N}, {"ca", N}, {"nn", N}, {"l", N}, {"ll", N},
    // Inside a sentence only.
    {"e.g", I}, {"i.e", I}, {"cf", I}, {"viz", I}, {"vs", I}, {"v", I}, {"approx", I}, {"incl", I},
    {"esp", I}, {"resp", I}, {"w.r.t", I}, {"a.k.a", I}, {"aka", I},
    // Anything else: ends a sentence before a typical sentence opener.
    {"etc", G}, {"co", G}, {"corp", G}, {"inc", G}, {"ltd", G}, {"llc", G}, {"bros", G}, {"dept", G},
    {"univ", G}, {"assn", G}, {"assoc", G}, {"est", G}, {"al", G}, {"ibid", G}, {"cit", G}, {"loc", G},
    {"a.m", G}, {"p.m", G}, {"a.d", G}, {"b.c", G}, {"b.c.e", G}, {"c.e", G}, {"u.s", G}, {"u.s.a", G},
    {"u.k", G}, {"e.u", G}, {"u.n", G}, {"ph.d", G}, {"m.d", G}, {"b.a", G}, {"m.a", G}, {"d.c", G},
    {"jan", G}, {"feb", G}, {"mar", G}, {"apr", G}, {"jun", G}, {"jul", G}, {"aug", G}, {"sep", G},
    {"sept", G}, {"oct", G}, {"nov", G}, {"dec", G}, {"mon", G}, {"tue", G}, {"tues", G}, {"thu", G},
    {"thur", G}, {"thurs", G}, {"fri", G}, {"ave", G}, {"blvd", G}, {"rd", G}, {"ft", G}, {"hr", G},
    {"hrs", G}, {"min", G}, {"mins", G}, {"yr", G}, {"yrs", G}, {"lb", G}, {"lbs", G}, {"oz", G},
    {"govt", G}, {"intl", G}, {"natl", G}, {"bldg", G}, {"dist", G}, {"div", G}, {"mfg", G}, {"mgr", G},
    {"misc", G}, {"ref", G}, {"refs", G}, {"ed", G}, {"eds", G}, {"trans", G}, {"abbr", G},
};

}  // namespace

Abbreviations Abbreviations::builtin() {
  Abbreviations a;
  for (const auto& b : kBuiltin) a.add(b.word, b.kind);
  return a;
}

void Abbreviations::add(std::string_view word, AbbrevKind kind) {
  while (!word.empty() && word.back() == '.') word.remove_suffix(1);
  std::array<char, kMaxLength> buf;
  std::size_t n = 0;
  if (!fold(word, buf, n)) return;
  table_[std::string(buf.data(), n)] = kind;
}

std::optional<AbbrevKind> Abbreviations::find(std::string_view word) const {
  std::array<char, kMaxLength> buf;
  std::size_t n = 0;
  if (!fold(word, buf, n)) return std::nullopt;
  auto it = table_.find(std::string_view(buf.data(), n));
  if (it == table_.end()) return std::nullopt;
  return it->second;
}

void Abbreviations::load(const std::string& path, const FileSource& files) {
  std::istringstream in(files.read(path));
  std::string line;
  std::uint64_t lineno = 0;
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (std::getline(in, line)) {
    ++lineno;
    std::string_view v = line;
    if (auto hash = v.find('#'); hash != std::string_view::npos) v = v.substr(0, hash);
    std::size_t i = 0;
    while (i < v.size() && blank(v[i])) ++i;
    std::size_t w = i;
    while (i < v.size() && !blank(v[i])) ++i;
    std::string_view word = v.substr(w, i - w);
    while (i < v.size() && blank(v[i])) ++i;
    std::size_t k = i;
    while (i < v.size() && !blank(v[i])) ++i;
    std::string_view kind_name = v.substr(k, i - k);
    while (i < v.size() && blank(v[i])) ++i;
    if (word.empty()) continue;
    AbbrevKind kind = AbbrevKind::general;
    if (!kind_name.empty()) {
      auto parsed = parse_abbrev_kind(kind_name);
      if (!parsed)
        throw Error(path, lineno,
                    fmt::format("unknown abbreviation kind '{}' (expected general, title, number or inner)", kind_name));
      kind = *parsed;
    }
    if (i < v.size()) throw Error(path, lineno, "expected 'WORD [KIND]', found more");
    std::string_view bare = word;
    while (!bare.empty() && bare.back() == '.') bare.remove_suffix(1);
    if (bare.empty() || bare.size() > kMaxLength)
      throw Error(path, lineno,
                  fmt::format("'{}' is not an abbreviation (expected a word of 1 to {} bytes)", word, kMaxLength));
    add(bare, kind);
  }
  if (in.bad()) throw Error(path, 0, "read failed");
}

// ---------------------------------------------------------------------------------------------
// Characters

namespace {

using u8 = unsigned char;

inline u8 byte(std::string_view s, std::size_t i) { return u8(s[i]); }

inline bool ascii_space(u8 c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
inline bool ascii_upper(u8 c) { return c >= 'A' && c <= 'Z'; }
inline bool ascii_lower(u8 c) { return c >= 'a' && c <= 'z'; }
inline bool ascii_letter(u8 c) { return ascii_upper(c) || ascii_lower(c); }
inline bool ascii_digit(u8 c) { return c >= '0' && c <= '9'; }

// True when s[i..] starts with the bytes of `seq`.
inline bool has(std::string_view s, std::size_t i, std::string_view seq) {
  return s.size() - i >= seq.size() && std::memcmp(s.data() + i, seq.data(), seq.size()) == 0;
}

// Byte length of the whitespace character at s[i] (ASCII, no-break and other Unicode spaces), or 0.
std::size_t space_len(std::string_view s, std::size_t i) {
  u8 c = byte(s, i);
  if (c < 0x80) return ascii_space(c) ? 1 : 0;
  const std::size_t left = s.size() - i;
  if (c == 0xC2) return left >= 2 && byte(s, i + 1) == 0xA0 ? 2 : 0;
  if (left < 3) return 0;
  u8 c1 = byte(s, i + 1), c2 = byte(s, i + 2);
  if (c == 0xE2) {
    if (c1 == 0x80 && (c2 <= 0x8A || c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF)) return 3;
    if (c1 == 0x81 && c2 == 0x9F) return 3;
  } else if (c == 0xE3) {
    if (c1 == 0x80 && c2 == 0x80) return 3;
  } else if (c == 0xEF) {
    if (c1 == 0xBB && c2 == 0xBF) return 3;  // a byte order mark inside the text
  }
  return 0;
}

// Byte length of the whitespace character that ends just before s[i], or 0.
std::size_t space_len_before(std::string_view s, std::size_t i) {
  if (i == 0) return 0;
  u8 c = byte(s, i - 1);
  if (c < 0x80) return ascii_space(c) ? 1 : 0;
  if (i >= 2 && byte(s, i - 2) == 0xC2 && c == 0xA0) return 2;
  if (i >= 3 && space_len(s, i - 3) == 3) return 3;
  return 0;
}

// Closing quotes and brackets that may follow the end of a sentence.
std::size_t closer_len(std::string_view s, std::size_t i) {
  u8 c = byte(s, i);
  if (c < 0x80) return (c == '"' || c == '\'' || c == ')' || c == ']' || c == '}') ? 1 : 0;
  static constexpr std::string_view multi[] = {"\xE2\x80\x9D", "\xE2\x80\x99", "\xC2\xBB", "\xE2\x80\xBA",
                                               "\xE3\x80\x8D", "\xE3\x80\x8F", "\xEF\xBC\x89"};
  for (std::string_view m : multi)
    if (has(s, i, m)) return m.size();
  return 0;
}

// Opening quotes and brackets that may come before the first word of a sentence.
std::size_t opener_len(std::string_view s, std::size_t i) {
  u8 c = byte(s, i);
  if (c < 0x80) return (c == '"' || c == '\'' || c == '(' || c == '[' || c == '{') ? 1 : 0;
  static constexpr std::string_view multi[] = {"\xE2\x80\x9C", "\xE2\x80\x98", "\xC2\xAB", "\xE2\x80\xB9",
                                               "\xC2\xBF",     "\xC2\xA1",     "\xE3\x80\x8C", "\xE3\x80\x8E",
                                               "\xEF\xBC\x88"};
  for (std::string_view m : multi)
    if (has(s, i, m)) return m.size();
  return 0;
}

// A sentence-ending character at s[i]: its length, how many dots it counts for, and
// whether it is a "strong" one (? ! and their kin), which ends a sentence whatever the word.
struct Terminator {
  std::size_t len = 0;
  int dots = 0;
  bool strong = false;
};

Terminator terminator_at(std::string_view s, std::size_t i) {
  u8 c = byte(s, i);
  if (c == '.') return {1, 1, false};
  if (c == '?' || c == '!') return {1, 0, true};
  if (c < 0x80) return {};
  if (has(s, i, "\xE2\x80\xA6")) return {3, 3, false};  // … horizontal ellipsis
  static constexpr std::string_view strong[] = {
      "\xE2\x80\xBC",  // ‼
      "\xE2\x81\x87", "\xE2\x81\x88", "\xE2\x81\x89",  // ⁇ ⁈ ⁉
      "\xE2\x80\xBD",  // ‽
      "\xEF\xBC\x9F", "\xEF\xBC\x81",  // full-width ？ ！
      "\xE3\x80\x82",  // ideographic full stop
  };
  for (std::string_view m : strong)
    if (has(s, i, m)) return {m.size(), 0, true};
  return {};
}

// List bullets that start an item wherever they stand (ASCII '-', '*', '+' only at a line start).
std::size_t bullet_len(std::string_view s, std::size_t i) {
  if (byte(s, i) != 0xE2) return 0;
  static constexpr std::string_view bullets[] = {
      "\xE2\x80\xA2", "\xE2\x80\xA3", "\xE2\x81\x83", "\xE2\x97\xA6", "\xE2\x96\xAA", "\xE2\x96\xB8",
      "\xE2\x96\xBA", "\xE2\x97\x8F", "\xE2\x97\x8B", "\xE2\x96\xA0", "\xE2\x96\xA1", "\xE2\x88\x99",
      "\xE2\x9E\xA2", "\xE2\x9E\xA4"};
  for (std::string_view b : bullets)
    if (has(s, i, b)) return b.size();
  return 0;
}

enum class Case : std::uint8_t { none, upper, lower, digit };

// The case of a code point, for the scripts an English text quotes most (Latin, Greek, Cyrillic).
Case case_of(char32_t cp) {
  if (cp < 0x80) {
    if (ascii_upper(u8(cp))) return Case::upper;
    if (ascii_lower(u8(cp))) return Case::lower;
    if (ascii_digit(u8(cp))) return Case::digit;
    return Case::none;
  }
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return Case::upper;
  if (cp >= 0xDF && cp <= 0xFF && cp != 0xF7) return Case::lower;
  if (cp >= 0x100 && cp <= 0x17F) return (cp & 1) ? Case::lower : Case::upper;
  if (cp >= 0x391 && cp <= 0x3A9) return Case::upper;
  if (cp >= 0x3AC && cp <= 0x3CE) return Case::lower;
  if (cp >= 0x400 && cp <= 0x42F) return Case::upper;
  if (cp >= 0x430 && cp <= 0x45F) return Case::lower;
  return Case::none;
}

Case case_at(std::string_view s, std::size_t i) {
  u8 c = byte(s, i);
  if (c < 0x80) return case_of(c);
  std::size_t pos = i;
  return case_of(utf8::decode(s, pos));
}

// Words that typically open a sentence: after an ambiguous abbreviation ("U.S.", "Co.", an
// initial) such a capitalised word means a new sentence, while a name ("U.S. Government",
// "Albert I. Jones") means the same one goes on. Sorted for binary search.
constexpr std::string_view kOpeners[] = {
    "A", "After", "Again", "All", "Also", "Although", "An", "And", "Another", "Any", "As", "At",
    "Because", "Before", "Both", "But", "By", "Can", "Could", "Did", "Do", "Does", "During", "Each",
    "Even", "Every", "Finally", "First", "For", "From", "He", "Her", "Here", "His", "How", "However",
    "I", "If", "In", "Is", "It", "Its", "Last", "Let", "Many", "Meanwhile", "Moreover", "Most", "My",
    "Never", "Nevertheless", "No", "Not", "Now", "On", "Once", "One", "Our", "She", "Since", "So",
    "Some", "Such", "That", "The", "Their", "Then", "There", "Therefore", "These", "They", "This",
    "Those", "Though", "Thus", "To", "Today", "Under", "We", "What", "When", "Where", "Whether",
    "Which", "While", "Who", "Why", "With", "Yet", "You", "Your",
};

bool is_opener_word(std::string_view w) {
  return std::binary_search(std::begin(kOpeners), std::end(kOpeners), w);
}

// Prepositions that begin a short introductory phrase ("At 5 a.m. Mr. Smith went …"): an
// abbreviation closing such a phrase does not end the sentence.
constexpr std::string_view kIntroPrepositions[] = {"about", "after", "around", "at",    "before", "by",
                                                   "during", "from", "in",     "near", "on",     "since",
                                                   "till",   "until"};

// A list item marker: "1.", "2)", "3.)", "a.", "b)", a bullet, or a bullet before a number.
struct Marker {
  enum class Kind : std::uint8_t { none, number, letter, bullet } kind = Kind::none;
  std::uint32_t value = 0;      // the number, or the letter
  std::string_view delim;       // ".", ")" or ".)"
  std::string_view bullet;      // the bullet's bytes
  std::size_t end = 0;          // first byte after the marker
  bool ascii_bullet = false;    // '-', '*', '+': an item only at a line start
};

// Parses an enumerator followed by whitespace at s[i]: "N." / "N)" / "N.)" (1-3 digits),
// "x." / "x)" (one ASCII letter), a section number "1.E.1." / "2.3)" or a Roman numeral "IV."
// (the last two have no successor).
bool parse_enumerator(std::string_view s, std::size_t i, std::size_t limit, Marker& m) {
  std::size_t j = i;
  std::uint32_t value = 0;
  Marker::Kind kind;
  bool sequenced = true;
  auto digits = [&](std::size_t& k) {
    std::size_t from = k;
    while (k < limit && ascii_digit(byte(s, k)) && k - from < 4) ++k;
    return k - from;
  };
  if (j < limit && ascii_digit(byte(s, j))) {
    std::size_t nd = digits(j);
    if (nd > 3) return false;
    for (std::size_t k = i; k < j; ++k) value = value * 10 + (byte(s, k) - '0');
    kind = Marker::Kind::number;
    // Section numbers: more groups of digits or single letters joined by periods.
    while (j + 1 < limit && s[j] == '.') {
      std::size_t g = j + 1;
      if (ascii_digit(byte(s, g))) {
        if (digits(g) > 3) return false;
      } else if (ascii_letter(byte(s, g)) && !(g + 1 < limit && ascii_letter(byte(s, g + 1)))) {
        ++g;
      } else {
        break;
      }
      j = g;
      sequenced = false;
    }
  } else if (j < limit && ascii_letter(byte(s, j))) {
    std::size_t k = j;
    while (k < limit && k - j <= 5 && std::string_view("IVXLivxl").find(s[k]) != std::string_view::npos) ++k;
    if (k - j >= 2 && k - j <= 5 && !(k < limit && ascii_letter(byte(s, k)))) {
      j = k;  // a Roman numeral
      sequenced = false;
    } else {
      value = byte(s, j++);
    }
    kind = Marker::Kind::letter;
  } else {
    return false;
  }
  std::size_t d = j;
  if (j < limit && s[j] == '.') ++j;
  if (j < limit && s[j] == ')') ++j;
  if (j == d) return false;
  if (j < limit && space_len(s, j) == 0) return false;
  m.kind = kind;
  m.value = sequenced ? value : 0;
  m.delim = s.substr(d, j - d);
  m.end = j;
  return true;
}

Marker parse_marker(std::string_view s, std::size_t i, std::size_t limit) {
  Marker m;
  if (i >= limit) return m;
  if (std::size_t b = bullet_len(s, i)) {
    m.kind = Marker::Kind::bullet;
    m.bullet = s.substr(i, b);
    m.end = i + b;
    std::size_t j = i + b;
    while (j < limit && (s[j] == ' ' || s[j] == '\t')) ++j;
    Marker inner;
    if (parse_enumerator(s, j, limit, inner)) m.end = inner.end;
    return m;
  }
  u8 c = byte(s, i);
  if ((c == '-' || c == '*' || c == '+') && i + 1 < limit && (s[i + 1] == ' ' || s[i + 1] == '\t')) {
    m.kind = Marker::Kind::bullet;
    m.bullet = s.substr(i, 1);
    m.end = i + 1;
    m.ascii_bullet = true;
    return m;
  }
  parse_enumerator(s, i, limit, m);
  return m;
}

// The text of the item that follows `m` ("2" after "1.", "b" after "a)"), or empty.
std::string_view successor(const Marker& m, std::array<char, 8>& buf) {
  if (m.value == 0) return {};  // a section number or a Roman numeral
  if (m.kind == Marker::Kind::number) {
    auto n = fmt::format_to_n(buf.data(), buf.size(), "{}", m.value + 1).size;
    return {buf.data(), std::size_t(n)};
  }
  if (m.kind == Marker::Kind::letter && m.value != 'z' && m.value != 'Z') {
    buf[0] = char(m.value + 1);
    return {buf.data(), 1};
  }
  return {};
}

// What follows a candidate boundary: the first word after whitespace and opening quotes.
struct Next {
  bool end = false;      // nothing but whitespace up to the paragraph's end
  Case kind = Case::none;
  std::string_view word; // the run of ASCII letters there
  bool word_then_period = false;
};

// ---------------------------------------------------------------------------------------------
// The scanner: one paragraph at a time, one line at a time.

class Scanner {
 public:
  Scanner(const Abbreviations& abbrevs, std::string_view s, std::vector<SentenceSpan>& out)
      : ab_(abbrevs), s_(s), out_(out) {}

  void run(std::size_t pos) {
    const std::size_t n = s_.size();
    while (pos < n) {
      // Skip blank lines; the paragraph starts at the first line with text.
      std::size_t nl = find_newline(pos, n);
      if (blank(pos, nl)) {
        pos = nl < n ? nl + 1 : n;
        continue;
      }
      // Find the paragraph's end (a blank line) and its longest line.
      std::size_t ps = pos, maxlen = 0, line = pos;
      while (line < n) {
        std::size_t e = find_newline(line, n);
        if (blank(line, e)) {
          if (!continues_after_blank(e)) break;
        } else {
          maxlen = std::max(maxlen, trimmed_length(line, e));
        }
        line = e < n ? e + 1 : n;
      }
      paragraph(ps, line, maxlen);
      pos = line;
    }
  }

 private:
  // Whether a blank line is only line spacing (double-spaced text, a quotation set apart):
  // the text after it goes on in lowercase and is not a list item or an address.
  bool continues_after_blank(std::size_t blank_end) const {
    const std::size_t n = s_.size();
    std::size_t next = skip_spaces(blank_end, n);
    if (next >= n || parse_marker(s_, next, n).kind != Marker::Kind::none) return false;
    while (next < n && opener_len(s_, next)) next += opener_len(s_, next);
    if (next >= n || case_at(s_, next) != Case::lower) return false;
    std::size_t e = next;
    while (e < n && space_len(s_, e) == 0) ++e;
    std::string_view word = s_.substr(next, e - next);
    return word.find("://") == std::string_view::npos && word.find('@') == std::string_view::npos;
  }

  std::size_t find_newline(std::size_t from, std::size_t to) const {
    const void* p = std::memchr(s_.data() + from, '\n', to - from);
    return p ? std::size_t(static_cast<const char*>(p) - s_.data()) : to;
  }

  bool blank(std::size_t from, std::size_t to) const {
    while (from < to) {
      std::size_t w = space_len(s_, from);
      if (w == 0) return false;
      from += w;
    }
    return true;
  }

  std::size_t skip_spaces(std::size_t i, std::size_t limit) const {
    while (i < limit) {
      std::size_t w = space_len(s_, i);
      if (w == 0) break;
      i += w;
    }
    return i;
  }

  std::size_t trim_back(std::size_t from, std::size_t to) const {
    while (to > from) {
      std::size_t w = space_len_before(s_, to);
      if (w == 0) break;
      to -= w;
    }
    return to;
  }

  std::size_t trimmed_length(std::size_t from, std::size_t to) const {
    std::size_t a = skip_spaces(from, to);
    return trim_back(a, to) - a;
  }

  void paragraph(std::size_t ps, std::size_t pe, std::size_t maxlen) {
    ps_ = ps;
    pe_ = pe;
    emitted_ = false;
    begin_sentence(ps);
    std::size_t line = ps;
    while (line < pe) {
      std::size_t nl = find_newline(line, pe);
      scan_line(line, nl);
      if (nl + 1 < pe && line_break_ends_sentence(line, nl, maxlen)) cut(nl);
      line = nl + 1;
    }
    cut(pe);
    if (emitted_) ++para_;
  }

  void begin_sentence(std::size_t pos) {
    first_ = skip_spaces(pos, pe_);
    marker_ = parse_marker(s_, first_, pe_);
  }

  // Ends the current sentence at `pos` (trimmed; nothing when only whitespace is left).
  void cut(std::size_t pos) {
    if (first_ < pos) {
      std::size_t end = trim_back(first_, pos);
      if (end > first_) {
        out_.push_back(SentenceSpan{first_, end, para_});
        emitted_ = true;
      }
    }
    begin_sentence(pos);
  }

  // Bytes that may start something to decide: terminators, list delimiters, and the lead
  // bytes of the multi-byte terminators and bullets.
  static constexpr std::array<bool, 256> kInteresting = [] {
    std::array<bool, 256> t{};
    t['.'] = t['?'] = t['!'] = t[')'] = true;
    t[0xE2] = t[0xE3] = t[0xEF] = true;
    return t;
  }();

  void scan_line(std::size_t ls, std::size_t le) {
    const char* d = s_.data();
    std::size_t i = ls;
    while (i < le) {
      while (i < le && !kInteresting[u8(d[i])]) ++i;
      if (i >= le) break;
      if (i < marker_.end) {  // inside this sentence's own list marker
        ++i;
        continue;
      }
      u8 c = u8(d[i]);
      if (c == ')') {
        list_delimiter(i, ")");
        ++i;
        continue;
      }
      Terminator t = terminator_at(s_, i);
      if (t.len) {
        i = terminator(i);
        continue;
      }
      if (std::size_t b = bullet_len(s_, i)) {
        // A bullet inside a sentence that began with the same bullet starts the next item.
        if (marker_.kind == Marker::Kind::bullet && !marker_.ascii_bullet && i > first_ &&
            s_.substr(i, b) == marker_.bullet && space_len_before(s_, i))
          cut(i);
        i += b;
        continue;
      }
      ++i;
    }
  }

  // The start of the whitespace-delimited token that ends at `p`, after opening quotes.
  std::size_t token_start(std::size_t p) const {
    std::size_t q = p;
    while (q > ps_ && space_len_before(s_, q) == 0) --q;
    while (q < p) {
      std::size_t o = opener_len(s_, q);
      if (o == 0) break;
      q += o;
    }
    return q;
  }

  // "2" before ")" (or "."): the next item of a list this sentence began, on the same line.
  bool list_delimiter(std::size_t p, std::string_view delim) {
    if (marker_.kind != Marker::Kind::number && marker_.kind != Marker::Kind::letter) return false;
    if (marker_.delim != delim && !(delim == "." && marker_.delim == ".)")) return false;
    std::array<char, 8> buf;
    std::string_view want = successor(marker_, buf);
    if (want.empty() || p < want.size()) return false;
    std::size_t q = p - want.size();
    if (q <= first_ || s_.substr(q, want.size()) != want || space_len_before(s_, q) == 0) return false;
    cut(q);
    return true;
  }

  Next next_after(std::size_t i) const {
    Next nx;
    i = skip_spaces(i, pe_);
    while (i < pe_) {
      std::size_t o = opener_len(s_, i);
      if (o == 0) break;
      i += o;
    }
    if (i >= pe_) {
      nx.end = true;
      return nx;
    }
    nx.kind = case_at(s_, i);
    std::size_t j = i;
    while (j < pe_ && ascii_letter(byte(s_, j))) ++j;
    nx.word = s_.substr(i, j - i);
    nx.word_then_period = j < pe_ && s_[j] == '.';
    return nx;
  }

  // Handles the terminator cluster starting at p; returns where scanning goes on.
  std::size_t terminator(std::size_t p) {
    // The attached run: ". ", "...", "?!", "…." and so on.
    std::size_t j = p;
    int dots = 0;
    bool strong = false;
    while (j < pe_) {
      Terminator t = terminator_at(s_, j);
      if (!t.len) break;
      dots += t.dots;
      strong |= t.strong;
      j += t.len;
    }
    const std::size_t attached_end = j;
    // A spaced ellipsis continuing it: ". . ." (one to three spaces between the dots).
    int spaced = 0;
    while (!strong && j + 1 < pe_ && s_[j] == ' ') {
      std::size_t k = j + 1;
      while (k < pe_ && s_[k] == ' ' && k - j < 3) ++k;
      int more = 0;
      while (k < pe_) {
        Terminator t = terminator_at(s_, k);
        if (!t.len || t.strong) break;
        more += t.dots;
        k += t.len;
      }
      if (more == 0) break;
      spaced += more;
      j = k;
    }
    const std::size_t cluster_end = j;

    // "[...]" and "(...)" mark an omission, never an end.
    if (dots >= 2 && p > ps_ && (s_[p - 1] == '[' || s_[p - 1] == '(')) return cluster_end;

    // A single period may be a list item's delimiter ("item 2. The second item").
    if (!strong && dots == 1 && spaced == 0 && attached_end == p + 1 && list_delimiter(p, "."))
      return attached_end;

    // Closing quotes and brackets, then whitespace (or the end) must follow.
    std::size_t c = cluster_end;
    while (c < pe_) {
      std::size_t w = closer_len(s_, c);
      if (w == 0) break;
      c += w;
    }
    if (c < pe_ && space_len(s_, c) == 0) return cluster_end;

    Next nx = next_after(c);
    if (strong) {
      if (nx.kind != Case::lower) cut(c);
      return c;
    }
    const int total = dots + spaced;
    if (total == 1) {
      period(p, c, nx);
      return c;
    }
    if (dots == 1 && spaced >= 3 && p > ps_ && space_len_before(s_, p) == 0) {
      // "compounds. . . . The practice": the period ends the sentence, the ellipsis opens the next.
      if (!nx.end && (nx.kind == Case::upper || nx.kind == Case::digit)) cut(p + 1);
      return c;
    }
    if (total == 3) return c;  // an omission inside the sentence
    if (nx.kind != Case::lower) cut(c);  // four dots (an ellipsis and a period), or two
    return c;
  }

  // Whether the capitalised word at the start of a sentence-initial phrase is a preposition,
  // and the phrase up to `q` has at most three words: "At 5 a.m." goes on.
  bool short_introductory_phrase(std::size_t q) const {
    int words = 0;
    std::size_t i = first_;
    std::string_view first_word;
    while (i < q) {
      std::size_t w = i;
      while (i < q && space_len(s_, i) == 0) ++i;
      if (words == 0) first_word = s_.substr(w, i - w);
      ++words;
      i = skip_spaces(i, q);
    }
    if (words == 0 || words > 3 || first_word.empty() || first_word.size() > 8) return false;
    char buf[8];
    for (std::size_t k = 0; k < first_word.size(); ++k) {
      u8 ch = byte(first_word, k);
      buf[k] = ascii_upper(ch) ? char(ch - 'A' + 'a') : char(ch);
    }
    std::string_view lw(buf, first_word.size());
    return std::find(std::begin(kIntroPrepositions), std::end(kIntroPrepositions), lw) !=
           std::end(kIntroPrepositions);
  }

  // Whether the word before the token at q (within this sentence) is capitalised.
  bool previous_word_capitalised(std::size_t q) const {
    std::size_t b = q;  // the token's first byte, openers included
    while (b > first_ && space_len_before(s_, b) == 0) --b;
    if (b <= first_) return false;  // the sentence's first word
    std::size_t e = b;
    while (e > first_) {
      std::size_t w = space_len_before(s_, e);
      if (w == 0) break;
      e -= w;
    }
    std::size_t a = e;
    while (a > first_ && space_len_before(s_, a) == 0) --a;
    while (a < e && opener_len(s_, a)) a += opener_len(s_, a);
    return a < e && case_at(s_, a) == Case::upper;
  }

  static bool short_capitalised(std::string_view tok) {
    if (tok.size() < 2 || tok.size() > 5 || !ascii_upper(byte(tok, 0))) return false;
    for (std::size_t i = 1; i < tok.size(); ++i)
      if (!ascii_lower(byte(tok, i))) return false;
    return true;
  }

  static bool lowercase_roman(std::string_view tok) {
    return tok.size() <= 6 && tok.find_first_not_of("ivxlc") == std::string_view::npos;
  }

  static bool dotted_letters(std::string_view tok) {
    // "U.S", "e.g", "Ph.D": groups of one or two letters joined by single periods.
    if (tok.find('.') == std::string_view::npos) return false;
    std::size_t group = 0;
    for (std::size_t i = 0; i < tok.size(); ++i) {
      u8 c = byte(tok, i);
      if (c == '.') {
        if (group == 0) return false;
        group = 0;
      } else if (ascii_letter(c)) {
        if (++group > 2) return false;
      } else {
        return false;
      }
    }
    return group > 0;
  }

  // A single period at p, with its closers ending at c.
  void period(std::size_t p, std::size_t c, const Next& nx) {
    if (nx.end) {
      cut(c);
      return;
    }
    if (nx.kind == Case::lower) return;
    const std::size_t q = token_start(p);
    std::string_view tok = s_.substr(q, p - q);
    if (tok.empty()) {
      cut(c);
      return;
    }

    enum class Word { ordinary, general, title, number, inner } word = Word::ordinary;
    if (auto kind = ab_.find(tok)) {
      switch (*kind) {
        case AbbrevKind::general: word = Word::general; break;
        case AbbrevKind::title: word = ascii_upper(byte(tok, 0)) ? Word::title : Word::general; break;
        case AbbrevKind::number: word = Word::number; break;
        case AbbrevKind::inner: word = Word::inner; break;
      }
    } else if (dotted_letters(tok)) {
      word = Word::general;
    } else if (tok.size() == 1 && ascii_upper(byte(tok, 0))) {
      // An initial, or the pronoun I ("you and I. Did you see Albert I. Jones?").
      word = (tok[0] != 'I' || previous_word_capitalised(q)) ? Word::general : Word::ordinary;
    }

    if (nx.kind == Case::digit) {
      // "p. 55", "No. 5", and references like "Essays, ii. 2" or "(Mat. 20.28)" go on.
      if (word == Word::ordinary && !lowercase_roman(tok) && !short_capitalised(tok)) cut(c);
      return;
    }
    switch (word) {
      case Word::ordinary:
      case Word::number: cut(c); return;
      case Word::title:
      case Word::inner: return;
      case Word::general: {
        if (nx.kind != Case::upper) return;
        bool opens = is_opener_word(nx.word) && !nx.word_then_period;
        if (!opens && nx.word_then_period) {
          auto k = ab_.find(nx.word);
          opens = k && *k == AbbrevKind::title;  // "… at 6 P.M. Mr. Smith then went"
        }
        if (opens && !short_introductory_phrase(q)) cut(c);
        return;
      }
    }
  }

  // Whether the line break after line [ls, nl) ends the sentence (the next line is in the paragraph).
  bool line_break_ends_sentence(std::size_t ls, std::size_t nl, std::size_t maxlen) const {
    const std::size_t next = skip_spaces(nl + 1, pe_);
    if (next >= pe_) return false;
    Marker m = parse_marker(s_, next, pe_);
    if (m.kind == Marker::Kind::bullet || m.kind == Marker::Kind::number) return true;
    if (m.kind == Marker::Kind::letter) {
      // "a. item" / "b) item"; not an initial ("A. Lincoln") that a wrapped line begins with.
      if (ascii_lower(u8(m.value)) || m.delim != ".") return true;
    }
    const std::size_t a = skip_spaces(ls, nl);
    const std::size_t b = trim_back(a, nl);
    if (b <= a) return false;
    const u8 last = byte(s_, b - 1);
    if (last == ',' || last == ';' || last == '-' || last == '&') return false;
    // A heading: letters, none of them lowercase ("CHAPTER IV", "PREFACE").
    int letters = 0;
    bool lower = false;
    for (std::size_t i = a; i < b && !lower; ++i) {
      u8 ch = byte(s_, i);
      if (ascii_lower(ch)) lower = true;
      else if (ascii_upper(ch)) ++letters;
    }
    if (!lower && letters >= 2) return true;
    // A short line before a capitalised one: a title, a salutation, an address line.
    if (2 * (b - a) < maxlen) {
      std::size_t w = next;
      while (w < pe_ && opener_len(s_, w)) w += opener_len(s_, w);
      if (w < pe_) {
        Case k = case_at(s_, w);
        return k == Case::upper || k == Case::digit;
      }
    }
    return false;
  }

  const Abbreviations& ab_;
  std::string_view s_;
  std::vector<SentenceSpan>& out_;
  std::size_t ps_ = 0, pe_ = 0;  // the paragraph
  std::size_t first_ = 0;        // first byte of the current sentence
  Marker marker_;                // its list marker, if it starts with one
  std::uint32_t para_ = 0;
  bool emitted_ = false;
};

}  // namespace

// ---------------------------------------------------------------------------------------------

SentenceSplitter::SentenceSplitter() : abbrevs_(Abbreviations::builtin()) {}
SentenceSplitter::SentenceSplitter(Abbreviations abbreviations) : abbrevs_(std::move(abbreviations)) {}

void SentenceSplitter::split(std::string_view text, std::vector<SentenceSpan>& out) const {
  std::size_t start = has(text, 0, "\xEF\xBB\xBF") ? 3 : 0;
  Scanner(abbrevs_, text, out).run(start);
}

std::vector<SentenceSpan> split_sentences(std::string_view text) {
  static const SentenceSplitter splitter;  // read-only after construction
  return splitter.split(text);
}

}  // namespace mlpipe::text
