#include "mlpipe/text/boundary.h"

#include <algorithm>
#include <array>
#include <iterator>

#include "mlpipe/text/punctuation.h"

namespace mlpipe::text {

namespace {

using Ctx = BoundaryContext;

// Words that typically open a sentence: pronouns, determiners, conjunctions, auxiliaries and
// sentence adverbs, the function words a clause starts with. After an ambiguous abbreviation
// ("U.S.", "Co.", an initial) such a capitalised word means a new sentence, while a name
// ("U.S. Government", "Albert I. Jones") means the same one goes on. Words that are also common
// names or surnames ("May", "Will", "Long") are left out. Sorted for binary search.
constexpr std::string_view kOpeners[] = {
    "A", "Above", "After", "Afterwards", "Again", "All", "Almost", "Already", "Also", "Although",
    "Always", "An", "And", "Another", "Any", "Anyone", "Anything", "Anyway", "Are", "As", "At",
    "Because", "Before", "Besides", "Both", "But", "By", "Can", "Certainly", "Clearly", "Consequently",
    "Could", "Did", "Do", "Does", "During", "Each", "Either", "Even", "Eventually", "Every", "Everybody",
    "Everyone", "Everything", "Few", "Finally", "First", "For", "Furthermore", "Had", "Has", "Have",
    "He", "Hence", "Her", "Here", "His", "How", "However", "I", "If", "In", "Indeed", "Instead", "Is",
    "It", "Its", "Last", "Later", "Let", "Many", "Maybe", "Meanwhile", "Moreover", "Most", "Much",
    "Must", "My", "Neither", "Never", "Nevertheless", "Next", "No", "Nobody", "None", "Nonetheless",
    "Nor", "Not", "Nothing", "Now", "Often", "On", "Once", "One", "Only", "Or", "Otherwise", "Our",
    "Perhaps", "Please", "Should", "Similarly", "Since", "So", "Some", "Somebody", "Someone",
    "Something", "Sometimes", "Soon", "Such", "Suddenly", "That", "The", "Their", "Them", "Then",
    "There", "Therefore", "These", "They", "This", "Those", "Though", "Thus", "To", "Today", "Tomorrow",
    "Under", "Unfortunately", "Until", "Usually", "Was", "We", "Were", "What", "Whatever", "When",
    "Whenever", "Where", "Whether", "Which", "While", "Who", "Whose", "Why", "With", "Would", "Yes",
    "Yesterday", "Yet", "You", "Your",
};

// Capitalised words that continue a name after an initialism ("U.S. Army", "U.K. Parliament",
// "D.C. Circuit"): the initialism is then inside the sentence. Sorted for binary search.
constexpr std::string_view kNameContinuations[] = {
    "Agency", "Air", "Ambassador", "Army", "Attorney", "Bank", "Border", "Bureau", "Cabinet", "Capitol",
    "Census", "Circuit", "Citizenship", "Coast", "Code", "Command", "Commission", "Congress", "Constitution",
    "Consulate", "Council", "Court", "Customs", "Department", "Dept", "Dollar", "Dollars", "Embassy", "Federal",
    "Forces", "Foreign", "General", "Geological", "Government", "Highway", "Home", "House", "Intelligence",
    "Marine", "Marines", "Military", "Mint", "Navy", "Office", "Olympic", "Open", "Parliament", "Patent",
    "Postal", "Pound", "President", "Prime", "Public", "Representative", "Route", "Secretary", "Senate",
    "Senator", "Space", "Special", "State", "Steel", "Supreme", "Trade", "Treasury", "Visa",
};

// Capitalised words that go on after "a.m." or "p.m.": time zones, days and months ("6 p.m.
// Eastern Time", "8 p.m. Tuesday", "9 a.m. March 3"). Sorted for binary search.
constexpr std::string_view kTimeContinuations[] = {
    "April", "Atlantic", "August", "Central", "Daylight", "December", "Eastern", "February", "Friday",
    "Greenwich", "January", "July", "June", "Local", "March", "May", "Monday", "Mountain", "November",
    "October", "Pacific", "Saturday", "September", "Standard", "Sunday", "Thursday", "Tuesday",
    "Universal", "Wednesday",
};

static_assert(std::is_sorted(std::begin(kOpeners), std::end(kOpeners)));
static_assert(std::is_sorted(std::begin(kNameContinuations), std::end(kNameContinuations)));
static_assert(std::is_sorted(std::begin(kTimeContinuations), std::end(kTimeContinuations)));

// Prepositions that begin a short introductory phrase ("At 5 a.m. Mr. Smith went …"): an
// abbreviation closing such a phrase does not end the sentence.
constexpr std::string_view kIntroPrepositions[] = {"about", "after", "around", "at",    "before", "by",
                                                   "during", "from", "in",     "near", "on",     "since",
                                                   "till",   "until"};

bool sorted_contains(const std::string_view* begin, const std::string_view* end, std::string_view w) {
  return std::binary_search(begin, end, w);
}

std::size_t skip_spaces(std::string_view s, std::size_t i, std::size_t limit) {
  while (i < limit) {
    std::size_t w = space_len(s, i);
    if (w == 0) break;
    i += w;
  }
  return i;
}

std::size_t trim_back(std::string_view s, std::size_t from, std::size_t to) {
  while (to > from) {
    std::size_t w = space_len_before(s, to);
    if (w == 0) break;
    to -= w;
  }
  return to;
}

std::size_t skip_openers(std::string_view s, std::size_t i, std::size_t limit) {
  while (i < limit) {
    std::size_t o = opener_len(s, i);
    if (o == 0) break;
    i += o;
  }
  return i;
}

// What follows a candidate: the first word after whitespace and opening quotes.
struct Next {
  bool end = false;       // nothing but whitespace up to the paragraph's end
  bool dash = false;      // a dash on the same line comes first ("wow! — that")
  Case kind = Case::none;
  std::string_view word;  // the run of ASCII letters there
  std::size_t word_end = 0;
  bool word_then_period = false;
};

Next next_after(const Ctx& x, std::size_t i) {
  Next nx;
  const std::size_t from = i;
  i = skip_spaces(x.text, i, x.para_end);
  if (i < x.para_end && dash_len(x.text, i) && x.text.substr(from, i - from).find('\n') == std::string_view::npos) {
    nx.dash = true;
    return nx;
  }
  i = skip_openers(x.text, i, x.para_end);
  if (i >= x.para_end) {
    nx.end = true;
    return nx;
  }
  nx.kind = case_at(x.text, i);
  std::size_t j = i;
  while (j < x.para_end && ascii_letter(byte_at(x.text, j))) ++j;
  nx.word = x.text.substr(i, j - i);
  nx.word_end = j;
  nx.word_then_period = j < x.para_end && x.text[j] == '.';
  return nx;
}

// The start of the whitespace-delimited token that ends at `p`, after opening quotes.
std::size_t token_start(const Ctx& x, std::size_t p) {
  std::size_t q = p;
  while (q > x.para_begin && space_len_before(x.text, q) == 0) --q;
  while (q < p) {
    std::size_t o = opener_len(x.text, q);
    if (o == 0) break;
    q += o;
  }
  return q;
}

// Whether the capitalised word at the start of a sentence-initial phrase is a preposition,
// and the phrase up to `q` has at most three words: "At 5 a.m." goes on.
bool short_introductory_phrase(const Ctx& x, std::size_t q) {
  int words = 0;
  std::size_t i = x.sentence_begin;
  std::string_view first_word;
  while (i < q) {
    std::size_t w = i;
    while (i < q && space_len(x.text, i) == 0) ++i;
    if (words == 0) first_word = x.text.substr(w, i - w);
    ++words;
    i = skip_spaces(x.text, i, q);
  }
  if (words == 0 || words > 3 || first_word.empty() || first_word.size() > 8) return false;
  char buf[8];
  for (std::size_t k = 0; k < first_word.size(); ++k) {
    const auto ch = byte_at(first_word, k);
    buf[k] = ch < 0x80 ? char(unicode::to_lower(ch)) : char(ch);
  }
  std::string_view lw(buf, first_word.size());
  return std::find(std::begin(kIntroPrepositions), std::end(kIntroPrepositions), lw) != std::end(kIntroPrepositions);
}

// Whether the word before the token at q (within this sentence) is capitalised.
bool previous_word_capitalised(const Ctx& x, std::size_t q) {
  std::size_t b = q;
  while (b > x.sentence_begin && space_len_before(x.text, b) == 0) --b;
  if (b <= x.sentence_begin) return false;  // the sentence's first word
  std::size_t e = trim_back(x.text, x.sentence_begin, b);
  std::size_t a = e;
  while (a > x.sentence_begin && space_len_before(x.text, a) == 0) --a;
  a = skip_openers(x.text, a, e);
  return a < e && case_at(x.text, a) == Case::upper;
}

bool short_capitalised(std::string_view tok) {
  if (tok.size() < 2 || tok.size() > 5 || !ascii_upper(byte_at(tok, 0))) return false;
  for (std::size_t i = 1; i < tok.size(); ++i)
    if (!ascii_lower(byte_at(tok, i))) return false;
  return true;
}

bool lowercase_roman(std::string_view tok) {
  return tok.size() <= 6 && tok.find_first_not_of("ivxlc") == std::string_view::npos;
}

// "U.S", "e.g", "Ph.D": groups of one or two letters joined by single periods.
bool dotted_letters(std::string_view tok) {
  if (tok.find('.') == std::string_view::npos) return false;
  std::size_t group = 0;
  for (std::size_t i = 0; i < tok.size(); ++i) {
    const auto c = byte_at(tok, i);
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

// "U.S", "U.K", "E.U": single capitals joined by periods, an initialism of a country or body.
bool capital_initialism(std::string_view tok) {
  if (tok.size() < 3) return false;
  for (std::size_t i = 0; i < tok.size(); ++i) {
    const auto c = byte_at(tok, i);
    if (i % 2 == 0 ? !ascii_upper(c) : c != '.') return false;
  }
  return true;
}

bool all_ascii_letters(std::string_view w) {
  if (w.empty()) return false;
  for (std::size_t i = 0; i < w.size(); ++i)
    if (!ascii_letter(byte_at(w, i))) return false;
  return true;
}

// "a.m", "P.M": the abbreviations of a time of day.
bool time_of_day(std::string_view tok) {
  return tok.size() == 3 && tok[1] == '.' && (tok[2] == 'm' || tok[2] == 'M') &&
         (tok[0] == 'a' || tok[0] == 'A' || tok[0] == 'p' || tok[0] == 'P');
}

// Whether a capitalised word goes on after "a.m." or "p.m.": a time zone, a day or a month, or
// a zone's initials ("EST", "GMT", "UTC").
bool continues_time(std::string_view w) {
  if (sorted_contains(std::begin(kTimeContinuations), std::end(kTimeContinuations), w)) return true;
  if (w.size() < 2 || w.size() > 4) return false;
  for (std::size_t i = 0; i < w.size(); ++i)
    if (!ascii_upper(byte_at(w, i))) return false;
  return true;
}

// Whether the word after the one that follows a candidate is capitalised too ("U.S. Forest
// Service", "U.K. Border Force"): the two are then a name, not a sentence's first words. A lone
// capital ("Yesterday I") does not count.
bool name_follows(const Ctx& x, const Next& nx) {
  const std::size_t w = skip_spaces(x.text, nx.word_end, x.para_end);
  if (w == nx.word_end || w + 1 >= x.para_end) return false;
  if (!ascii_upper(byte_at(x.text, w)) || !ascii_lower(byte_at(x.text, w + 1))) return false;
  std::size_t e = w;
  while (e < x.para_end && ascii_letter(byte_at(x.text, e))) ++e;
  return !sorted_contains(std::begin(kOpeners), std::end(kOpeners), x.text.substr(w, e - w));
}

// A quantity written so that it cannot be a list label, a section or a version: digits grouped
// by commas ("1,000", "12,500.75"), an amount after a currency sign ("$100", "€4.50"), or a
// percentage ("50%"). "I bought 1,000.That is a lot." lacks a space after it.
bool quantity(std::string_view tok) {
  std::size_t i = 0;
  bool currency = false;
  for (std::string_view sign : {"$", "\xC2\xA3", "\xE2\x82\xAC", "\xC2\xA5"})
    if (has_at(tok, 0, sign)) {
      i = sign.size();
      currency = true;
      break;
    }
  const std::size_t first = i;
  while (i < tok.size() && ascii_digit(byte_at(tok, i))) ++i;
  if (i == first) return false;
  // Groups of three digits after commas ("1,000", "12,500,000"), the first group of one to three.
  auto group_at = [&](std::size_t k) {
    return k + 3 < tok.size() && tok[k] == ',' && ascii_digit(byte_at(tok, k + 1)) &&
           ascii_digit(byte_at(tok, k + 2)) && ascii_digit(byte_at(tok, k + 3)) &&
           (k + 4 == tok.size() || !ascii_digit(byte_at(tok, k + 4)));
  };
  bool grouped = false;
  if (i - first <= 3) {
    while (group_at(i)) {
      i += 4;
      grouped = true;
    }
  }
  if (i + 1 < tok.size() && tok[i] == '.' && ascii_digit(byte_at(tok, i + 1))) {
    ++i;
    while (i < tok.size() && ascii_digit(byte_at(tok, i))) ++i;
  }
  if (i + 1 == tok.size() && tok[i] == '%') return true;
  return i == tok.size() && (grouped || currency);
}

Decision split_at(std::size_t end, std::size_t resume, Reason why) { return Decision{true, end, resume, why}; }
Decision go_on(std::size_t resume, Reason why) { return Decision{false, 0, resume, why}; }

// The next item's label ends at p ("2" before ")" or "."): the sentence ends before it.
std::size_t next_label_start(const Ctx& x, std::size_t p) {
  const std::size_t q = [&] {
    std::size_t k = p;
    while (k > x.sentence_begin && space_len_before(x.text, k) == 0) --k;
    return k;
  }();
  if (q <= x.sentence_begin || q == p) return std::string_view::npos;
  return is_next_label(x.marker, x.text.substr(q, p - q)) ? q : std::string_view::npos;
}

bool enumerated(const ListMarker& m) {
  return m.kind == ListMarker::Kind::number || m.kind == ListMarker::Kind::letter || m.kind == ListMarker::Kind::roman;
}

// A list that starts on the line of the sentence before it: "Here is the list. a. one b. two",
// "It ends here! (a) one (b) two". The token ending at `p` (the delimiter's first byte) is a first
// item's marker ("a.", "a)", "(a)", "i.", "1.", "1)"; not a capital letter, which is an initial),
// it follows a sentence's terminator (which a lowercase label did not let end), and the next
// item's marker ("b.", "(b)", "ii.", "2.") comes later in the paragraph, within kListLookahead
// bytes. After a colon the items are an enumeration inside a sentence ("three parts: (1) a head,
// (2) a body, and (3) a tail"), as running prose writes them, so a colon does not start a list.
// Where the marker starts and ends, or nothing.
constexpr std::size_t kListLookahead = 2000;

struct InlineList {
  bool found = false;
  std::size_t start = 0;
  std::size_t end = 0;
};

InlineList inline_list_start(const Ctx& x, std::size_t p) {
  const std::string_view s = x.text;
  std::size_t r = p;
  while (r > x.sentence_begin && space_len_before(s, r) == 0) --r;
  if (r <= x.sentence_begin || enumerated(x.marker)) return {};
  ListMarker m = parse_list_marker(s, r, x.para_end);
  if (!enumerated(m) || m.end <= p || m.end > p + 2) return {};
  // A lone "i" is a letter to parse_list_marker; a Roman numeral has two letters or more.
  const bool first = (m.kind == ListMarker::Kind::number && m.value == 1) ||
                     (m.kind == ListMarker::Kind::letter && (m.value == 'a' || m.value == 'i'));
  if (!first) return {};
  // What comes before: a terminator and the closing quotes and brackets after it.
  std::size_t b = trim_back(s, x.sentence_begin, r);
  if (b == r || b <= x.sentence_begin) return {};
  while (b > x.sentence_begin) {
    const auto c = byte_at(s, b - 1);
    if (c == '"' || c == '\'' || c == ')' || c == ']') {
      --b;
    } else if (b >= x.sentence_begin + 3 && (has_at(s, b - 3, "\xE2\x80\x9D") || has_at(s, b - 3, "\xE2\x80\x99"))) {
      b -= 3;  // ” ’
    } else {
      break;
    }
  }
  if (b <= x.sentence_begin) return {};
  const auto before = byte_at(s, b - 1);
  if (before != '.' && before != '?' && before != '!') return {};
  // The next item's marker, as a token of its own: "b." after "a.", "(2)" after "(1)", "ii)" or
  // "j)" after "i)". Searched for as a string, so that a long paragraph costs little.
  std::string_view labels[2] = {"j", "ii"};
  if (m.kind == ListMarker::Kind::number || m.value == 'a') {
    labels[0] = m.kind == ListMarker::Kind::number ? "2" : "b";
    labels[1] = {};
  }
  const std::size_t limit = std::min(x.para_end, m.end + kListLookahead);
  const std::string_view window = s.substr(0, limit);
  for (std::string_view label : labels) {
    if (label.empty()) continue;
    std::array<char, 8> buf{};
    std::size_t n = 0;
    if (m.parenthesized) buf[n++] = '(';
    for (char ch : label) buf[n++] = ch;
    for (char ch : m.delim) buf[n++] = ch;
    const std::string_view needle(buf.data(), n);
    for (std::size_t i = window.find(needle, m.end); i != std::string_view::npos; i = window.find(needle, i + 1)) {
      const auto prev = byte_at(s, i - 1);
      if ((prev == ' ' || prev == '\t' || prev == '\n') && parse_list_marker(s, i, x.para_end).end == i + n)
        return InlineList{true, r, m.end};
    }
  }
  return {};
}

// "end.Next sentence": a period (or ? !) between a lowercase word and a capitalised one with
// no space, in a token that is no address, file name, number or abbreviation; or after a
// quantity that is no label, section or version ("bought 1,000.That is", but "10.Then",
// "2.0.Beta", "e.g.That" stay whole).
bool missing_space(const Ctx& x, std::size_t p, std::size_t after) {
  const std::string_view s = x.text;
  const std::size_t end = x.para_end;
  if (after >= end || !ascii_upper(byte_at(s, after))) return false;
  std::size_t j = after + 1;
  while (j < end && ascii_lower(byte_at(s, j))) ++j;
  if (j == after + 1) return false;  // "end.N" or "end.NASA": not a word
  if (j < end && space_len(s, j) == 0) {
    const auto c = byte_at(s, j);
    if (c != ',' && c != ';' && c != ':' && c != '!' && c != '?' && c != '.') return false;
    if (j + 1 < end && space_len(s, j + 1) == 0) return false;  // "file.Name.txt", "a.Com/path"
  }
  const std::size_t q = token_start(x, p);
  const std::string_view left = s.substr(q, p - q);
  if (quantity(left)) return true;
  if (left.size() < 2 || !all_ascii_letters(left) || !ascii_lower(byte_at(left, left.size() - 1))) return false;
  return !x.abbreviations->find(left);
}

// The length of citation marks right after a terminator: "[12]", "[3, 4][5]", "[7–9]",
// superscript digits, or 1 to 3 plain digits (a footnote) after a word; 0 when none.
std::size_t citation_len(const Ctx& x, std::size_t p, std::size_t c) {
  const std::string_view s = x.text;
  const std::size_t end = x.para_end;
  std::size_t i = c;
  while (i < end && s[i] == '[') {
    std::size_t j = i + 1;
    std::size_t digits = 0;
    while (j < end) {
      const auto ch = byte_at(s, j);
      if (ascii_digit(ch)) {
        ++digits;
        ++j;
      } else if (ch == ',' || ch == '-' || ch == ' ') {
        ++j;
      } else if (has_at(s, j, "\xE2\x80\x93")) {
        j += 3;
      } else {
        break;
      }
    }
    if (digits == 0 || j >= end || s[j] != ']') break;
    i = j + 1;
  }
  if (i > c) return i - c;
  while (i < end) {
    std::size_t w = superscript_digit_len(s, i);
    if (w == 0) break;
    i += w;
  }
  if (i > c) return i - c;
  // Plain digits: only after a word of letters (not "3.14", not "No.3", not "v1.2").
  while (i < end && ascii_digit(byte_at(s, i)) && i - c < 4) ++i;
  if (i == c || i - c > 3 || (i < end && space_len(s, i) == 0)) return 0;
  if (c != p + 1) return 0;  // a bare period, no quotes in between
  const std::size_t q = token_start(x, p);
  const std::string_view left = s.substr(q, p - q);
  if (left.size() < 2 || !all_ascii_letters(left) || x.abbreviations->find(left)) return 0;
  return i - c;
}

// A single period at p, whitespace or the end after its closers (ending at c).
Decision period(const Ctx& x, std::size_t p, std::size_t c, const Next& nx) {
  if (nx.end) return split_at(c, c, Reason::paragraph_end);
  if (nx.kind == Case::lower) return go_on(c, Reason::lowercase_follows);
  const std::size_t q = token_start(x, p);
  const std::string_view tok = x.text.substr(q, p - q);
  if (tok.empty()) return split_at(c, c, Reason::ordinary_word);

  enum class Word { ordinary, general, title, number, inner } word = Word::ordinary;
  if (auto kind = x.abbreviations->find(tok)) {
    switch (*kind) {
      case AbbrevKind::general: word = Word::general; break;
      case AbbrevKind::title: word = ascii_upper(byte_at(tok, 0)) ? Word::title : Word::general; break;
      case AbbrevKind::number: word = Word::number; break;
      case AbbrevKind::inner: word = Word::inner; break;
    }
  } else if (dotted_letters(tok)) {
    word = Word::general;
  } else if (tok.size() == 1 && ascii_upper(byte_at(tok, 0))) {
    // An initial, or the pronoun I ("you and I. Did you see Albert I. Jones?").
    word = (tok[0] != 'I' || previous_word_capitalised(x, q)) ? Word::general : Word::ordinary;
  }

  if (nx.kind == Case::digit) {
    // "p. 55", "No. 5", and references like "Essays, ii. 2" or "(Mat. 20.28)" go on.
    if (word == Word::ordinary && !lowercase_roman(tok) && !short_capitalised(tok))
      return split_at(c, c, Reason::number_after_word);
    return go_on(c, Reason::number_follows);
  }
  switch (word) {
    case Word::ordinary:
    case Word::number: return split_at(c, c, Reason::ordinary_word);
    case Word::title: return go_on(c, Reason::title_abbreviation);
    case Word::inner: return go_on(c, Reason::inner_abbreviation);
    case Word::general: break;
  }
  if (nx.kind != Case::upper) return go_on(c, Reason::abbreviation_then_name);
  bool opens = sorted_contains(std::begin(kOpeners), std::end(kOpeners), nx.word) && !nx.word_then_period;
  if (!opens && nx.word_then_period) {
    auto k = x.abbreviations->find(nx.word);
    opens = k && *k == AbbrevKind::title;  // "… at 6 P.M. Mr. Smith then went"
  }
  if (short_introductory_phrase(x, q)) return go_on(c, Reason::introductory_phrase);
  if (opens) return split_at(c, c, Reason::abbreviation_then_opener);
  const std::string_view bare = x.text.substr(q, p + 1 - q);
  const bool plain = bare.size() == tok.size() + 1 && nx.word.size() >= 2 && !nx.word_then_period;
  // "He left at 6 a.m. Travelers waited.": a time of day before a capitalised word that is no
  // time zone, day or month ("6 p.m. Eastern Time", "8 p.m. Tuesday" go on).
  if (time_of_day(tok)) {
    if (plain && !continues_time(nx.word)) return split_at(c, c, Reason::time_then_capital);
    return go_on(c, Reason::abbreviation_then_name);
  }
  // "They moved to the U.K. Rents were lower.": a country's or body's initialism ends a sentence
  // before a capitalised word that is not part of a name: a word that does not continue names
  // of bodies ("U.S. Army", "U.K. Parliament") and is not followed by another capitalised word
  // ("U.S. Forest Service"). An opener ("Then", "He") has ended it above.
  if (capital_initialism(tok) && plain &&
      !sorted_contains(std::begin(kNameContinuations), std::end(kNameContinuations), nx.word) && !name_follows(x, nx))
    return split_at(c, c, Reason::initialism_then_capital);
  return go_on(c, Reason::abbreviation_then_name);
}

Decision terminator(const Ctx& x, std::size_t p) {
  const std::string_view s = x.text;
  const std::size_t pe = x.para_end;
  // The attached run: ". ", "...", "?!", "…." and so on.
  std::size_t j = p;
  int dots = 0;
  bool strong = false, cjk = false;
  while (j < pe) {
    Terminator t = terminator_at(s, j);
    if (!t.len) break;
    dots += t.dots;
    strong |= t.strong;
    cjk |= t.cjk;
    j += t.len;
  }
  const std::size_t attached_end = j;
  // A spaced ellipsis continuing it: ". . ." (one to three spaces between the dots).
  int spaced = 0;
  while (!strong && j + 1 < pe && s[j] == ' ') {
    std::size_t k = j + 1;
    while (k < pe && s[k] == ' ' && k - j < 3) ++k;
    int more = 0;
    while (k < pe) {
      Terminator t = terminator_at(s, k);
      if (!t.len || t.strong) break;
      more += t.dots;
      k += t.len;
    }
    if (more == 0) break;
    spaced += more;
    j = k;
  }
  const std::size_t cluster_end = j;
  const bool space_before = space_len_before(s, p) != 0;

  if (dots >= 2 && p > x.para_begin && (s[p - 1] == '[' || s[p - 1] == '('))
    return go_on(cluster_end, Reason::omission_in_brackets);

  // A single period may be a list item's delimiter ("a. first b. second").
  if (!strong && dots == 1 && spaced == 0 && attached_end == p + 1 && enumerated(x.marker) &&
      (x.marker.delim == "." || x.marker.delim == ".)") && !x.marker.parenthesized) {
    if (std::size_t q = next_label_start(x, p); q != std::string_view::npos)
      return split_at(q, attached_end, Reason::next_list_label);
  }
  // Or the delimiter of a list's first item after a sentence ("Here it is. a. one b. two").
  if (!strong && dots == 1 && spaced == 0 && attached_end == p + 1) {
    if (const InlineList l = inline_list_start(x, p); l.found) return split_at(l.start, l.end, Reason::list_starts);
  }

  // Closing quotes and brackets, then citation marks, then whitespace (or the end) must follow,
  // except after CJK punctuation.
  std::size_t c = cluster_end;
  while (c < pe) {
    std::size_t w = closer_len(s, c);
    if (w == 0) break;
    c += w;
  }
  const bool single = spaced == 0 && attached_end == p + 1;
  if (single && c == cluster_end && missing_space(x, p, c)) return split_at(c, c, Reason::missing_space);
  if (std::size_t cite = c < pe && !space_before ? citation_len(x, p, c) : 0) {
    const std::size_t after = c + cite;
    if (after < pe && space_len(s, after) == 0) return go_on(cluster_end, Reason::no_space_after);
    Next nx = next_after(x, after);
    if (nx.end || nx.kind == Case::upper) return split_at(after, after, Reason::citation);
    return go_on(after, Reason::lowercase_follows);
  }
  if (c < pe && space_len(s, c) == 0) {
    if (!cjk || !strong) return go_on(cluster_end, Reason::no_space_after);
  }

  Next nx = next_after(x, c);
  if (nx.dash) return go_on(c, Reason::dash_follows);
  if (strong) {
    if (nx.kind == Case::lower) return go_on(c, Reason::lowercase_follows);
    return split_at(c, c, nx.end ? Reason::paragraph_end : cjk ? Reason::cjk_terminator : Reason::strong_terminator);
  }
  const int total = dots + spaced;
  if (total == 1) return period(x, p, c, nx);
  if (dots == 1 && spaced >= 3 && p > x.para_begin && !space_before) {
    // "compounds. . . . The practice": the period ends the sentence, the ellipsis opens the next.
    if (!nx.end && (nx.kind == Case::upper || nx.kind == Case::digit))
      return split_at(p + 1, c, Reason::period_then_ellipsis);
    return go_on(c, Reason::ellipsis_inside);
  }
  if (total == 3) {
    if (nx.end) return split_at(c, c, Reason::paragraph_end);
    // An ellipsis attached to its word and followed by a capital ends a trailing sentence
    // ("I waited... Nobody came."); a spaced one marks an omission (". . . I didn't").
    if (spaced == 0 && !space_before && p > x.para_begin && nx.kind == Case::upper && c == cluster_end)
      return split_at(c, c, Reason::ellipsis_then_capital);
    return go_on(c, Reason::ellipsis_inside);
  }
  if (nx.kind == Case::lower) return go_on(c, Reason::lowercase_follows);
  return split_at(c, c, nx.end ? Reason::paragraph_end : Reason::several_dots);
}

Decision list_label(const Ctx& x, std::size_t p) {
  if (enumerated(x.marker) && x.marker.delim == ")") {
    if (std::size_t q = next_label_start(x, p); q != std::string_view::npos)
      return split_at(q, p + 1, Reason::next_list_label);
  }
  if (const InlineList l = inline_list_start(x, p); l.found) return split_at(l.start, l.end, Reason::list_starts);
  return go_on(p + 1, Reason::not_next_label);
}

Decision bullet(const Ctx& x, std::size_t p) {
  const std::size_t b = bullet_len(x.text, p);
  // A bullet inside a sentence that began with the same bullet starts the next item.
  if (x.marker.kind == ListMarker::Kind::bullet && !x.marker.ascii_bullet && p > x.sentence_begin &&
      x.text.substr(p, b) == x.marker.bullet && space_len_before(x.text, p))
    return split_at(p, p + b, Reason::next_bullet);
  return go_on(p + b, Reason::not_a_bullet_item);
}

Decision line_break(const Ctx& x, std::size_t ls, std::size_t nl) {
  const std::string_view s = x.text;
  const std::size_t next = skip_spaces(s, nl + 1, x.para_end);
  if (next >= x.para_end) return go_on(nl + 1, Reason::line_goes_on);
  const ListMarker m = parse_list_marker(s, next, x.para_end);
  if (m.kind == ListMarker::Kind::bullet || m.kind == ListMarker::Kind::number)
    return split_at(nl, nl + 1, Reason::list_item_line);
  if (m.kind == ListMarker::Kind::letter || m.kind == ListMarker::Kind::roman) {
    // "a. item" / "b) item"; not an initial ("A. Lincoln") that a wrapped line begins with.
    if (m.kind == ListMarker::Kind::roman || ascii_lower(byte_at(s, next)) || m.delim != "." || m.parenthesized)
      return split_at(nl, nl + 1, Reason::list_item_line);
  }
  const std::size_t a = skip_spaces(s, ls, nl);
  const std::size_t b = trim_back(s, a, nl);
  if (b <= a) return go_on(nl + 1, Reason::line_goes_on);
  const auto last = byte_at(s, b - 1);
  if (last == ',' || last == ';' || last == '-' || last == '&') return go_on(nl + 1, Reason::line_goes_on);
  // A heading: letters, none of them lowercase ("CHAPTER IV", "PREFACE").
  int letters = 0;
  bool lower = false;
  for (std::size_t i = a; i < b && !lower; ++i) {
    const auto ch = byte_at(s, i);
    if (ascii_lower(ch))
      lower = true;
    else if (ascii_upper(ch))
      ++letters;
  }
  if (!lower && letters >= 2) return split_at(nl, nl + 1, Reason::heading_line);
  const std::size_t w = skip_openers(s, next, x.para_end);
  const Case k = w < x.para_end ? case_at(s, w) : Case::none;
  const bool capital = k == Case::upper || k == Case::digit;
  // A short line before a capitalised one: a title, a salutation, an address line.
  if (2 * (b - a) < x.longest_line && capital) return split_at(nl, nl + 1, Reason::short_line);
  // The line of a list item ends it when the next line starts anew ("- apples\nThat is all"),
  // unless the line is as long as the text's lines: then it wraps (section "1.E.4." or not).
  const bool item = x.marker.kind == ListMarker::Kind::bullet || (enumerated(x.marker) && x.marker.value != 0);
  if (item && ls <= x.sentence_begin && capital && 4 * (b - a) < 3 * x.longest_line)
    return split_at(nl, nl + 1, Reason::list_item_line);
  return go_on(nl + 1, Reason::line_goes_on);
}

}  // namespace

Decision decide(const Candidate& candidate, const BoundaryContext& context) {
  switch (candidate.kind) {
    case Candidate::Kind::terminator: return terminator(context, candidate.at);
    case Candidate::Kind::list_label: return list_label(context, candidate.at);
    case Candidate::Kind::bullet: return bullet(context, candidate.at);
    case Candidate::Kind::line_break: return line_break(context, candidate.line_begin, candidate.at);
  }
  return go_on(candidate.at + 1, Reason::line_goes_on);
}

std::string_view reason_name(Reason why) {
  switch (why) {
    case Reason::paragraph_end: return "paragraph_end";
    case Reason::strong_terminator: return "strong_terminator";
    case Reason::cjk_terminator: return "cjk_terminator";
    case Reason::ordinary_word: return "ordinary_word";
    case Reason::number_after_word: return "number_after_word";
    case Reason::abbreviation_then_opener: return "abbreviation_then_opener";
    case Reason::initialism_then_capital: return "initialism_then_capital";
    case Reason::time_then_capital: return "time_then_capital";
    case Reason::citation: return "citation";
    case Reason::missing_space: return "missing_space";
    case Reason::ellipsis_then_capital: return "ellipsis_then_capital";
    case Reason::period_then_ellipsis: return "period_then_ellipsis";
    case Reason::several_dots: return "several_dots";
    case Reason::next_list_label: return "next_list_label";
    case Reason::list_starts: return "list_starts";
    case Reason::next_bullet: return "next_bullet";
    case Reason::heading_line: return "heading_line";
    case Reason::short_line: return "short_line";
    case Reason::list_item_line: return "list_item_line";
    case Reason::lowercase_follows: return "lowercase_follows";
    case Reason::no_space_after: return "no_space_after";
    case Reason::omission_in_brackets: return "omission_in_brackets";
    case Reason::ellipsis_inside: return "ellipsis_inside";
    case Reason::dash_follows: return "dash_follows";
    case Reason::title_abbreviation: return "title_abbreviation";
    case Reason::inner_abbreviation: return "inner_abbreviation";
    case Reason::abbreviation_then_name: return "abbreviation_then_name";
    case Reason::number_follows: return "number_follows";
    case Reason::introductory_phrase: return "introductory_phrase";
    case Reason::not_next_label: return "not_next_label";
    case Reason::not_a_bullet_item: return "not_a_bullet_item";
    case Reason::line_goes_on: return "line_goes_on";
  }
  return "?";
}

}  // namespace mlpipe::text
