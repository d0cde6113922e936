// Runs one stage over batches: per-thread workers, output kept in input order,
// the error policy (--on-error, --rejects) applied per record in one place.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/core/record.h"
#include "mlpipe/core/stage.h"

namespace mlpipe {

class Output;
class ThreadPool;

struct ErrorPolicy {
  bool skip = false;             // --on-error=skip
  Output* rejects = nullptr;     // --rejects FILE: skipped lines, verbatim
  std::size_t max_record_bytes = 0;  // for the message about too-long lines
};

class Executor {
 public:
  Executor(const Stage& stage, int threads, ErrorPolicy policy);
  ~Executor();

  // Processes `in`, replacing `out` with the output lines in input order. On a bad
  // record (with --on-error=fail) `out` holds the output of the records before it
  // and Error, located at that record, is thrown.
  void process(const Batch& in, std::string& out);
  // End of input: replaces `out` with what stateful workers still hold.
  void finish(std::string& out);
  // The same a part at a time: replaces `out` with the next part; returns true while
  // more remains (call again), false with the last part.
  bool finish_part(std::string& out);

  std::uint64_t records_in() const { return records_in_; }
  std::uint64_t skipped() const { return skipped_; }
  // Why the first skipped records were skipped (each located at its record), for the user.
  const std::vector<Error>& skips() const { return skips_; }

 private:
  struct Chunk;
  void run_chunk(Worker& worker, const Batch& in, Chunk& chunk);

  const Stage& stage_;
  int threads_;
  ErrorPolicy policy_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<ThreadPool> pool_;  // only with more than one thread
  std::vector<Chunk> parts_;          // per-chunk output of the batch being processed
  std::size_t finishing_ = 0;  // the worker finish_part is draining
  std::uint64_t records_in_ = 0;
  std::uint64_t skipped_ = 0;
  std::vector<Error> skips_;
};

}  // namespace mlpipe
