// The boundary rules: for each place where a sentence might end (a candidate, found by the
// scanner in sentences.cpp), a pure decision — split or not, where, and why — from the
// candidate and what surrounds it. The scanner alone cuts; nothing here has side effects, so
// each rule can be tested on its own (tests/unit/text/boundary.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mlpipe/text/abbreviations.h"
#include "mlpipe/text/list_markers.h"

namespace mlpipe::text {

// What the scanner knows when it meets a candidate.
struct BoundaryContext {
  std::string_view text;            // the whole text; every offset is into it
  std::size_t para_begin = 0;       // the paragraph: candidates never look past it
  std::size_t para_end = 0;
  std::size_t longest_line = 0;     // the paragraph's longest line, trimmed (short lines are titles)
  std::size_t sentence_begin = 0;   // the first byte of the sentence being built
  ListMarker marker;                // its list marker, if it starts with one
  const Abbreviations* abbreviations = nullptr;
};

struct Candidate {
  enum class Kind : std::uint8_t {
    terminator,  // `at` is the first byte of . ? ! … or another terminator
    list_label,  // `at` is a ')' that may close the next item's label ("… 2) second")
    bullet,      // `at` is a bullet (•) inside the sentence
    line_break,  // `at` is the '\n' ending a line that began at `line_begin`
  } kind = Kind::terminator;
  std::size_t at = 0;
  std::size_t line_begin = 0;
};

enum class Reason : std::uint8_t {
  // splits
  paragraph_end,           // only whitespace follows in the paragraph
  strong_terminator,       // ? ! ‼ before anything but a lowercase word
  cjk_terminator,          // 。！？． need no space after them
  ordinary_word,           // a period after a word that is no abbreviation
  number_after_word,       // "in 2010. 2011 was …"
  abbreviation_then_opener,  // "etc. The …", "U.S. How …"
  initialism_then_capital,   // "the U.K. Rents …" (not a name such as "U.S. Army")
  time_then_capital,       // "at 6 a.m. Travelers …" (not "6 p.m. Eastern Time")
  citation,                // ".[12] Then", ".3 Next", ".² Then"
  missing_space,           // "end.Next sentence"
  ellipsis_then_capital,   // "I waited... Nobody came."
  period_then_ellipsis,    // "compounds. . . . The practice"
  several_dots,            // four dots (an ellipsis and a period), or two
  next_list_label,         // "1) first 2) second": the sentence ends before "2)"
  list_starts,             // "Here it is. a. one b. two": the list begins after the sentence
  next_bullet,             // "• one • two"
  heading_line,            // a line with no lowercase letter ("CHAPTER IV")
  short_line,              // a short line before a capitalised one (a title, an address)
  list_item_line,          // the line of a list item, or the line before a list item
  // no split
  lowercase_follows,       // "Yahoo! in", "great.' she said"
  no_space_after,          // "3.14", "example.com", "e.g.,": a terminator inside a token
  omission_in_brackets,    // "[...]", "(...)"
  ellipsis_inside,         // "really ... well", ". . . I didn't"
  dash_follows,            // "He said — wow! — that it worked."
  title_abbreviation,      // "Mr. Smith"
  inner_abbreviation,      // "e.g. Paris"
  abbreviation_then_name,  // "U.S. Government", "Jonas E. Smith"
  number_follows,          // "p. 55", "No. 5", "ii. 2"
  introductory_phrase,     // "At 5 a.m. Mr. Smith went"
  not_next_label,          // a ')' or '.' that does not close the next item's label
  not_a_bullet_item,
  line_goes_on,            // a line break inside a sentence
};

struct Decision {
  bool split = false;
  std::size_t end = 0;     // with split: where the sentence ends (the next begins after whitespace)
  std::size_t resume = 0;  // where the scanner goes on looking for candidates
  Reason why = Reason::line_goes_on;
};

Decision decide(const Candidate& candidate, const BoundaryContext& context);

// The reason's name, for tests and diagnostics ("initialism_then_capital").
std::string_view reason_name(Reason why);

}  // namespace mlpipe::text
