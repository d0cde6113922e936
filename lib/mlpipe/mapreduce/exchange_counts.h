// What one rank sent and received in a phase's data movement: the figures of --stats and
// of the scaling projection (bench/project.py). MPI-free.
#pragma once

#include <cstdint>

namespace mlpipe::mapreduce {

struct ExchangeCounts {
  std::uint64_t rounds = 0;    // all-to-all rounds
  std::uint64_t messages = 0;  // point-to-point messages to other ranks
  std::uint64_t bytes = 0;     // bytes to other ranks
  std::uint64_t bytes_in = 0;  // bytes from other ranks
};

}  // namespace mlpipe::mapreduce
