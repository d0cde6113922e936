#include "mlpipe/model/folds.h"

#include <algorithm>
#include <map>
#include <random>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/model/dataset.h"

namespace mlpipe {

std::vector<int> assign_folds(const Dataset& d, int k, unsigned seed) {
  std::vector<int> fold(d.rows(), 0);
  std::mt19937_64 rng(seed);
  // Fisher-Yates with our own bounded draws: std::shuffle's algorithm is not portable.
  auto shuffle = [&](std::vector<std::size_t>& v) {
    for (std::size_t i = v.size(); i > 1; --i) {
      std::size_t j = std::size_t(rng() % i);
      std::swap(v[i - 1], v[j]);
    }
  };
  std::size_t groups = d.classification ? d.classes() : 1;
  std::size_t dealt = 0;
  for (std::size_t c = 0; c < groups; ++c) {
    std::vector<std::size_t> members;
    for (std::size_t r = 0; r < d.rows(); ++r)
      if (!d.classification || std::size_t(d.target[r]) == c) members.push_back(r);
    shuffle(members);
    // Continue the round robin across classes, so that small classes don't all start at fold 0.
    for (std::size_t i = 0; i < members.size(); ++i) fold[members[i]] = int((dealt + i) % std::size_t(k));
    dealt += members.size();
  }
  return fold;
}

std::vector<int> assign_group_folds(const std::vector<std::string>& group_of_row, int k, unsigned seed) {
  // Group ids by first appearance (a map: hashing order is not portable).
  std::map<std::string_view, std::size_t> id;
  std::vector<std::size_t> row_group(group_of_row.size()), size;
  for (std::size_t r = 0; r < group_of_row.size(); ++r) {
    auto [it, added] = id.emplace(group_of_row[r], size.size());
    if (added) size.push_back(0);
    row_group[r] = it->second;
    ++size[it->second];
  }
  const std::size_t groups = size.size();
  if (groups < std::size_t(k))
    throw Error(fmt::format("{} groups are too few for {}-fold cross-validation (every fold needs a group)", groups, k));
  std::vector<std::size_t> order(groups);
  for (std::size_t g = 0; g < groups; ++g) order[g] = g;
  // The same Fisher-Yates as the ungrouped folds: std::shuffle's algorithm is not portable.
  std::mt19937_64 rng(seed);
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[std::size_t(rng() % i)]);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return size[x] > size[y]; });
  std::vector<std::size_t> load(std::size_t(k), 0);
  std::vector<int> fold_of_group(groups);
  for (std::size_t g : order) {
    std::size_t f = std::size_t(std::min_element(load.begin(), load.end()) - load.begin());
    fold_of_group[g] = int(f);
    load[f] += size[g];
  }
  std::vector<int> fold(group_of_row.size());
  for (std::size_t r = 0; r < fold.size(); ++r) fold[r] = fold_of_group[row_group[r]];
  return fold;
}

}  // namespace mlpipe
