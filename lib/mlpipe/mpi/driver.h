// mlmr's job: the pipeline's stages run in-process on every rank, with the data movement
// between them (input partitions, the stages' files served from rank 0, key shuffle, ordered output).
//
// Phases:
//  A. every rank runs the stages before the first keyed stage over the input partitions
//     it owns (contiguous runs, in order); without a keyed stage that is the whole job;
//  B. the keys of the records reaching the keyed stage meet at directory ranks (by hash),
//     which give each key its writer (the owner of the key's first record, see key_plan.h)
//     and pick the keys to split; records then move, in bounded all-to-all rounds, to their
//     key's writer (or to the ranks computing a split key's slices), and each writer runs the
//     keyed stage and the stages after it once per key (a fresh worker per key group, groups
//     in parallel on threads) and writes the output in the global order.
#pragma once

#include <csignal>
#include <cstdint>
#include <string>
#include <vector>

#include "mlpipe/mpi/comm.h"

namespace mlpipe::mr {

struct JobOptions {
  std::string pipeline;
  std::vector<std::string> inputs;
  std::string output_dir;  // -o DIR; empty: stdout
  bool resume = false;
  int threads = 1;
  bool skip_errors = false;
  std::size_t max_record_bytes = std::size_t(64) << 20;
  std::uint64_t partition_bytes = 0;  // 0: auto_partition_bytes
  std::size_t shuffle_bytes = std::size_t(256) << 20;
  double split_min_pairs = 1e6;  // --split-pairs
  bool no_split = false;
  std::string tmpdir;
  bool stats = false;
  bool test_tools = false;
};

// Exit status when a signal stopped the job after committing what was done.
inline constexpr int kExitStopped = 75;

// Runs the job on every rank; returns the exit status (the same on every rank). Data
// errors end the whole job at once (MPI_Abort) after the failing rank reports them.
int run_job(const Comm& c, const JobOptions& o, const volatile std::sig_atomic_t* stop);

}  // namespace mlpipe::mr
