// Phase A: every rank runs the stages before the keyed one (all of them when there is
// none) over the input partitions it owns, in order. MPI-free.
#pragma once

#include <csignal>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/mapreduce/keyed_input.h"
#include "mlpipe/mapreduce/manifest.h"
#include "mlpipe/mapreduce/spool.h"
#include "mlpipe/pipeline/job_stages.h"

namespace mlpipe::mapreduce {

// What the map phase reads and how.
struct MapInput {
  const pipeline::JobStages* job = nullptr;
  const Plan* plan = nullptr;
  std::vector<std::string> displays;  // each input's name in messages
  int threads = 1;
  std::size_t max_record_bytes = std::size_t(64) << 20;  // without stages
  // For progress (may be empty): after each batch, with its input bytes; after each
  // partition this rank owns, with the records its first stage read (0 when an earlier run
  // did it: `ran` false).
  std::function<void(std::uint64_t bytes)> batch_done;
  std::function<void(std::size_t p, std::uint64_t records, bool ran)> partition_done;
};

// The names of inputs in messages: as given, "<stdin>" never occurs (mlmr reads files).
std::vector<std::string> display_names(const std::vector<InputFile>& files);

// Runs partition `p` through stages [0, keyed) and passes its output, in blocks, to `emit`.
// Adds what each of those stages did to `counts`. Errors and skip reasons carry the
// input's own line numbers, though a partition may start inside a file.
void run_partition(const MapInput& in, std::size_t p, const std::function<void(std::string_view)>& emit,
                   std::vector<pipeline::StageCounts>& counts);

// Where phase A puts a rank's output.
struct MapTarget {
  enum class Kind {
    part_file,     // no keyed stage, -o: the rank's part file, committed per partition
    stdout_root,   // no keyed stage, standard output, rank 0: written as made
    spool,         // standard output, other ranks (or before a keyed stage): a local spool
    work_files,    // before a keyed stage, -o: DIR/_work/pre-P per partition (kept for --resume)
  };
  Kind kind = Kind::spool;
  std::string part_path, journal_path;  // part_file
  std::string work_dir;                 // work_files
  std::string spool_dir;                // spool
  bool resume = false;
};

struct MapResult {
  bool stopped = false;                 // a stop signal came before the last partition
  std::vector<KeyedInputRange> keyed;   // records for the keyed stage, per partition done
  std::unique_ptr<Spool> spool;         // Kind::spool: the output
  std::vector<pipeline::StageCounts> counts;
  std::size_t parts_done = 0, parts_skipped = 0;
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;  // the job's output made here (standard output; part files are measured on disk)
};

// Runs the partitions `rank` owns (in order) into `target`. Stops between partitions when
// `*stop` is set; with --resume skips the partitions an earlier run committed.
MapResult run_map_phase(const MapInput& in, int rank, const MapTarget& target, const volatile std::sig_atomic_t* stop);

}  // namespace mlpipe::mapreduce
