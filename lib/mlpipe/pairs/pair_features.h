// Pair features: what mllink computes from the two sides of a pair record, without text.
//
// Layout of a pair's sparse vector (libsvm indices, 1-based), for a side dimension D:
//
//   [1, D]             the left side's features, index i -> i
//   [D+1, 2D]          the right side's features, index i -> D + i
//   [2D+1, 2D+K]       K pair-only features, in kPairFeatureNames order, then each side's
//                      scores: left.<s> for s in side_scores, then right.<s>, then, in a
//                      "crossed" spec, kCrossedFeatureNames
//
// A side's features must have indices <= D. D is 2^hash_bits of mlfeat's hashing (or the
// vocabulary's size); the default, 2^20, is mlfeat's default hashing.
//
// The pair spec records this layout as canonical JSON (one line, fixed key order):
//
//   {"mllink_pairs":1,"dim":1048576,"side_scores":["claim","support"],
//    "layout":{"left":[1,1048576],"right":[1048577,2097152],"pair":[2097153,2097165]},
//    "pair_features":["cosine",…,"left.claim","left.support","right.claim","right.support"],
//    "features":null}
//
// "features" holds mlfeat's spec when it is known (--feature-spec). A link model carries
// the pair spec in its sidecar ("spec"), so mllink scores with the layout it was trained on.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/file_source.h"
#include "mlpipe/core/sparse.h"

namespace mlpipe {

inline constexpr int kPairSpecVersion = 1;
inline constexpr std::uint32_t kDefaultPairDim = std::uint32_t(1) << 20;
// The largest side dimension: 2D plus the pair features must stay below 2^31 (libsvm's int indices).
inline constexpr std::uint32_t kMaxPairDim = std::uint32_t(1) << 29;

// The pair-only features before the side scores, in index order.
extern const std::vector<std::string_view> kPairFeatureNames;
// What a "crossed" spec adds after the side scores: a linear model cannot tell "both sides are
// sure" from "one side is very sure", nor weigh distance differently for sure and unsure pairs,
// so these give it the product p = left's first side score x right's second (claim x support
// with the default side scores, each clamped to [0, 1]: calibrated probabilities), its square
// root, the sides' logits and their sum, the distance in buckets alone and times p, and p times
// same paragraph and times cosine.
extern const std::vector<std::string_view> kCrossedFeatureNames;
// What a spec with "long_docs" N adds last: whether the pair's document is long (over N
// sentences, or of unknown length: its left side's doc_sents), and that crossed with distance,
// same paragraph and the sides' scores. mlfeat's --long-docs gives long reference articles
// their own weights; these give the link model its own for them: there, far fewer candidate
// pairs are links, and it must rank them with its own bias and slopes.
extern const std::vector<std::string_view> kLongDocFeatureNames;

struct PairSpec {
  std::uint32_t dim = kDefaultPairDim;                          // D: indices per side
  std::vector<std::string> side_scores = {"claim", "support"};  // read from each side's "scores"
  bool crossed = false;  // kCrossedFeatureNames after the side scores (needs two side scores)
  bool pair_only = false;  // vectors leave the sides' blocks empty (mllink --pair-only)
  std::int64_t long_docs = 0;  // kLongDocFeatureNames last when > 0 (from mlfeat's --long-docs)
  std::string features;  // mlfeat's spec (canonical JSON, no newline), "" when unknown
  // The similarity features (cosine, shared, jaccard) read a side's indices up to this one:
  // the word block when mlfeat's spec has feature groups (whose dense cues every sentence
  // shares), else the whole side. Derived from `features`, not stored.
  std::uint32_t similarity_limit = UINT32_MAX;

  std::uint32_t right_base() const { return dim; }
  std::uint32_t pair_base() const { return 2 * dim; }      // pair feature k has index pair_base() + 1 + k
  std::size_t pair_count() const {
    return kPairFeatureNames.size() + 2 * side_scores.size() + (crossed ? kCrossedFeatureNames.size() : 0) +
           (long_docs > 0 ? kLongDocFeatureNames.size() : 0);
  }
  std::vector<std::string> pair_feature_names() const;
  std::uint64_t max_index() const { return std::uint64_t(pair_base()) + pair_count(); }
};

// Canonical JSON of `spec`, one line ending in '\n'.
std::string canonical_pair_spec_json(const PairSpec& spec);
// Whether `json` (an object's text) is a pair spec (has "mllink_pairs").
bool is_pair_spec(std::string_view json);
// Parses and checks a pair spec; `name` locates errors (Error(name, 0, …)).
PairSpec parse_pair_spec(std::string_view json, const std::string& name);
PairSpec read_pair_spec_file(const std::string& path, const FileSource& files);
// Side dimension from mlfeat's spec JSON: 2^hash_bits, or the fitted vocabulary's terms.
// Returns the canonical text of that spec (no newline) in `canonical`.
std::uint32_t dim_of_feature_spec(std::string_view json, const std::string& name, std::string& canonical);
// The similarity_limit that mlfeat's spec (canonical JSON, "" when unknown) gives; `name` locates errors.
std::uint32_t similarity_limit_of(const std::string& features, const std::string& name);
// mlfeat's spec's long_docs (0 when it has none, or is unknown).
std::int64_t long_docs_of(const std::string& features, const std::string& name);

// One side of a pair, as much as pair features need.
struct PairSide {
  SparseVector features;
  double norm = 0;             // over the indices up to the spec's similarity_limit
  std::size_t similar = 0;     // how many indices there are up to it
  std::vector<double> scores;  // one per side_scores name; 0 when absent
  std::string doc;             // the doc field's JSON text, "" when absent
  std::int64_t para = 0, sent = 0;
  std::int64_t doc_sents = -1;  // the document's sentences (mlsplit's doc_sents), -1 when unknown
  bool has_para = false, has_sent = false;
};

// The pair-only features (values in kPairFeatureNames order, then side scores), so the
// caller can add them to a linear score or append them to the vector.
struct PairOnly {
  std::vector<double> values;  // pair_count() values
  std::size_t shared = 0;      // features both sides have
  bool same_doc = false;
  bool has_distance = false;
  std::int64_t distance = 0;
};

void compute_pair_only(const PairSpec& spec, const PairSide& left, const PairSide& right, PairOnly& out);

// The whole pair vector: left features, right features shifted by D (neither in a pair-only
// layout), pair-only features.
void assemble_pair_vector(const PairSpec& spec, const PairSide& left, const PairSide& right, const PairOnly& pair,
                          SparseVector& out);

}  // namespace mlpipe
