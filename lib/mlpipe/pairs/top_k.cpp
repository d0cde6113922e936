#include "mlpipe/pairs/top_k.h"

#include <algorithm>
#include <numeric>

namespace mlpipe {

std::vector<bool> select_top(const std::vector<RankedPair>& pairs, std::size_t top_left, std::size_t top_right) {
  const std::size_t n = pairs.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return pairs[a].score > pairs[b].score; });
  std::uint32_t sides = 0;
  for (const RankedPair& p : pairs) sides = std::max({sides, p.left + 1, p.right + 1});
  std::vector<std::size_t> seen_left(sides, 0), seen_right(sides, 0);
  std::vector<bool> keep(n, false);
  for (std::size_t i : order) {
    std::size_t rank_left = seen_left[pairs[i].left]++, rank_right = seen_right[pairs[i].right]++;
    keep[i] = (top_left == 0 || rank_left < top_left) && (top_right == 0 || rank_right < top_right);
  }
  return keep;
}

}  // namespace mlpipe
