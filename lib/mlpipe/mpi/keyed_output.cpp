#include "mlpipe/mpi/keyed_output.h"

#ifdef _OPENMP
#include <omp.h>
#endif

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>

#include "mlpipe/mpi/slice_transfer.h"

namespace mlpipe::mpi {

namespace {

// Groups run together: at most this many, or about this much input.
constexpr std::size_t kWindowGroups = 1024;
constexpr std::size_t kWindowBytes = std::size_t(64) << 20;

struct GroupRun {
  mapreduce::HeldOutput out;
  std::vector<pipeline::StageCounts> counts;
  std::optional<Error> error;
  bool left_out = false;  // a stop came before it began
};

// Per-thread spools for held output.
std::vector<std::unique_ptr<mapreduce::Spool>> make_spools(const std::string& dir, int threads) {
  std::vector<std::unique_ptr<mapreduce::Spool>> s;
  for (int t = 0; t < threads; ++t) s.push_back(std::make_unique<mapreduce::Spool>(dir));
  return s;
}

int thread_number() {
#ifdef _OPENMP
  return omp_get_thread_num();
#else
  return 0;
#endif
}

}  // namespace

KeyedCounts run_keyed_work(const Comm& c, const KeyedWork& work, RankOutput& out) {
  const pipeline::JobStages& job = *work.job;
  const mapreduce::KeyGroups& g = *work.groups;
  const std::vector<mapreduce::SplitKey>& splits = *work.splits;
  const int threads = std::max(1, work.threads);
  KeyedCounts result;
  result.stages = job.zero_counts();
  mapreduce::HoldBudget budget(work.max_memory);

  auto merge = [&](GroupRun& run) {
    for (std::size_t i = 0; i < run.counts.size(); ++i) result.stages[i].add(run.counts[i]);
    result.spilled_bytes += run.out.spilled();
    if (run.error) throw std::move(*run.error);
  };
  auto start = [&](GroupRun& run, mapreduce::Spool& spool) {
    run.counts = job.zero_counts();
    run.out.start(budget, spool);
  };

  std::unordered_map<std::string_view, std::uint32_t> group_of;
  for (std::uint32_t i = 0; i < g.keys.size(); ++i) group_of.emplace(g.keys[i], i);
  std::unordered_map<std::string_view, std::size_t> split_of;
  for (std::size_t s = 0; s < splits.size(); ++s) split_of.emplace(splits[s].key, s);

  // The slices of split keys given to this rank, first: their output is sent to the key's
  // writer as this rank goes on, so that no rank waits for slices while it could write.
  std::vector<std::pair<std::size_t, std::size_t>> mine;  // (split, slice)
  for (std::size_t s = 0; s < splits.size(); ++s)
    for (std::size_t i = 0; i < splits[s].slices.size(); ++i)
      if (splits[s].slices[i].rank == c.rank) mine.emplace_back(s, i);
  result.slices_here = mine.size();
  auto slice_spools = make_spools(work.spool_dir, mine.empty() ? 0 : threads);
  std::vector<GroupRun> slice_runs(mine.size());
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (std::size_t u = 0; u < mine.size(); ++u) {
    const mapreduce::SplitKey& k = splits[mine[u].first];
    GroupRun& run = slice_runs[u];
    if (work.stop && *work.stop) {  // left out: its writer still gets its (empty) stream
      run.left_out = true;
      continue;
    }
    start(run, *slice_spools[std::size_t(thread_number())]);
    run.error = mapreduce::run_group(job, g.members[group_of.at(k.key)], work.data_end, k.key,
                                     &k.slices[mine[u].second], run.out, run.counts);
  }
  SliceSender sender(c);
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> my_slice;  // (split, slice) -> slice_runs
  for (std::size_t u = 0; u < mine.size(); ++u) {
    result.stopped = result.stopped || slice_runs[u].left_out;
    merge(slice_runs[u]);
    int writer = splits[mine[u].first].writer;
    if (writer == c.rank)
      my_slice[mine[u]] = u;
    else
      sender.add(writer, slice_runs[u].out);
  }
  sender.progress();

  // This rank's groups and the split keys it writes, in the order of their first records.
  struct Unit {
    mapreduce::Tag first;
    bool split;
    std::uint32_t id;  // group, or index in splits
  };
  std::vector<Unit> units;
  for (std::uint32_t grp : g.order)
    if (!split_of.count(g.keys[grp])) units.push_back({g.first[grp], false, grp});
  for (std::uint32_t s = 0; s < splits.size(); ++s)
    if (splits[s].writer == c.rank) units.push_back({splits[s].stat.first, true, s});
  std::sort(units.begin(), units.end(), [](const Unit& a, const Unit& b) { return a.first < b.first; });
  result.groups_written = units.size();

  // Once stopped, what arrives (slices still sent by other ranks) is dropped.
  auto write = [&](std::string_view b) {
    if (!result.stopped) out.write(b);
  };
  auto window_spools = make_spools(work.spool_dir, threads);
  std::size_t u0 = 0;
  while (u0 < units.size()) {
    result.stopped = result.stopped || (work.stop && *work.stop);
    if (units[u0].split) {
      const mapreduce::SplitKey& k = splits[units[u0].id];
      for (std::size_t i = 0; i < k.slices.size(); ++i) {
        if (k.slices[i].rank == c.rank)
          slice_runs[my_slice.at({units[u0].id, i})].out.drain(write);
        else
          receive_posted(c, k.slices[i].rank, write, [&] { sender.progress(); });
      }
      ++u0;
      continue;
    }
    std::size_t u1 = u0, bytes = 0;
    while (u1 < units.size() && !units[u1].split && u1 - u0 < kWindowGroups && bytes < kWindowBytes) {
      for (std::string_view d : g.members[units[u1].id]) bytes += d.size();
      ++u1;
    }
    if (result.stopped) {
      u0 = u1;
      continue;
    }
    std::vector<GroupRun> runs(u1 - u0);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (std::size_t u = u0; u < u1; ++u) {
      GroupRun& run = runs[u - u0];
      if (work.stop && *work.stop) {  // the groups not yet begun are left out
        run.left_out = true;
        continue;
      }
      start(run, *window_spools[std::size_t(thread_number())]);
      std::uint32_t grp = units[u].id;
      run.error = mapreduce::run_group(job, g.members[grp], work.data_end, g.keys[grp], nullptr, run.out, run.counts);
    }
    for (const GroupRun& run : runs) result.stopped = result.stopped || run.left_out;
    for (GroupRun& run : runs) {
      if (result.stopped) break;
      merge(run);
      run.out.drain(write);
      sender.progress();
    }
    runs.clear();
    for (auto& s : window_spools) s->clear();
    u0 = u1;
  }
  sender.finish();
  result.slices = sender.counts();
  return result;
}

}  // namespace mlpipe::mpi
