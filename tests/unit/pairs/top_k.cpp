// mllink --top and --top-right: which links of a group are kept.
#include <doctest/doctest.h>

#include <vector>

#include "mlpipe/pairs/top_k.h"

using namespace mlpipe;

namespace {
std::vector<int> kept(const std::vector<RankedPair>& p, std::size_t l, std::size_t r) {
  std::vector<bool> k = select_top(p, l, r);
  std::vector<int> out;
  for (std::size_t i = 0; i < k.size(); ++i)
    if (k[i]) out.push_back(int(i));
  return out;
}
}  // namespace

TEST_CASE("top K per left side keeps input order") {
  // Left 0 has pairs 0, 1, 2; left 1 has 3, 4.
  std::vector<RankedPair> p{{0.1, 0, 0}, {0.9, 0, 1}, {0.5, 0, 2}, {0.2, 1, 0}, {0.3, 1, 1}};
  CHECK(kept(p, 1, 0) == std::vector<int>{1, 4});
  CHECK(kept(p, 2, 0) == std::vector<int>{1, 2, 3, 4});
  CHECK(kept(p, 0, 0) == std::vector<int>{0, 1, 2, 3, 4});
}

TEST_CASE("top K per right side, and both limits taken independently") {
  std::vector<RankedPair> p{{0.1, 0, 0}, {0.9, 0, 1}, {0.5, 0, 2}, {0.2, 1, 0}, {0.3, 1, 1}};
  CHECK(kept(p, 0, 1) == std::vector<int>{1, 2, 3});
  // Left's best: 1, 4. Right's best: 1, 2, 3. Both: 1 only.
  CHECK(kept(p, 1, 1) == std::vector<int>{1});
}

TEST_CASE("ties go to the earlier pair") {
  std::vector<RankedPair> p{{0.5, 0, 0}, {0.5, 0, 1}, {0.5, 0, 2}};
  CHECK(kept(p, 1, 0) == std::vector<int>{0});
  CHECK(kept(p, 2, 0) == std::vector<int>{0, 1});
  CHECK(kept({}, 1, 1).empty());
}
