// Where the keyed stage's key groups run.
//
// A key is processed by its writer: the rank that owns the input partition of the key's
// first record, which is where its output belongs in the global order. A key whose records
// all lie in its writer's partitions (a document, usually) never crosses the network.
//
// A key whose work is far above a fair share of the job's would stall its writer the way
// one skewed key stalls a Spark reducer. When the keyed stage's work on a key is a product
// of rows and columns (Stage::splits_products: mljoin pairs each left record with each
// right one), such a key is cut into slices of rows, each run on one of the least loaded
// ranks with a copy of the key's records; the writer writes the slices' output in row order.
//
// MPI-free: every rank computes the same plan from the same figures.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/mapreduce/spool.h"

namespace mlpipe::mapreduce {

// What is known of a key: from one rank's records, or merged over every rank.
struct KeyStat {
  Tag first{std::numeric_limits<std::uint64_t>::max(), std::numeric_limits<std::uint64_t>::max()};
  std::uint64_t records = 0, rows = 0, columns = 0;

  void merge(const KeyStat& other);
  // Work in records read plus candidate pairs.
  double cost() const { return double(records) + double(rows) * double(columns); }
  double pairs() const { return double(rows) * double(columns); }

  // Fixed-size bytes for shuffle entries (the tag travels in the entry).
  void append_counts(std::string& out) const;
  static KeyStat from(const Tag& first, std::string_view counts);
};

struct Slice {
  std::uint64_t begin = 0, end = 0;  // rows
  int rank = 0;
};

struct SplitKey {
  std::string key;
  KeyStat stat;
  int writer = 0;
  std::vector<Slice> slices;  // in row order, covering [0, rows)

  void append_to(std::string& out) const;  // without slices (they are planned by everyone)
  // Reads one SplitKey at `pos` of `bytes`, advancing `pos`; false at the end.
  static bool read(std::string_view bytes, std::size_t& pos, SplitKey& key);
};

struct SplitPolicy {
  int ranks = 1;
  int threads = 1;           // per rank: slices given to one rank run on its threads
  double min_pairs = 1e6;    // a key with fewer candidate pairs is never split
};

// True when a key with these figures may be split at all (the directory's first filter).
bool split_candidate(const KeyStat& s, const SplitPolicy& policy);

// Decides which candidates to split, into how many slices and where. `loads[r]` is the
// cost of every key written by rank r, candidates included. A candidate is split when its
// cost is above the fair share (total cost / (ranks × threads)), into slices of about a
// quarter of a fair share (at most 4 × ranks × threads, at most one per row); largest key
// first, each slice goes to the least loaded rank at that point (its writer on ties, then
// the lowest rank). The result holds only the keys split, ordered by their first record.
std::vector<SplitKey> plan_splits(std::vector<SplitKey> candidates, std::vector<double> loads,
                                  const SplitPolicy& policy);

}  // namespace mlpipe::mapreduce
