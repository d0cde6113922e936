#include "mlpipe/core/runner.h"

#include <unistd.h>

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/executor.h"
#include "mlpipe/core/hangup.h"
#include "mlpipe/core/input.h"
#include "mlpipe/core/output.h"
#include "mlpipe/core/progress.h"

namespace mlpipe {

namespace {

// The runner's line: input records (documents for mlsplit), output lines when the stage
// names them, and bytes read, of the inputs' total size when they are plain files.
class StreamProgress {
 public:
  StreamProgress(const Stage& stage, const IoOptions& io, std::string_view tool)
      : meter_(std::string(tool), io.progress) {
    if (!meter_.enabled()) return;
    in_ = meter_.counter(std::string(stage.input_unit()));
    if (!stage.output_unit().empty()) out_ = meter_.counter(std::string(stage.output_unit()));
    bytes_ = meter_.counter("bytes", plain_input_bytes(io.inputs));
  }
  bool enabled() const { return meter_.enabled(); }
  // After each batch: `records` its input records, `bytes` its input bytes, `output` what
  // the stage wrote for it.
  void batch(std::uint64_t records, std::uint64_t bytes, std::string_view output) {
    if (!meter_.enabled()) return;
    meter_.add(in_, records);
    meter_.add(bytes_, bytes);
    if (out_ != kNone) meter_.add(out_, std::uint64_t(std::count(output.begin(), output.end(), '\n')));
    meter_.poll();
  }
  void clear() { meter_.clear(); }
  void finish() { meter_.finish(); }

 private:
  static constexpr std::size_t kNone = ~std::size_t(0);
  Progress meter_;
  std::size_t in_ = kNone, out_ = kNone, bytes_ = kNone;
};

// Documents in a batch of text: a long document read in pieces counts once.
std::uint64_t documents_in(const Batch& batch) {
  std::uint64_t n = 0;
  for (const Record& r : batch.records) n += !r.piece || r.piece->first;
  return n;
}

// Runs the executor on one batch and writes its output, also when a record failed.
void process_and_write(Executor& exec, const Batch& batch, std::string& buf, Output& out, StreamProgress& progress) {
  try {
    exec.process(batch, buf);
  } catch (const Error&) {
    out.write(buf);
    progress.finish();  // the error message goes on a line of its own
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
  StreamProgress progress(stage, io, tool);
  auto boundary = [&] {
    BatchBoundary b;
    b.tool = tool;
    b.reload_requested = reloads && take_hangup();
    log.clear();
    stage.between_batches(b, log);
    if (!log.empty()) {
      progress.clear();
      fmt::print(stderr, "{}", log);
    }
  };
  Output out(io.output);
  std::optional<Output> rejects;
  if (!io.rejects.empty()) rejects.emplace(io.rejects);

  ErrorPolicy policy;
  policy.skip = io.skip_errors;
  policy.rejects = rejects ? &*rejects : nullptr;
  policy.max_record_bytes = io.max_record_bytes;
  Executor exec(stage, io.threads, policy);

  std::vector<std::string> inputs = io.inputs;
  if (inputs.empty()) inputs.push_back("-");

  Batch batch;
  std::string buf;
  if (stage.reads_text()) {
    std::vector<std::string> names;
    for (const std::string& in : inputs) names.push_back(display_name(in));
    TextPieces pieces;
    pieces.cut = [&stage](std::string_view text) { return stage.text_piece_end(text); };
    TextReader reader(inputs, std::move(names), io.threads, std::move(pieces));
    while (reader.next(batch)) {
      boundary();
      process_and_write(exec, batch, buf, out, progress);
      progress.batch(documents_in(batch), batch.bytes, buf);
      if (io.records_read) io.records_read->fetch_add(documents_in(batch), std::memory_order_relaxed);
    }
  } else {
    InputLimits limits;
    limits.max_record_bytes = io.max_record_bytes;
    limits.batch_bytes = std::max<std::size_t>(std::size_t(1) << 20, std::size_t(io.threads) * (std::size_t(256) << 10));
    if (io.line_buffered) limits.batch_records = 1;
    bool header_written = false;
    for (const std::string& name : inputs) {
      LineReader reader(name, limits);
      bool first = stage.reads_header();
      while (reader.next(batch)) {
        if (first && !batch.records.empty()) {
          first = false;
          take_header(stage, batch);
          if (!header_written) {
            header_written = true;
            buf = stage.header_output();
            out.write(buf);
          }
        }
        boundary();
        process_and_write(exec, batch, buf, out, progress);
        progress.batch(batch.records.size(), batch.bytes, buf);
        if (io.records_read) io.records_read->fetch_add(batch.records.size(), std::memory_order_relaxed);
      }
    }
  }
  progress.finish();  // what follows has no measure: the stage's held output, then messages
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
