// Sentence boundaries in English prose: a pure function from a text to sentence spans.
//
// The rules a careful reader applies (see man/mlsplit.1 for the user's version):
//  - `.`, `?`, `!` (and `…`, `‼`, full-width `？！。`) end a sentence when whitespace or the
//    end of the paragraph follows them, after any closing quotes and brackets;
//    a lowercase word after them means the sentence goes on ("Yahoo! in", "great.' she said").
//  - A period after an abbreviation ends a sentence only when the next word clearly starts one;
//    abbreviations come in kinds (titles, "number" abbreviations, inner ones, general ones).
//  - Initials and middle names ("Jonas E. Smith"), numbers, versions, URLs and e-mail addresses
//    (a period not followed by whitespace never ends a sentence).
//  - Ellipses: three dots are an omission inside a sentence; four dots, or a period followed by
//    a spaced ellipsis before a capital, end it.
//  - Lists: numbered, lettered and bulleted items are sentences of their own, also when several
//    items share a line ("1) first 2) second").
//  - Blank lines end paragraphs; a line break ends a sentence after a heading, a short line,
//    or before a list item.
// Offsets are bytes into the text given; spans never begin or end with whitespace.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/file_source.h"
#include "mlpipe/core/string_map.h"

namespace mlpipe::text {

struct SentenceSpan {
  std::size_t start = 0;  // byte offset of the first byte
  std::size_t end = 0;    // byte offset past the last byte
  std::uint32_t para = 0; // 0-based paragraph (paragraphs without sentences are not counted)

  bool operator==(const SentenceSpan&) const = default;
};

// How a period after an abbreviation behaves.
enum class AbbrevKind : std::uint8_t {
  general,  // "etc.", "Co.", "U.S.", "a.m.": ends a sentence only before a typical sentence opener
  title,    // "Mr.", "Dr.", "Mt." (capitalised): never ends a sentence
  number,   // "No.", "p.", "Fig.": goes on before a number, otherwise like an ordinary word
  inner,    // "e.g.", "i.e.", "cf.", "vs.": never ends a sentence
};

std::optional<AbbrevKind> parse_abbrev_kind(std::string_view name);

// A case-insensitive table of abbreviations (words without their final period).
class Abbreviations {
 public:
  // The built-in English list.
  static Abbreviations builtin();

  // Adds (or reclassifies) `word`; a final period is ignored. Words longer than
  // kMaxLength bytes are ignored (abbreviations are short).
  void add(std::string_view word, AbbrevKind kind);
  // Reads "WORD [KIND]" lines ('#' comments and blank lines allowed) from `path`, through
  // `files`. Throws Error(path, line, …) on unreadable files and unknown kinds.
  void load(const std::string& path, const FileSource& files);

  std::optional<AbbrevKind> find(std::string_view word) const;
  std::size_t size() const { return table_.size(); }

  static constexpr std::size_t kMaxLength = 24;

 private:
  StringMap<AbbrevKind> table_;
};

class SentenceSplitter {
 public:
  SentenceSplitter();  // built-in abbreviations
  explicit SentenceSplitter(Abbreviations abbreviations);

  // Appends the sentences of `text` to `out` (which is not cleared). A UTF-8 byte order
  // mark at the start is skipped. Thread-safe: the splitter is read-only.
  void split(std::string_view text, std::vector<SentenceSpan>& out) const;
  std::vector<SentenceSpan> split(std::string_view text) const {
    std::vector<SentenceSpan> out;
    split(text, out);
    return out;
  }

  const Abbreviations& abbreviations() const { return abbrevs_; }

 private:
  Abbreviations abbrevs_;
};

// The sentences of `text` with the built-in rules, as spans.
std::vector<SentenceSpan> split_sentences(std::string_view text);

}  // namespace mlpipe::text
