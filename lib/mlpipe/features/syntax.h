// The `syntax` feature group: what a sentence is built like, not what it is about.
// MARGOT found that the form of a sentence is what carries claim and evidence detectors
// to topics they were not trained on; these features give a linear model that form.
//
//   pos  (0..4, default 3)  n-grams of word classes (word_class.h) of lengths 1..pos,
//                           with sentence begin/end markers. No parse: a dictionary
//                           lookup per new word, then hashing (tens of thousands of
//                           sentences per second per core).
//   tree (0..4, default 0)  fragments of the link-grammar constituent tree up to this
//                           depth: each node's production (NP -> the A N) and, for
//                           depth d, the node with its subtrees expanded d-1 levels
//                           (as in a subset-tree kernel, but only the fully expanded
//                           fragment of each depth). Words appear as their class, so
//                           fragments carry over topics. A full parse is expensive
//                           (about a hundred sentences per second per core): opt-in.
//   bits (8..24, default 18) the block holds 2^bits hashed features.
//
// Values are counts, then the block is L2-normalised. A sentence that cannot be parsed
// (no complete linkage, too long, or over the time limit) simply has no tree features;
// SyntaxExtractor::stats() counts them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/features/group.h"

namespace mlpipe::features {

// Seeds of the group's hashes: part of the feature contract like those of hash.h.
inline constexpr std::uint64_t kSyntaxClassSeed = 0x6d6c73796e2d636cULL;  // a word class
inline constexpr std::uint64_t kSyntaxNgramSeed = 0x6d6c73796e2d6e67ULL;  // start of a class n-gram
inline constexpr std::uint64_t kSyntaxTreeSeed = 0x6d6c73796e2d7472ULL;   // a tree node label

// The markers added around a sentence's classes for n-grams.
inline constexpr std::string_view kSentenceBegin = "<s>";
inline constexpr std::string_view kSentenceEnd = "</s>";

// The group's parameters, in canonical order, with their defaults and ranges.
struct SyntaxParams {
  int pos = 3;
  int tree = 0;
  int bits = 18;
  // Missing parameters take their default; out-of-range ones are a usage error.
  static SyntaxParams from(const GroupSpec& spec);
};

std::unique_ptr<FeatureGroup> make_syntax_group(const GroupSpec& spec);

// Splits a sentence into the tokens that get a class: words (with inner hyphens,
// apostrophes, and '.' or ',' between digits), the clitics "'s" and "n't" split off
// ("don't" -> "do" "n't"), and punctuation marks one by one (curly quotes, dashes and
// the ellipsis as one token each). A curly apostrophe is written as "'". The views
// point into `buf`.
void syntax_tokens(std::string_view text, std::string& buf, std::vector<std::string_view>& tokens);

// The block index of one class n-gram (classes as word_class.h writes them).
std::uint32_t syntax_ngram_index(const std::vector<std::string_view>& ngram, int bits);

struct SyntaxStats {
  std::uint64_t sentences = 0;
  std::uint64_t parsed = 0;      // tree mode: a constituent tree was found
  std::uint64_t no_linkage = 0;  // no complete linkage (the grammar does not cover it)
  std::uint64_t too_long = 0;    // more words than the parser is allowed to try
  // Over the parse time limit. The only outcome that depends on the machine rather than
  // the text: the limit (ParseLimits, 2 s) is a safety net far above the slowest parse
  // measured (0.13 s, with short links and no null links), so it should stay at zero.
  std::uint64_t timeout = 0;
  std::uint64_t lexicon_lookups = 0;  // words looked up in the dictionary (cache misses)
};

// What make_extractor() returns, for callers that want more than features.
class SyntaxExtractor : public GroupExtractor {
 public:
  // The sentence's tokens' classes, in order, without the markers.
  virtual std::vector<std::string> classes(std::string_view text) = 0;
  // The sentence's tree fragments in bracket form ("(NP the N)", "(S (NP the N) (VP V) END)"),
  // one per occurrence; empty if it does not parse (or tree is 0).
  virtual std::vector<std::string> fragments(std::string_view text) = 0;
  virtual const SyntaxStats& stats() const = 0;
};

}  // namespace mlpipe::features
