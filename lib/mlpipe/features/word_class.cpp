#include "mlpipe/features/word_class.h"

#include <algorithm>
#include <array>
#include <set>
#include <string>

namespace mlpipe::features {

namespace {

// Kept as themselves: these words are the syntax (a modal, a negation or a "because"
// is what tells a claim or a piece of evidence apart), and they are few enough that a
// model learns each one. Sorted, for binary search.
constexpr std::array kFunctionWords = std::to_array<std::string_view>({
    "'s", "a", "about", "above", "according", "accordingly", "across", "additionally",
    "after", "against", "all", "also", "although", "am", "among", "an", "and", "another",
    "any", "are", "as", "at", "be", "because", "been", "before", "being", "below",
    "besides", "between", "both", "but", "by", "can", "cannot", "consequently", "could",
    "despite", "did", "do", "does", "doing", "due", "during", "each", "either", "even",
    "every", "few", "finally", "first", "firstly", "for", "from", "furthermore", "had",
    "has", "have", "having", "he", "hence", "her", "hers", "herself", "him", "himself",
    "his", "however", "i", "if", "in", "indeed", "instead", "into", "is", "it", "its",
    "itself", "least", "less", "many", "may", "me", "meanwhile", "might", "mine", "more", "moreover", "most",
    "much", "must", "my", "myself", "n't", "neither", "never", "nevertheless", "no",
    "none", "nonetheless", "nor", "not", "nothing", "of", "often", "on", "only", "onto",
    "or", "other", "otherwise", "ought", "our", "ours", "ourselves", "over", "per",
    "rather", "secondly", "several", "shall", "she", "should", "since", "so", "some",
    "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then",
    "there", "therefore", "these", "they", "this", "those", "though", "through", "thus",
    "to", "toward", "towards", "under", "unless", "until", "upon", "us", "very", "via",
    "was", "we", "were", "what", "whatever", "when", "where", "whereas", "whether",
    "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without",
    "would", "yet", "you", "your", "yours", "yourself",
});

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (is_upper(c)) c = char(c - 'A' + 'a');
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() > suffix.size() + 1 && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

WordClassLexicon::WordClassLexicon(std::shared_ptr<const LgDictionary> dict) : dict_(std::move(dict)) {}

std::string_view WordClassLexicon::subscript_class(std::string_view sub) {
  if (sub.empty()) return {};
  // Past forms are told apart from the base verb: reported findings ("showed", "found")
  // are evidence's tense, claims are mostly in the present.
  if (sub.starts_with("v-d")) return "VD";
  switch (sub[0]) {
    case 'n': case 's': case 'u': return "N";   // noun, noun as modifier, unit
    case 'v': case 'q': case 'w': return "V";   // verb, verb of saying/thinking, auxiliary use
    case 'g': return "VG";
    case 'a': return "A";
    case 'e': return "R";
    case 'p': return "P";
    case 'j': case 'r': return "C";             // conjunction, relative
    case 'm': case 'b': case 'l': case 'f': return "PROPER";  // given names, places
    default: return {};
  }
}

std::string_view WordClassLexicon::function_word(std::string_view lower) {
  auto it = std::lower_bound(kFunctionWords.begin(), kFunctionWords.end(), lower);
  return it != kFunctionWords.end() && *it == lower ? *it : std::string_view{};
}

std::string_view WordClassLexicon::punctuation(std::string_view t) {
  if (t == "\"" || t == "\u201c" || t == "\u201d" || t == "''" || t == "``") return "QUOTE";
  if (t == ":") return "COLON";
  if (t == ";") return "SEMI";
  if (t == ",") return "COMMA";
  if (t == "(" || t == "[") return "LRB";
  if (t == ")" || t == "]") return "RRB";
  if (t == "-" || t == "--" || t == "\u2013" || t == "\u2014") return "DASH";
  if (t == "%") return "PERCENT";
  if (t == "." || t == "!" || t == "\u2026") return "END";
  if (t == "?") return "QUESTION";
  return {};
}

std::string WordClassLexicon::shape(std::string_view t) {
  bool digits = !t.empty(), letters = false;
  for (char c : t) {
    if (is_digit(c)) continue;
    digits = digits && (c == '.' || c == ',');
    if (is_lower(c) || is_upper(c) || static_cast<unsigned char>(c) >= 0x80) letters = true;
  }
  if (digits && !letters) {
    bool year = t.size() == 4 && (t.starts_with("1") || t.starts_with("20"));
    return year ? "YEAR" : "NUM";
  }
  std::string lower = ascii_lower(t);
  if (!letters) return "SYM";
  // Longer suffixes first where one ends another ("-ness" before "-s").
  static constexpr std::array kSuffixes = std::to_array<std::string_view>({
      "ness", "ment", "tion", "sion", "ity", "ism", "ist", "able", "ible", "ous", "ive",
      "ful", "less", "ical", "ic", "al", "ly", "ing", "ed", "ize", "ise", "er", "est", "s",
  });
  for (std::string_view s : kSuffixes)
    if (ends_with(lower, s)) return "~" + std::string(s);
  if (lower.find('-') != std::string::npos) return "~-";
  return "~";
}

std::string WordClassLexicon::classify(std::string_view token, bool initial) const {
  if (auto p = punctuation(token); !p.empty()) return std::string(p);
  std::string lower = ascii_lower(token);
  if (auto f = function_word(lower); !f.empty()) return std::string(f);
  if (!token.empty() && is_upper(token[0]) && !initial) {
    bool caps = token.size() > 1 && std::none_of(token.begin(), token.end(), is_lower);
    return caps ? "ACRONYM" : "PROPER";
  }
  std::set<std::string_view> classes;
  for (const std::string& sub : dict_->subscripts(lower))
    if (auto c = subscript_class(sub); !c.empty()) classes.insert(c);
  // A sentence-initial name is known to the dictionary only with its capital.
  if (classes.empty() && lower != token)
    for (const std::string& sub : dict_->subscripts(token))
      if (auto c = subscript_class(sub); !c.empty()) classes.insert(c);
  if (classes.empty()) return shape(token);
  std::string out;
  for (std::string_view c : classes) {
    if (!out.empty()) out += '|';
    out += c;
  }
  return out;
}

}  // namespace mlpipe::features
