#include "mlpipe/core/runner.h"

#include <unistd.h>

#include <chrono>
#include <optional>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/executor.h"
#include "mlpipe/core/input.h"
#include "mlpipe/core/output.h"

namespace mlpipe {

namespace {

// Progress on stderr, at most twice a second; silent unless asked or on a terminal.
class Progress {
 public:
  Progress(std::string_view tool, bool enabled) : tool_(tool), enabled_(enabled) {}
  ~Progress() {
    if (shown_) fmt::print(stderr, "\n");
  }
  void update(std::uint64_t records, std::uint64_t bytes) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(500)) return;
    last_ = now;
    double secs = std::chrono::duration<double>(now - start_).count();
    fmt::print(stderr, "\r{}: {} records, {:.1f} MB, {:.0f} records/s   ", tool_, records, bytes / 1e6,
               secs > 0 ? records / secs : 0.0);
    shown_ = true;
  }

 private:
  std::string_view tool_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_ = start_;
};

// Runs the executor on one batch and writes its output, also when a record failed.
void process_and_write(Executor& exec, const Batch& batch, std::string& buf, Output& out) {
  try {
    exec.process(batch, buf);
  } catch (const Error&) {
    out.write(buf);
    throw;
  }
  out.write(buf);
}

}  // namespace

RunSummary run_stage(const Stage& stage, const IoOptions& io, std::string_view tool) {
  Output out(io.output);
  std::optional<Output> rejects;
  if (!io.rejects.empty()) rejects.emplace(io.rejects);

  ErrorPolicy policy;
  policy.skip = io.skip_errors;
  policy.rejects = rejects ? &*rejects : nullptr;
  policy.max_record_bytes = io.max_record_bytes;
  Executor exec(stage, io.threads, policy);
  Progress progress(tool, io.progress);

  std::vector<std::string> inputs = io.inputs;
  if (inputs.empty()) inputs.push_back("-");

  Batch batch;
  std::string buf;
  std::uint64_t bytes = 0;
  if (stage.reads_text()) {
    // Whole documents, grouped until every thread has several megabytes or several
    // files to work on, so that one long document does not leave the others idle.
    const std::size_t threads = std::size_t(std::max(1, io.threads));
    const std::size_t group_bytes = threads * (std::size_t(4) << 20);
    const std::size_t group_files = threads * 16;
    std::vector<std::string> names;
    std::vector<std::string> texts;
    std::size_t i = 0;
    while (i < inputs.size()) {
      names.clear();
      texts.clear();
      std::size_t group_size = 0;
      while (i < inputs.size() && texts.size() < group_files && group_size < group_bytes) {
        names.push_back(display_name(inputs[i]));
        texts.push_back(read_whole_file(inputs[i]));
        group_size += texts.back().size();
        ++i;
      }
      batch.clear();
      for (std::size_t k = 0; k < texts.size(); ++k) {
        Record r;
        r.data = texts[k];
        r.readable = texts[k].capacity();
        r.source = &names[k];
        r.is_text = true;
        batch.records.push_back(r);
      }
      bytes += group_size;
      process_and_write(exec, batch, buf, out);
      progress.update(exec.records_in(), bytes);
    }
  } else {
    InputLimits limits;
    limits.max_record_bytes = io.max_record_bytes;
    limits.batch_bytes = std::max<std::size_t>(std::size_t(1) << 20, std::size_t(io.threads) * (std::size_t(256) << 10));
    if (io.line_buffered) limits.batch_records = 1;
    for (const std::string& name : inputs) {
      LineReader reader(name, limits);
      while (reader.next(batch)) {
        process_and_write(exec, batch, buf, out);
        bytes += batch.bytes;
        progress.update(exec.records_in(), bytes);
      }
    }
  }
  // What stateful stages hold comes out a part at a time (mljoin's batch pairs can be large).
  bool more = true;
  while (more) {
    more = exec.finish_part(buf);
    out.write(buf);
  }
  out.commit();
  if (rejects) rejects->commit();

  return RunSummary{exec.records_in(), exec.skipped(), exec.skip_messages()};
}

}  // namespace mlpipe
