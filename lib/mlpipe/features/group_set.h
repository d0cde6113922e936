// The feature groups of a spec, built once, and the per-thread runner that appends their
// blocks to a vector after the word block.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "mlpipe/core/sparse.h"
#include "mlpipe/features/group.h"
#include "mlpipe/features/sentence_terms.h"
#include "mlpipe/features/spec.h"

namespace mlpipe::features {

class Vocabulary;

class GroupSet {
 public:
  GroupSet() = default;
  // Builds every group of `spec`; block offsets start after `word_dimension` indices.
  GroupSet(const FeatureSpec& spec, std::uint64_t word_dimension, const Vocabulary* vocab);

  bool empty() const { return groups_.empty(); }
  const std::vector<std::unique_ptr<FeatureGroup>>& groups() const { return groups_; }

  // One per worker thread.
  class Runner {
   public:
    explicit Runner(const GroupSet& set);
    // Appends every group's features of `sentence` to `v` (whose indices are all below
    // the first block), indices increasing, zero values left out.
    void append(const SentenceView& sentence, SparseVector& v);

   private:
    const GroupSet& set_;
    std::vector<std::unique_ptr<GroupExtractor>> extractors_;
    bool terms_wanted_ = false;
    TermAnalyzer analyzer_;
    SentenceTerms terms_;
    std::vector<GroupFeature> scratch_;
  };

 private:
  std::vector<std::unique_ptr<FeatureGroup>> groups_;
  std::vector<std::uint64_t> offsets_;  // index before each block's first
};

}  // namespace mlpipe::features
