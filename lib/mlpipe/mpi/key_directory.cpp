#include "mlpipe/mpi/key_directory.h"

#include <algorithm>


namespace mlpipe::mpi {

namespace {

struct DirEntry {
  mapreduce::KeyStat stat;
  std::vector<int> sources;  // the ranks holding records of the key
};

}  // namespace

KeyRoutes route_keys(const Comm& c, const mapreduce::KeyTable& keys, const RoutingSetup& setup,
                     const volatile std::sig_atomic_t* stop) {
  KeyRoutes routes;
  const std::vector<int>& owner = *setup.owner;
  const std::size_t per_dest = setup.per_dest_bytes;

  // The directory: each key's figures meet at the rank of its hash.
  StringMap<DirEntry> dir;
  {
    std::size_t next = 0;
    std::string counts;
    auto produce = [&](std::vector<std::string>& out, std::size_t budget) -> bool {
      for (; next < keys.names.size(); ++next) {
        std::string& o = out[std::size_t(mapreduce::stable_hash(*keys.names[next]) % std::uint64_t(c.size))];
        counts.clear();
        keys.stats[next].append_counts(counts);
        mapreduce::put_entry(o, keys.stats[next].first, *keys.names[next], counts);
        if (o.size() >= budget) return ++next == keys.names.size();
      }
      return true;
    };
    auto consume = [&](int src, std::string_view bytes) {
      std::size_t pos = 0;
      mapreduce::EntryView e;
      while (mapreduce::get_entry(bytes, pos, e)) {
        auto it = dir.find(e.key);
        if (it == dir.end()) it = dir.emplace(std::string(e.key), DirEntry{}).first;
        it->second.stat.merge(mapreduce::KeyStat::from(e.tag, e.data));
        it->second.sources.push_back(src);
      }
    };
    if (!exchange(c, per_dest, produce, consume, stop, routes.directory)) {
      routes.stopped = true;
      return routes;
    }
  }

  // Each writer's load, and the keys to split (planned alike on every rank).
  {
    std::vector<double> loads(std::size_t(c.size), 0);
    std::string candidates;
    for (const auto& [key, e] : dir) {
      int writer = owner[e.stat.first.part];
      loads[std::size_t(writer)] += e.stat.cost();
      if (setup.products && mapreduce::split_candidate(e.stat, setup.policy))
        mapreduce::SplitKey{key, e.stat, writer, {}}.append_to(candidates);
    }
    MPI_Allreduce(MPI_IN_PLACE, loads.data(), c.size, MPI_DOUBLE, MPI_SUM, c.comm);
    std::vector<mapreduce::SplitKey> all;
    for (const std::string& bytes : allgather_bytes(c, candidates)) {
      std::size_t pos = 0;
      mapreduce::SplitKey k;
      while (mapreduce::SplitKey::read(bytes, pos, k)) all.push_back(k);
    }
    routes.splits = mapreduce::plan_splits(std::move(all), loads, setup.policy);
  }
  StringMap<std::size_t> split_of;
  for (std::size_t s = 0; s < routes.splits.size(); ++s) split_of.emplace(routes.splits[s].key, s);

  // Each rank learns where its keys' records go: the writer, or every rank with a slice.
  routes.targets.assign(keys.names.size(), {});
  for (std::size_t k = 0; k < keys.names.size(); ++k) {
    auto s = split_of.find(*keys.names[k]);
    if (s == split_of.end()) continue;
    std::vector<int>& t = routes.targets[k];
    for (const mapreduce::Slice& sl : routes.splits[s->second].slices)
      if (std::find(t.begin(), t.end(), sl.rank) == t.end()) t.push_back(sl.rank);
  }
  std::vector<const std::pair<const std::string, DirEntry>*> entries;
  for (const auto& e : dir)
    if (!split_of.count(e.first)) entries.push_back(&e);
  std::size_t next = 0, source = 0;
  auto produce = [&](std::vector<std::string>& out, std::size_t budget) -> bool {
    for (; next < entries.size(); ++next, source = 0) {
      const auto& [key, e] = *entries[next];
      mapreduce::Tag writer{std::uint64_t(owner[e.stat.first.part]), 0};
      for (; source < e.sources.size(); ++source) {
        std::string& o = out[std::size_t(e.sources[source])];
        mapreduce::put_entry(o, writer, key, {});
        if (o.size() >= budget) {
          ++source;
          return false;
        }
      }
    }
    return true;
  };
  auto consume = [&](int, std::string_view bytes) {
    std::size_t pos = 0;
    mapreduce::EntryView e;
    while (mapreduce::get_entry(bytes, pos, e)) routes.targets[keys.ids.find(e.key)->second] = {int(e.tag.part)};
  };
  if (!exchange(c, per_dest, produce, consume, stop, routes.routing)) routes.stopped = true;
  return routes;
}

}  // namespace mlpipe::mpi
