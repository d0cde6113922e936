// Word lists that mark the form of an argument rather than its topic: how people state a
// position (modals, stance verbs, comparatives, discourse markers), how they back it
// (studies, reporting verbs, sources, figures) and how they judge (opinion words).
// The lists are the project's own; the matching is on Snowball English stems, so
// "argues", "argued" and "arguing" are one cue, and a cue may be a phrase ("according to").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/string_map.h"

namespace mlpipe::features {

// A named list of cue phrases (lowercase words separated by spaces; '|' between phrases).
struct CueList {
  std::string_view name;
  std::string_view phrases;
};

// The lists of each feature group, in index order (the order is part of the feature
// contract: a group's feature k is its list k).
const std::vector<CueList>& claim_cue_lists();
const std::vector<CueList>& evidence_cue_lists();
const std::vector<CueList>& opinion_cue_lists();
// Discourse connectives and argument moves, by what they signal (the `discourse` group): each
// is a feature wherever it occurs and another when it opens the sentence.
const std::vector<CueList>& discourse_cue_lists();

// Finds the phrases of a set of lists in a sentence's stems.
class CueMatcher {
 public:
  explicit CueMatcher(const std::vector<CueList>& lists);

  std::size_t lists() const { return lists_; }
  // Adds to counts[k] (resized to lists()) the number of matches of list k in `stems`;
  // a phrase matches at every position where all its stems follow one another. With
  // `first`, also records in first[k] the first token position of a match (or -1).
  void count(const std::vector<std::string_view>& stems, std::vector<std::uint32_t>& counts,
             std::vector<std::int32_t>* first = nullptr) const;

 private:
  struct Phrase {
    std::vector<std::string> rest;  // the stems after the first
    std::uint32_t list;
  };
  StringMap<std::vector<Phrase>> by_first_;
  std::size_t lists_ = 0;
};

}  // namespace mlpipe::features
