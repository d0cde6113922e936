// mlmr's job: the pipeline's stages run in-process on every rank, with the data movement
// between them. The phases, each in its own file: those that talk to other ranks here,
// the MPI-free ones in pipeline/ and mapreduce/:
//   pipeline/job_stages      the stages and the in-process chain between them;
//   mapreduce/output_target  -o: where the output goes, the parts directory, the plan on rank 0 (resume);
//   mapreduce/manifest       the plan as kept on disk and as sent to every rank;
//   mapreduce/map_phase      A. the stages before the keyed one, over the partitions each rank owns;
//   key_directory            B1. each key's figures at a directory rank; writers, split keys, routes;
//   shuffle                  B2. records to their key's writer (or slice ranks), grouped by key;
//   keyed_output             B3. each key group through the keyed stage and the stages after it;
//   rank_output              each rank's output, in order, to its part, standard output, or one file;
//   job_report               skipped records and --stats;
//   job_progress             rank 0's progress line (partitions, records, bytes, ETA).
#pragma once

#include <csignal>
#include <cstdint>
#include <string>
#include <vector>

#include "mlpipe/mapreduce/held_output.h"
#include "mlpipe/mpi/comm.h"
#include "mlpipe/pipeline/registry.h"

namespace mlpipe::mpi {

struct JobOptions {
  std::string pipeline;
  std::vector<std::string> inputs;
  std::string output;  // -o FILE or DIR/; empty: standard output
  bool resume = false;
  int threads = 1;
  bool skip_errors = false;
  std::size_t max_record_bytes = std::size_t(64) << 20;
  std::uint64_t partition_bytes = 0;  // 0: auto_partition_bytes
  std::size_t shuffle_bytes = std::size_t(256) << 20;
  std::uint64_t max_memory = mapreduce::kDefaultMaxMemory;  // key groups' output held in memory
  double split_min_pairs = 1e6;  // --split-pairs
  bool no_split = false;
  std::string tmpdir;
  bool stats = false;
  pipeline::ToolList tools;  // the programs the pipeline may name
  bool progress = false;  // rank 0 draws the job's progress line (job_progress.h)
};

// Exit status when a signal stopped the job after committing what was done.
inline constexpr int kExitStopped = 75;

// Runs the job on every rank; returns the exit status (the same on every rank). Data
// errors end the whole job at once (MPI_Abort) after the failing rank reports them.
int run_job(const Comm& c, const JobOptions& o, const volatile std::sig_atomic_t* stop);

}  // namespace mlpipe::mpi
