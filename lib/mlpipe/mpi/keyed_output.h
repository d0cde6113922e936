// Phase B, the work: each key group this rank writes runs through the keyed stage and the
// stages after it (a fresh worker per group, groups in parallel on threads), and so does
// each slice of a split key given to this rank; the output is written in the order of each
// group's first record, the slices of a split key in row order.
//
// Memory: a group's records are fed to the keyed stage in batches, and what a group or
// slice writes waits for its turn in a HeldOutput, which spills to a node-local spool past
// the rank's budget; slices travel to their writer in bounded blocks.
#pragma once

#include <csignal>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mlpipe/mapreduce/group_run.h"
#include "mlpipe/mapreduce/held_output.h"
#include "mlpipe/mapreduce/key_plan.h"
#include "mlpipe/mpi/comm.h"
#include "mlpipe/mpi/rank_output.h"
#include "mlpipe/mpi/shuffle.h"
#include "mlpipe/pipeline/job_stages.h"

namespace mlpipe::mpi {

struct KeyedWork {
  const pipeline::JobStages* job = nullptr;
  const mapreduce::KeyGroups* groups = nullptr;
  const std::vector<mapreduce::SplitKey>* splits = nullptr;
  const char* data_end = nullptr;  // the end of the records' memory, kJsonPadding readable bytes after it
  int threads = 1;
  std::string spool_dir;
  std::uint64_t max_memory = mapreduce::kDefaultMaxMemory;  // output held in memory before spilling (--max-memory)
  // Set by a signal (or when the reader of standard output has gone): the groups not yet
  // begun are left out, while slices still travel, so that no rank waits for one forever.
  const volatile std::sig_atomic_t* stop = nullptr;
};

struct KeyedCounts {
  std::vector<pipeline::StageCounts> stages;  // by stage of the job (those before the keyed one stay zero)
  std::size_t groups_written = 0, slices_here = 0;
  mapreduce::ExchangeCounts slices;            // slice output sent to other ranks
  std::uint64_t spilled_bytes = 0;  // output that waited on disk
  bool stopped = false;             // groups were left out: the output is incomplete
};

KeyedCounts run_keyed_work(const Comm& c, const KeyedWork& work, RankOutput& out);

}  // namespace mlpipe::mpi
