#include "mlpipe/features/group_set.h"

#include <fmt/format.h>

#include <algorithm>

#include "mlpipe/core/error.h"
#include "mlpipe/features/groups.h"

namespace mlpipe::features {

GroupSet::GroupSet(const FeatureSpec& spec, std::uint64_t word_dimension, const Vocabulary* vocab) {
  std::uint64_t offset = word_dimension;
  for (const GroupSpec& g : spec.groups) {
    groups_.push_back(make_group(g, vocab));
    offsets_.push_back(offset);
    offset += groups_.back()->dimension();
  }
  // libsvm reads indices as int: every feature, and a pair of two sides, must fit.
  if (offset >= (std::uint64_t(1) << 30))
    throw Error::usage(fmt::format("the feature groups make {} indices: more than 2^30", offset));
}

GroupSet::Runner::Runner(const GroupSet& set) : set_(set) {
  for (const auto& g : set.groups_) {
    extractors_.push_back(g->make_extractor());
    terms_wanted_ = terms_wanted_ || g->reads_terms();
  }
}

void GroupSet::Runner::append(const SentenceView& given, SparseVector& v) {
  // Several groups read the words and stems: tokenise and stem once for all of them.
  SentenceView sentence = given;
  if (terms_wanted_ && !sentence.terms) {
    analyzer_.analyze(sentence.text, terms_);
    sentence.terms = &terms_;
  }
  for (std::size_t k = 0; k < extractors_.size(); ++k) {
    extractors_[k]->extract(sentence, scratch_);
    std::sort(scratch_.begin(), scratch_.end());
    const std::uint64_t base = set_.offsets_[k] + 1;
    for (const auto& [i, value] : scratch_)
      if (value != 0) v.push(std::uint32_t(base + i), value);
  }
}

}  // namespace mlpipe::features
