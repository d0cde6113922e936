#include "mlpipe/text/abbreviations.h"

#include <array>
#include <cstring>
#include <sstream>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/file_source.h"
#include "mlpipe/text/unicode.h"

namespace mlpipe::text {

std::optional<AbbrevKind> parse_abbrev_kind(std::string_view name) {
  if (name == "general") return AbbrevKind::general;
  if (name == "title") return AbbrevKind::title;
  if (name == "number") return AbbrevKind::number;
  if (name == "inner") return AbbrevKind::inner;
  return std::nullopt;
}

namespace {

// Lowercases the ASCII letters of `word` into `buf` (other bytes as they are, so the folded
// word keeps its length); false when the word is too long to be an abbreviation.
bool fold(std::string_view word, std::array<char, Abbreviations::kMaxLength>& buf, std::size_t& n) {
  if (word.empty() || word.size() > buf.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    const auto c = static_cast<unsigned char>(word[i]);
    buf[i] = c < 0x80 ? char(unicode::to_lower(c)) : char(c);
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

}  // namespace mlpipe::text
