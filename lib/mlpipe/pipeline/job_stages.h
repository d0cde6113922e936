// The pipeline's stages as one mlmr rank runs them in-process, and the chain that passes
// what one stage writes to the next. MPI-free.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/core/executor.h"
#include "mlpipe/core/file_source.h"
#include "mlpipe/core/stage.h"
#include "mlpipe/pipeline/registry.h"

namespace mlpipe::pipeline {

// What a stage did on this rank, summed over partitions and key groups.
struct StageCounts {
  static constexpr std::size_t kMaxSkips = 10;
  std::uint64_t records_in = 0, skipped = 0;
  std::vector<Error> skips;  // the first few, each located at its record

  void add(const StageCounts& other);
  void add_skip(Error e);
};

// An executor's counts. `with_skips` false: leave the reasons out (the caller relocates them).
StageCounts counts_of(const Executor& e, bool with_skips = true);

struct JobStage {
  std::string name;
  std::unique_ptr<Stage> stage;
  ErrorPolicy policy;
};

// The job-wide defaults a stage's own options override.
struct StageDefaults {
  bool skip_errors = false;
  std::size_t max_record_bytes = std::size_t(64) << 20;
};

// A pipeline's stages and where its keyed stage is.
struct JobStages {
  std::vector<JobStage> stages;
  std::size_t keyed = 0;  // the keyed stage's index; stages.size() when there is none
  Placement placement;    // the keyed stage's

  bool has_keyed() const { return keyed < stages.size(); }
  bool reads_text() const { return !stages.empty() && stages[0].stage->reads_text(); }
  // A later stage ranks each key's whole output (mllink --top-right): keys cannot be cut.
  bool ranks_whole_keys() const;
  // Every stage's counts, zero.
  std::vector<StageCounts> zero_counts() const { return std::vector<StageCounts>(stages.size()); }
};

// Builds the stages, tools of `tools`, through `files`. Error::usage for a stage mlmr cannot run (a CSV
// header, --reload) and for a pipeline it cannot cut (text read after the first stage, two
// keyed stages, a stage ranking a key's records without a batch keyed stage before it).
JobStages build_job_stages(const std::vector<std::vector<std::string>>& words, const FileSource& files,
                           const StageDefaults& defaults, const ToolList& tools);

// Executors for stages [from, to) of `job`, one per stage.
std::vector<std::unique_ptr<Executor>> make_executors(const JobStages& job, std::size_t from, std::size_t to,
                                                      int threads);

// Runs batches through a chain of executors: what executor i writes becomes executor
// i+1's input, its records named sources[i+1] and numbered from the start of that input
// (for messages). Output reaches `emit` in blocks as it is made, so what the chain holds
// is one batch per stage, not the chain's whole output.
class StageChain {
 public:
  using Emit = std::function<void(std::string_view)>;

  StageChain(std::vector<std::unique_ptr<Executor>> execs, std::vector<std::string> sources);

  // Processes a batch from the first executor on. With no executors the records pass as they are.
  void run(const Batch& in, const Emit& emit) { run_from(0, in, emit); }
  // End of input: what each stage held goes through the stages after it, a part at a time.
  void finish(const Emit& emit);

  std::size_t size() const { return execs_.size(); }
  const Executor& executor(std::size_t i) const { return *execs_[i]; }
  const std::string& source(std::size_t i) const { return sources_[i]; }

 private:
  void run_from(std::size_t first, const Batch& in, const Emit& emit);

  std::vector<std::unique_ptr<Executor>> execs_;
  std::vector<std::string> sources_;
  std::vector<std::uint64_t> counts_;  // records each executor has seen
  Batch scratch_;                      // a stage's output as the next one's input, reused between batches
};

}  // namespace mlpipe::pipeline
