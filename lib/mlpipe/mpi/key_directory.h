// Phase B, first half: which keys reach the keyed stage and where each key's records go.
//
// Each rank tallies the keys of its records (key_table.h); the figures of each key
// meet at the rank of the key's hash (the directory), which names the key's writer (the
// owner of its first record's partition, see key_plan.h); every rank plans the keys to
// split alike; then each rank learns, for its keys, where their records go.
#pragma once

#include <csignal>
#include <cstdint>
#include <string>
#include <vector>

#include "mlpipe/mapreduce/key_plan.h"
#include "mlpipe/mapreduce/key_table.h"
#include "mlpipe/mpi/comm.h"

namespace mlpipe::mpi {

// Where the records of each of this rank's keys go.
struct KeyRoutes {
  std::vector<mapreduce::SplitKey> splits;           // every split key, the same on every rank
  std::vector<std::vector<int>> targets;  // by key id: the writer, or every rank with a slice
  mapreduce::ExchangeCounts directory, routing;
  bool stopped = false;
};

struct RoutingSetup {
  const std::vector<int>* owner = nullptr;  // each partition's rank
  mapreduce::SplitPolicy policy;
  bool products = false;
  std::size_t per_dest_bytes = 1 << 20;
};

KeyRoutes route_keys(const Comm& c, const mapreduce::KeyTable& keys, const RoutingSetup& setup,
                     const volatile std::sig_atomic_t* stop);

}  // namespace mlpipe::mpi
