// The runner's batch boundary: between_batches() before every batch, with no worker
// running, and SIGHUP turned into a request seen at the next boundary for stages that
// reload (instead of ending the process).
#include <doctest/doctest.h>

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "mlpipe/core/hangup.h"
#include "mlpipe/core/runner.h"

using namespace mlpipe;

namespace {

// Writes, for each record, the generation its batch was given; a record holding "hup"
// sends SIGHUP to the process. Each request at a boundary starts a new generation.
class GenerationStage : public Stage {
 public:
  class W : public Worker {
   public:
    explicit W(const GenerationStage& s) : s_(s) {}
    void process(const Record& in, std::string& out) override {
      if (in.data.find("hup") != std::string_view::npos) std::raise(SIGHUP);
      out += std::to_string(s_.generation) + "\n";
    }
    const GenerationStage& s_;
  };
  std::unique_ptr<Worker> make_worker() const override { return std::make_unique<W>(*this); }
  Reload reload() const override { return Reload::on_request; }
  void between_batches(const BatchBoundary& b, std::string& log) override {
    ++boundaries;
    CHECK(b.tool == "test");
    if (b.reload_requested) {
      ++generation;
      log += "test: new generation\n";
    }
  }
  int boundaries = 0;
  int generation = 0;
};

std::string temp_file(const std::string& contents) {
  char buf[] = "/tmp/mlpipe-boundary-XXXXXX";
  int fd = mkstemp(buf);
  REQUIRE(fd >= 0);
  CHECK(write(fd, contents.data(), contents.size()) == ssize_t(contents.size()));
  close(fd);
  return buf;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("SIGHUP is a request served at the next batch boundary, not the end of the process") {
  GenerationStage stage;
  IoOptions io;
  io.inputs = {temp_file("{\"a\":1}\n{\"hup\":1}\n{\"a\":2}\n{\"a\":3}\n{\"hup\":2}\n{\"a\":4}\n")};
  io.output = io.inputs[0] + ".out";
  io.line_buffered = true;  // one record per batch
  take_hangup();            // nothing left over from elsewhere
  RunSummary summary = run_stage(stage, io, "test");
  CHECK(summary.records_in == 6);
  CHECK(stage.boundaries == 6);
  // The record that raised it was scored in its batch; the next batch sees the new generation.
  CHECK(slurp(io.output) == "0\n0\n1\n1\n1\n2\n");
  CHECK(!take_hangup());
  std::remove(io.inputs[0].c_str());
  std::remove(io.output.c_str());
}
