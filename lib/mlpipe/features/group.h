// Feature groups beyond the words: syntax, argument-form cues, sentence shape, opinion
// words, relation to the topic. Each group owns a fixed block of feature indices that
// follows the word block, in the order the spec lists the groups, so a vector is
//
//   [ words: 1..W ][ group 1: W+1..W+d1 ][ group 2: … ] …
//
// and the whole dimension is known from the spec alone (a model's sidecar can check it).
//
// A FeatureGroup is built once from the spec (it may load resources: a parser dictionary,
// word lists) and is immutable and shared by every thread; each worker thread asks it for
// its own GroupExtractor, which holds whatever is not thread-safe (a parser, scratch).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mlpipe::features {

struct SentenceTerms;

// What a group may read of one record. Positions are -1 when the record has no such field.
struct SentenceView {
  std::string_view text;
  std::string_view topic;  // the record's topic (or mlfeat --topic); empty: none
  std::int64_t para = -1;  // paragraph index in the document
  std::int64_t sent = -1;  // sentence index in the document
  // mlsplit's place of the sentence: its index in its paragraph and the paragraph's
  // sentences; the document's paragraphs and sentences (absent for a document split in pieces).
  std::int64_t para_sent = -1, para_sents = -1, doc_paras = -1, doc_sents = -1;
  // The text's lowercased words and stems (sentence_terms.h), analysed once for every group
  // that reads them (FeatureGroup::reads_terms); null: a group analyses the text itself.
  const SentenceTerms* terms = nullptr;
};

// A group as the spec names it: its name and its integer parameters, in the order the
// group declares them (groups.h lists the groups and their parameters).
struct GroupSpec {
  std::string name;
  std::vector<std::pair<std::string, std::int64_t>> params;
  std::int64_t param(std::string_view key) const {
    for (const auto& [k, v] : params)
      if (k == key) return v;
    return 0;
  }
  bool operator==(const GroupSpec&) const = default;
};

// One feature of a group: a 0-based index inside the group's block, and its value.
using GroupFeature = std::pair<std::uint32_t, float>;

class GroupExtractor {
 public:
  virtual ~GroupExtractor() = default;
  // Replaces `out` with the sentence's features: indices below the group's dimension,
  // in any order, each at most once; zero values may be left out.
  virtual void extract(const SentenceView& sentence, std::vector<GroupFeature>& out) = 0;
};

class FeatureGroup {
 public:
  virtual ~FeatureGroup() = default;
  virtual std::string_view name() const = 0;
  virtual std::uint32_t dimension() const = 0;
  // Human-readable name of one feature (for vocabulary dumps and model inspection);
  // hashed groups may answer with the bucket number.
  virtual std::string feature_name(std::uint32_t index) const = 0;
  virtual std::unique_ptr<GroupExtractor> make_extractor() const = 0;
  // Whether extract() reads SentenceView::terms (then the caller fills it once for all groups).
  virtual bool reads_terms() const { return false; }
};

}  // namespace mlpipe::features
