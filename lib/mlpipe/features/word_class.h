// Word classes for syntactic features that carry over topics: a sentence becomes a
// sequence such as  "the N should V A N ."  rather than its words.
//
// A token's class is, in order of precedence:
//   - punctuation that marks argument structure: QUOTE COLON SEMI COMMA LRB RRB DASH
//     PERCENT END (. !) QUESTION;
//   - a function word (closed list: determiners, pronouns, modals, auxiliaries,
//     prepositions, conjunctions, negation, discourse markers): the lowercased word;
//   - a capitalised word that does not begin the sentence: PROPER (ACRONYM if all caps);
//   - a word the link-grammar dictionary knows: its ambiguity class, the sorted set of
//     coarse classes of its entries joined by '|' ("N|V" for "research");
//     coarse classes: N noun, V verb, VD past/participle, VG gerund, A adjective,
//     R adverb, P preposition, C conjunction, PROPER name;
//   - otherwise its shape: NUM, YEAR, and for words the suffix class "~ly", "~ing",
//     "~ed", "~tion", ... or "~" when no suffix applies.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "mlpipe/features/link_grammar.h"

namespace mlpipe::features {

// Shared by threads (classify is thread-safe); callers cache its answers per word.
class WordClassLexicon {
 public:
  explicit WordClassLexicon(std::shared_ptr<const LgDictionary> dict);

  // `token` as written in the sentence; `initial`: it begins the sentence (so its
  // capital letter says nothing).
  std::string classify(std::string_view token, bool initial) const;

  // The coarse class of one dictionary subscript ("n-u" -> "N"), empty if it has none.
  static std::string_view subscript_class(std::string_view subscript);
  // The class of a function word (already lowercased), or empty if it is not one.
  static std::string_view function_word(std::string_view lower);
  // The class of a punctuation token, or empty.
  static std::string_view punctuation(std::string_view token);
  // The class of a word the dictionary does not know, from its shape alone.
  static std::string shape(std::string_view token);

 private:
  std::shared_ptr<const LgDictionary> dict_;
};

}  // namespace mlpipe::features
