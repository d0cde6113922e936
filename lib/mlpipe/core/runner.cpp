#include "mlpipe/core/runner.h"

#include <unistd.h>

#include <chrono>
#include <optional>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/executor.h"
#include "mlpipe/core/hangup.h"
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

// Hands the input's first line to the stage as its header and takes it out of the batch.
void take_header(const Stage& stage, Batch& batch) {
  const Record& first = batch.records.front();
  if (first.too_long) throw Error(first.source_name(), first.line, "the header line is longer than --max-record-bytes");
  try {
    stage.header(first);
  } catch (Error& e) {
    e.locate(first.source_name(), first.line);
    throw;
  }
  batch.records.erase(batch.records.begin());
}

}  // namespace

RunSummary run_stage(Stage& stage, const IoOptions& io, std::string_view tool) {
  // Before the output is opened: a SIGHUP from then on is a request, never the end.
  const bool reloads = stage.reload() != Reload::never;
  if (reloads) catch_hangup();
  std::string log;
  auto boundary = [&] {
    BatchBoundary b;
    b.tool = tool;
    b.reload_requested = reloads && take_hangup();
    log.clear();
    stage.between_batches(b, log);
    if (!log.empty()) fmt::print(stderr, "{}", log);
  };
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
    std::vector<std::string> names;
    for (const std::string& in : inputs) names.push_back(display_name(in));
    TextPieces pieces;
    pieces.cut = [&stage](std::string_view text) { return stage.text_piece_end(text); };
    TextReader reader(inputs, std::move(names), io.threads, std::move(pieces));
    while (reader.next(batch)) {
      boundary();
      bytes += batch.bytes;
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
      bool first = stage.reads_header();
      while (reader.next(batch)) {
        if (first && !batch.records.empty()) {
          first = false;
          take_header(stage, batch);
        }
        boundary();
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
  stage.write_files();  // before the output appears: a run that could not write them failed
  out.commit();
  if (rejects) rejects->commit();
  if (std::string lines = stage.summary(); !lines.empty()) fmt::print(stderr, "{}", lines);

  return RunSummary{exec.records_in(), exec.skipped(), exec.skips()};
}

}  // namespace mlpipe
