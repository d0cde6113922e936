#include "mlpipe/mapreduce/output_target.h"

#include <filesystem>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/input.h"
#include "mlpipe/core/output.h"
#include "mlpipe/core/parse_number.h"

namespace mlpipe::mapreduce {

namespace fs = std::filesystem;

namespace {

bool exists(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

bool is_directory(const std::string& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

// part-RRRRR: the part of rank R.
bool part_rank(const std::string& name, std::size_t& rank) {
  if (name.size() != 10 || name.rfind("part-", 0) != 0) return false;
  const std::optional<std::size_t> r = parse_integer<std::size_t>(std::string_view(name).substr(5));
  if (r) rank = *r;
  return r.has_value();
}

}  // namespace

std::string OutputTarget::parts_dir() const {
  switch (kind) {
    case Kind::directory:
      return path;
    case Kind::file:
      return path + ".mlmr";
    case Kind::standard_output:
      break;
  }
  return {};
}

std::string OutputTarget::part_path(int rank) const { return fmt::format("{}/part-{:05}", parts_dir(), rank); }

std::string OutputTarget::journal_path(int rank) const { return fmt::format("{}/journal-{:05}", work_dir(), rank); }

OutputTarget parse_output_target(const std::string& arg) {
  OutputTarget t;
  if (arg.empty()) return t;
  if (arg == "-") throw Error::usage("-o -: standard output is where mlmr writes without -o");
  t.path = arg;
  if (arg.back() == '/' || is_directory(arg)) {
    t.kind = OutputTarget::Kind::directory;
    while (t.path.size() > 1 && t.path.back() == '/') t.path.pop_back();
  } else {
    t.kind = OutputTarget::Kind::file;
  }
  return t;
}

Plan prepare_run(const OutputTarget& target, const PlanRequest& request) {
  Plan plan;
  plan.files = stat_inputs(request.inputs);
  const std::string header = manifest_header(request.pipeline, plan.files);
  bool resumed = false;
  const std::string dir = target.parts_dir();
  if (!dir.empty()) {
    if (target.kind == OutputTarget::Kind::file && is_directory(target.path))
      throw Error(target.path, 0, "is a directory: write -o DIR/ for part files");
    const std::string manifest = dir + "/_manifest";
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error(dir, 0, fmt::format("cannot create the output directory: {}", ec.message()));
    if (request.resume && exists(manifest)) {
      if (!read_manifest(read_whole_file(manifest), header, plan))
        throw Error(dir, 0,
                    "holds a run of another pipeline or of other (or changed) inputs: remove it, or run without "
                    "--resume to replace it");
      if (request.parts_per_rank && plan.ranks != request.ranks)
        throw Error(dir, 0,
                    fmt::format("was written by {} ranks and its part files are per rank: resume it with {} "
                                "ranks, or run without --resume",
                                plan.ranks, plan.ranks));
      resumed = true;
      plan.complete = exists(dir + "/_SUCCESS");
      // Half-written files of the interrupted run (temporaries never renamed into place).
      for (const std::string& d : {dir, dir + "/_work"})
        for (const auto& e : fs::directory_iterator(d, ec))
          if (e.path().filename().string().find(".tmp.") != std::string::npos) fs::remove(e.path(), ec);
    } else {
      // A new run: clear what an earlier run left (only the names mlmr writes).
      for (const auto& e : fs::directory_iterator(dir, ec)) {
        std::string n = e.path().filename().string();
        if (n.rfind("part-", 0) == 0 || n == "_SUCCESS" || n == "_manifest" || n == "_work")
          fs::remove_all(e.path(), ec);
      }
    }
  }
  if (!resumed) {
    std::uint64_t total = 0;
    for (const InputFile& f : plan.files) total += f.size;
    std::uint64_t size = request.partition_bytes ? request.partition_bytes : auto_partition_bytes(total, request.ranks);
    plan.parts = plan_partitions(plan.files, request.whole_files, size);
  }
  plan.ranks = request.ranks;  // from now on, the part files are this run's
  if (!dir.empty()) {
    std::error_code ec;
    fs::create_directories(target.work_dir(), ec);
    if (ec) throw Error(dir, 0, fmt::format("cannot create _work in it: {}", ec.message()));
    write_file_atomically(dir + "/_manifest", manifest_text(request.pipeline, plan));
  }
  return plan;
}

void commit_parts(const OutputTarget& target, int ranks) {
  const std::string dir = target.parts_dir();
  std::error_code ec;
  fs::remove_all(target.work_dir(), ec);
  // Part files of an interrupted run on more ranks are not this run's.
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::size_t rank = 0;
    if (part_rank(e.path().filename().string(), rank) && rank >= std::size_t(ranks)) fs::remove(e.path(), ec);
  }
  write_file_atomically(dir + "/_SUCCESS", "");
}

void remove_parts(const OutputTarget& target) {
  std::error_code ec;
  fs::remove_all(target.parts_dir(), ec);
}

}  // namespace mlpipe::mapreduce
