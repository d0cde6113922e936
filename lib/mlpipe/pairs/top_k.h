// Keeping the K best links of each side. mljoin pairs every claim of a document with every
// piece of evidence, so a claim typically has hundreds of linked pairs; mllink --top keeps
// the few a reader (or a second stage) can use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mlpipe {

// One scored pair of a group, its sides numbered within the group.
struct RankedPair {
  double score = 0;
  std::uint32_t left = 0, right = 0;
};

// Which pairs to keep, as flags in input order: a pair is kept when it is among the
// `top_left` best pairs of its left side and among the `top_right` best of its right side
// (0: no limit on that side). Both ranks are taken over all the group's pairs, so the two
// limits do not depend on each other. Best: higher score first, then earlier in the input,
// so ties are decided the same way on every run.
std::vector<bool> select_top(const std::vector<RankedPair>& pairs, std::size_t top_left, std::size_t top_right);

}  // namespace mlpipe
