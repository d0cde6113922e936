#include "mlpipe/mapreduce/key_plan.h"
#include "mlpipe/mapreduce/raw_bytes.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace mlpipe::mapreduce {

void KeyStat::merge(const KeyStat& other) {
  first = std::min(first, other.first);
  records += other.records;
  rows += other.rows;
  columns += other.columns;
}

void KeyStat::append_counts(std::string& out) const {
  put_raw(out, records);
  put_raw(out, rows);
  put_raw(out, columns);
}

KeyStat KeyStat::from(const Tag& first, std::string_view counts) {
  KeyStat s;
  s.first = first;
  std::size_t pos = 0;
  s.records = get_raw<std::uint64_t>(counts, pos);
  s.rows = get_raw<std::uint64_t>(counts, pos);
  s.columns = get_raw<std::uint64_t>(counts, pos);
  return s;
}

void SplitKey::append_to(std::string& out) const {
  put_raw(out, stat.first.part);
  put_raw(out, stat.first.index);
  stat.append_counts(out);
  put_raw(out, std::int32_t(writer));
  put_raw(out, std::uint64_t(key.size()));
  out.append(key);
}

bool SplitKey::read(std::string_view bytes, std::size_t& pos, SplitKey& k) {
  if (pos >= bytes.size()) return false;
  Tag first;
  first.part = get_raw<std::uint64_t>(bytes, pos);
  first.index = get_raw<std::uint64_t>(bytes, pos);
  k.stat = KeyStat::from(first, bytes.substr(pos, 3 * sizeof(std::uint64_t)));
  pos += 3 * sizeof(std::uint64_t);
  k.writer = get_raw<std::int32_t>(bytes, pos);
  auto n = std::size_t(get_raw<std::uint64_t>(bytes, pos));
  k.key.assign(bytes.substr(pos, n));
  pos += n;
  k.slices.clear();
  return true;
}

constexpr int kSlicesPerShare = 4;

bool split_candidate(const KeyStat& s, const SplitPolicy& policy) {
  return policy.ranks * policy.threads > 1 && s.rows >= 2 && s.columns > 0 && s.pairs() >= policy.min_pairs;
}

std::vector<SplitKey> plan_splits(std::vector<SplitKey> candidates, std::vector<double> loads,
                                  const SplitPolicy& policy) {
  const int workers = std::max(1, policy.ranks) * std::max(1, policy.threads);
  double total = 0;
  for (double l : loads) total += l;
  const double fair = total / workers;
  // Largest first (ties by first record, so that every rank plans alike).
  std::sort(candidates.begin(), candidates.end(), [](const SplitKey& a, const SplitKey& b) {
    if (a.stat.cost() != b.stat.cost()) return a.stat.cost() > b.stat.cost();
    return a.stat.first < b.stat.first;
  });
  std::vector<SplitKey> split;
  for (SplitKey& k : candidates) {
    const double cost = k.stat.cost();
    if (!split_candidate(k.stat, policy) || fair <= 0 || cost <= fair) continue;
    // Slices of a quarter of a fair share at most, so that the least-loaded-first placement
    // evens out what the writers already had to within that quarter.
    auto n = std::uint64_t(
        std::min<double>({double(kSlicesPerShare) * workers, double(k.stat.rows), std::ceil(kSlicesPerShare * cost / fair)}));
    if (n < 2) continue;
    loads[std::size_t(k.writer)] -= cost;
    for (std::uint64_t i = 0; i < n; ++i) {
      int best = k.writer;
      for (int r = 0; r < int(loads.size()); ++r)
        if (loads[std::size_t(r)] < loads[std::size_t(best)]) best = r;
      loads[std::size_t(best)] += cost / double(n);
      k.slices.push_back({k.stat.rows * i / n, k.stat.rows * (i + 1) / n, best});
    }
    split.push_back(std::move(k));
  }
  std::sort(split.begin(), split.end(), [](const SplitKey& a, const SplitKey& b) { return a.stat.first < b.stat.first; });
  return split;
}

}  // namespace mlpipe::mapreduce
