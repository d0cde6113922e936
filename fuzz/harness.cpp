#include "harness.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>

#include "mlpipe/core/error.h"
#include "mlpipe/core/file_source.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/record.h"
#include "mlpipe/core/runner.h"

namespace mlpipe::fuzz {

std::string source_path(std::string_view relative) { return std::string(MLPIPE_SOURCE_DIR "/") += relative; }

void violated(std::string_view what) {
  std::fprintf(stderr, "fuzz: property violated: %.*s\n", int(what.size()), what.data());
  std::abort();
}

void expect_ndjson(std::string_view ndjson, std::string_view who) {
  if (ndjson.empty()) return;
  expect(ndjson.back() == '\n', "output ends with a newline");
  Batch batch;
  static const std::string name = "output";
  Batch::from_lines(batch, std::string(ndjson), &name);
  JsonReader reader;
  for (const Record& r : batch.records) {
    try {
      reader.index(r);
    } catch (const Error& e) {
      std::fprintf(stderr, "fuzz: %.*s wrote a line that is not a JSON object (%s):\n%.*s\n", int(who.size()),
                   who.data(), e.what(), int(r.data.size()), r.data.data());
      std::abort();
    }
  }
}

StageHarness::StageHarness(const ToolDef& tool, std::vector<std::string> words) : name_(tool.name) {
  for (std::string& w : words)
    if (auto at = w.find("{src}"); at != std::string::npos) w.replace(at, 5, MLPIPE_SOURCE_DIR);
  app_ = std::make_shared<CLI::App>(std::string(tool.summary), std::string(tool.name));
  IoOptions io;
  add_io_options(*app_, io, tool.writes_records);
  StageFactory factory = tool.declare(*app_);
  std::vector<std::string> args(words.rbegin(), words.rend());  // CLI11 takes them reversed
  try {
    app_->parse(args);
    stage_ = factory(local_files());
  } catch (const std::exception& e) {
    // The words are fixed: a harness that cannot build its stage is broken, not the input.
    std::fprintf(stderr, "fuzz: cannot build %s: %s\n", name_.c_str(), e.what());
    std::exit(1);
  }
  if (!stage_) {
    std::fprintf(stderr, "fuzz: %s made no stage\n", name_.c_str());
    std::exit(1);
  }
}

StageHarness::~StageHarness() = default;

void StageHarness::run(std::string_view input, bool finish, bool json_output) {
  static const std::string source = "fuzz.ndjson";
  Batch batch;
  Batch::from_lines(batch, std::string(input), &source);
  std::size_t first = 0;
  if (stage_->reads_header() && !batch.records.empty()) {
    try {
      stage_->header(batch.records[0]);
    } catch (const Error&) {
      return;
    }
    first = 1;
  }
  std::unique_ptr<Worker> worker = stage_->make_worker();
  std::string out;
  for (std::size_t i = first; i < batch.records.size(); ++i) {
    std::size_t mark = out.size();
    try {
      worker->process(batch.records[i], out);
    } catch (const Error&) {
      out.resize(mark);  // as the executor undoes a refused record's output
    }
  }
  if (finish) {
    try {
      while (worker->finish_part(out)) {
      }
    } catch (const Error&) {
    }
  }
  if (json_output) expect_ndjson(out, name_);
}

}  // namespace mlpipe::fuzz
