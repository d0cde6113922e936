#include "mlpipe/mpi/mlmr_main.h"

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "mlpipe/core/cli.h"
#include "mlpipe/core/error.h"
#include "mlpipe/core/launcher_output.h"
#include "mlpipe/core/pipe_reader.h"
#include "mlpipe/core/threads.h"
#include "mlpipe/mpi/comm.h"
#include "mlpipe/mpi/driver.h"

namespace mlpipe::mpi {

namespace {

// Set by SIGUSR1, SIGTERM (Slurm's warning before the time limit) or SIGINT (Ctrl-C): finish
// the current partition, commit, stop. A signal handler can only reach the program through a
// global.
volatile std::sig_atomic_t g_stop = 0;
// When the first stop signal came (CLOCK_MONOTONIC seconds), to tell a second request from
// the same one arriving twice: Ctrl-C reaches a rank from the terminal and again from the
// launcher, which passes it on as SIGTERM.
volatile std::sig_atomic_t g_stop_second = 0;

std::sig_atomic_t monotonic_seconds() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);  // async-signal-safe
  return std::sig_atomic_t(now.tv_sec);
}

void on_stop_signal(int sig) {
  if (sig != SIGUSR1 && g_stop && monotonic_seconds() - g_stop_second >= 2) {  // asked again: stop now
    std::signal(sig, SIG_DFL);
    std::raise(sig);
  }
  if (!g_stop) g_stop_second = monotonic_seconds();
  g_stop = 1;
}

// Set when the reader of the job's standard output has gone (see OutputReader below).
volatile std::sig_atomic_t g_reader_gone = 0;

void reader_gone() {
  g_reader_gone = 1;
  g_stop = 1;
}

// When the job's output goes through the launcher into a pipe (`mpirun … | head`) and the
// reader there goes away, only the launcher sees EPIPE: Open MPI's mpirun then aborts the
// job after a few failed writes and crashes in its clean-up, and it reports any rank that
// dies of SIGPIPE or ends with a non-zero status. So rank 0, when it runs next to the
// launcher, writes into that pipe itself (OutputRelay), and when its reader has gone it
// drops the rest, stops reporting (the stop is the reader's doing, not news), and stops the
// job as a signal would: at the next partition or exchange round, every rank agreeing, and
// the job then ends normally. The other ranks there watch the same pipe, to stop sooner.
class OutputReader {
 public:
  explicit OutputReader(int rank) {
    const std::string target = mlpipe::launcher_output();
    if (target.empty()) return;
    if (rank == 0) {
      relay_.emplace(target, STDOUT_FILENO, [] {
        int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (null >= 0) ::dup2(null, STDERR_FILENO), ::close(null);
        reader_gone();
      });
    } else {
      auto watch = std::make_shared<mlpipe::PipeReaderWatch>(target, STDOUT_FILENO);
      if (watch->active())
        std::thread([watch] {
          if (watch->reader_gone(-1)) reader_gone();
        }).detach();
    }
  }
  // Passes on what is left before the job ends.
  void finish() {
    if (relay_) relay_->finish();
  }

 private:
  std::optional<mlpipe::OutputRelay> relay_;
};

const char* kDescription = R"(Runs a pipeline of mlpipe programs, in-process, on every rank of an MPI job:
  mpirun -n N mlmr [OPTIONS] 'mlsplit … | mlfeat … | mlclassify … | mljoin … | mllink …' FILE…
Input files are split over the ranks; the stages' files (models, specs) are read by rank 0
and served to the others; records are shuffled by key before a keyed stage (mljoin); output
is merged in a deterministic order on standard output, written as one file by every rank at
once with -o FILE, or as DIR/part-RRRRR files (one per rank) with -o DIR/. See mlmr(1).)";

// What the command line sets besides JobOptions.
struct CommandLine {
  std::size_t shuffle_mb = 256;
  ProgressChoice progress = ProgressChoice::automatic;
};

void declare_options(CLI::App& app, JobOptions& o, CommandLine& line) {
  app.set_version_flag("--version", fmt::format("mlmr (mlpipe) {}", version()));
  app.add_option("pipeline", o.pipeline, "The pipeline: 'tool [options] | tool [options] …', quoted as one argument")
      ->required()
      ->type_name("PIPELINE");
  app.add_option("inputs", o.inputs, "Input files, spread over the ranks (required; no standard input)")
      ->type_name("FILE");
  app.add_option("-o,--output", o.output,
                 "Write FILE (one file, written by every rank at once with MPI-IO; it appears when complete), or, "
                 "for DIR/ (a trailing '/' or an existing directory), DIR/part-RRRRR (one per rank; their "
                 "concatenation in name order is the output) and DIR/_SUCCESS last; instead of standard output")
      ->type_name("FILE|DIR/");
  app.add_flag("--resume", o.resume,
               "With -o: keep the partitions an interrupted run committed and do only the rest");
  app.add_option("--threads", o.threads, "Worker threads per rank (default: the CPUs this rank may use)")
      ->check(CLI::Range(1, 1024));
  add_on_error_option(
      app, o.skip_errors,
      "On a bad record: fail (stop the job, exit 1) or skip (count it and go on); a stage's own --on-error wins");
  add_max_record_bytes_option(app, o.max_record_bytes, "Longest input line accepted (suffixes K, M, G)");
  app.add_option("--partition-bytes", o.partition_bytes,
                 "Size of an input partition, the unit of work and of --resume (default: about 4 per rank, 1M to 256M)")
      ->transform(CLI::AsSizeValue(false))
      ->type_name("SIZE");
  app.add_option("--shuffle-mb", line.shuffle_mb,
                 "Memory per rank for one round of the key shuffle, send and receive buffers together")
      ->check(CLI::Range(1, 4096))
      ->default_str("256");
  app.add_option("--split-pairs", o.split_min_pairs,
                 "Split a key of the keyed stage over ranks when its candidate pairs are at least N and its work is "
                 "above a fair share (mljoin in batch)")
      ->check(CLI::PositiveNumber)
      ->type_name("N")
      ->default_str("1000000");
  static_assert(mapreduce::kDefaultMaxMemory % (std::uint64_t(1) << 20) == 0, "its help shows it in whole M");
  app.add_option("--max-memory", o.max_memory,
                 "Output of key groups a rank holds in memory while it waits for its turn; beyond it, output "
                 "spills to --tmpdir (suffixes K, M, G)")
      ->transform(CLI::AsSizeValue(false))
      ->type_name("SIZE")
      ->default_str(fmt::format("{}M", mapreduce::kDefaultMaxMemory >> 20));
  app.add_flag("--no-split", o.no_split, "Never split a key: each key's work runs on one rank and thread");
  app.add_option("--tmpdir", o.tmpdir, "Node-local scratch directory (default: $TMPDIR or /tmp)")->type_name("DIR");
  app.add_flag("--stats", o.stats, "Print per-rank times, volumes and peak memory on standard error at the end");
  add_progress_options(app, line.progress,
                       "Rank 0 reports the job's progress on stderr: partitions, records, bytes of the "
                       "input and the time left (default: only when the launcher's stderr is a terminal)");
}

// The checks between options (reported as parse errors) and what they decide together.
void finish_options(JobOptions& o, const CommandLine& line, int rank) {
  o.shuffle_bytes = line.shuffle_mb << 20;
  if (o.resume && o.output.empty()) throw CLI::ValidationError("--resume", "needs -o FILE or -o DIR/");
  if (o.max_memory < (std::uint64_t(1) << 20)) throw CLI::ValidationError("--max-memory", "must be at least 1M");
  // A rank's stderr is a pipe to the launcher; the launcher's says whether someone watches.
  o.progress = rank == 0 && (line.progress == ProgressChoice::on ||
                             (line.progress == ProgressChoice::automatic &&
                              (isatty(STDERR_FILENO) || launcher_stderr_is_terminal())));
}

// The job, stoppable by signals and by the reader of its output going; ends MPI.
int run_until_stopped(const Comm& comm, const JobOptions& o) {
  std::signal(SIGUSR1, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  std::signal(SIGINT, on_stop_signal);
  std::optional<OutputReader> output_reader;
  if (o.output.empty()) output_reader.emplace(comm.rank);
  int status = run_job(comm, o, &g_stop);
  if (output_reader) output_reader->finish();
  // When the reader left, seen by any rank, a stopped job has ended normally: it stopped
  // writing, as the programs of a shell pipeline do.
  if (any(comm, g_reader_gone != 0) && status == kExitStopped) status = 0;
  finish_mpi();
  return status;
}

}  // namespace

int mlmr_main(int argc, char** argv, const pipeline::ToolList& tools) {
  std::signal(SIGPIPE, SIG_IGN);
  const Comm comm = start_mpi(argc, argv);

  JobOptions o;
  o.tools = tools;
  o.threads = default_threads();
  const char* tmp = std::getenv("TMPDIR");
  o.tmpdir = tmp && *tmp ? tmp : "/tmp";

  CLI::App app(kDescription, "mlmr");
  CommandLine line;
  declare_options(app, o, line);
  try {
    app.parse(argc, argv);
    finish_options(o, line, comm.rank);
  } catch (const CLI::Success& e) {
    if (comm.rank == 0) app.exit(e);
    finish_mpi();
    return 0;
  } catch (const CLI::ParseError& e) {
    if (comm.rank == 0) fmt::print(stderr, "mlmr: error: {}\nRun 'mlmr --help' for the options.\n", e.what());
    finish_mpi();
    return int(Exit::usage);
  }
  return run_until_stopped(comm, o);
}

}  // namespace mlpipe::mpi
