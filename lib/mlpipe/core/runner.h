// Runs one stage as a program: inputs -> executor -> output, with progress (core/progress.h).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/core/progress.h"
#include "mlpipe/core/stage.h"

namespace mlpipe {

// The I/O options every record-writing program shares (see cli.h).
struct IoOptions {
  std::vector<std::string> inputs;  // empty: stdin
  std::string output;               // empty or "-": stdout
  int threads = 1;
  bool skip_errors = false;         // --on-error=skip
  std::string rejects;              // --rejects FILE
  std::size_t max_record_bytes = std::size_t(64) << 20;
  bool line_buffered = false;
  ProgressChoice progress_choice = ProgressChoice::automatic;  // --progress, --no-progress
  bool progress = false;  // draw the line: show_stream_progress(progress_choice, inputs)
  // When set, the input records read so far (documents for a stage that reads text), added
  // after each batch: for a caller that shows a run's progress from another thread (mlserve's
  // training jobs) rather than on stderr.
  std::atomic<std::uint64_t>* records_read = nullptr;
};

struct RunSummary {
  std::uint64_t records_in = 0;
  std::uint64_t skipped = 0;
  std::vector<Error> skips;  // the first few, located
};

// Runs `stage` over io.inputs and writes its records to io.output. Throws Error on
// failure (after writing the output of the records before the bad one) and
// BrokenPipe when stdout's reader has gone. Calls stage.between_batches() before each
// batch; for a stage that can reload its models, SIGHUP becomes a request to do so.
// At the end, calls stage.write_files() before committing the output.
RunSummary run_stage(Stage& stage, const IoOptions& io, std::string_view tool);

}  // namespace mlpipe
