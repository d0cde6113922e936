// Sentence boundaries in English prose: a pure function from a text to sentence spans.
//
// The scanner here walks paragraphs and lines and finds candidates (terminators, list labels,
// bullets, line breaks); text/boundary.h decides each one. The rules a careful reader applies
// (see man/mlsplit.1 for the user's version):
//  - `.`, `?`, `!` (and `…`, `‼`) end a sentence when whitespace or the end of the paragraph
//    follows them, after any closing quotes, brackets and citation marks ("before.[12] Then");
//    a lowercase word or a dash after them means the sentence goes on ("Yahoo! in",
//    "great.' she said", "— wow! — that"), so a quotation may hold several sentences ("'…
//    stairs! How brave …!'") while "'Well!' thought Alice" is one. CJK `。！？．` need no space
//    after them. A period between a lowercase word and a capitalised one ends a sentence
//    ("end.Next"), unless the token is an address, a file name or a number; so does one after a
//    quantity that is no label or version ("bought 1,000.That").
//  - A period after an abbreviation ends a sentence only when the next word clearly starts one;
//    abbreviations come in kinds (titles, "number" abbreviations, inner ones, general ones);
//    an initialism like "U.K." ends one before a capitalised word that does not continue a name,
//    "a.m." and "p.m." before one that is no time zone, day or month.
//  - Initials and middle names ("Jonas E. Smith"), numbers, versions, URLs and e-mail addresses
//    (a period not followed by whitespace never ends a sentence).
//  - Ellipses: a spaced one is an omission inside a sentence; one attached to its word before a
//    capital ("waited... Nobody"), four dots, or a period and a spaced ellipsis, end it.
//  - Lists: numbered, lettered, Roman and bulleted items are sentences of their own, also when
//    several share a line ("1) first 2) second", "(a) … (b) …", "i) … ii) …") or the list
//    begins after a sentence on its line ("It is this. a. one b. two"), and each line of a list
//    is one even without punctuation.
//  - Blank lines end paragraphs; a line break ends a sentence after a heading, a short line,
//    or before a list item.
// Offsets are bytes into the text given; spans never begin or end with whitespace.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/text/abbreviations.h"

namespace mlpipe::text {

struct SentenceSpan {
  std::size_t start = 0;  // byte offset of the first byte
  std::size_t end = 0;    // byte offset past the last byte
  std::uint32_t para = 0; // 0-based paragraph (paragraphs without sentences are not counted)

  bool operator==(const SentenceSpan&) const = default;
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

  // For texts read a piece at a time: splits `piece`, which starts a paragraph (or the
  // text), numbering its paragraphs from `first_para`; returns the number of the next one.
  // `skip_bom`: the piece is the start of the text. Spans are offsets into `piece`.
  std::uint32_t split_piece(std::string_view piece, std::uint32_t first_para, bool skip_bom,
                            std::vector<SentenceSpan>& out) const;

  // Where a text whose first `text.size()` bytes are known may be cut so that splitting the
  // two parts apart gives what splitting it whole gives: the start of the last paragraph that
  // begins after a blank line, decided by what `text` holds. 0 when there is none.
  std::size_t last_paragraph_start(std::string_view text) const;

  const Abbreviations& abbreviations() const { return abbrevs_; }

 private:
  Abbreviations abbrevs_;
};

// The sentences of `text` with the built-in rules, as spans.
std::vector<SentenceSpan> split_sentences(std::string_view text);

}  // namespace mlpipe::text
