#include "mlpipe/mpi/driver.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/output.h"
#include "mlpipe/mapreduce/manifest.h"
#include "mlpipe/mapreduce/map_phase.h"
#include "mlpipe/mapreduce/output_target.h"
#include "mlpipe/mapreduce/shared_files.h"
#include "mlpipe/mpi/agree.h"
#include "mlpipe/mpi/job_progress.h"
#include "mlpipe/mpi/job_report.h"
#include "mlpipe/mpi/key_directory.h"
#include "mlpipe/mpi/keyed_output.h"
#include "mlpipe/mpi/rank_output.h"
#include "mlpipe/mpi/shuffle.h"
#include "mlpipe/pipeline/job_stages.h"
#include "mlpipe/pipeline/pipeline.h"

namespace mlpipe::mpi {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Rank 0 builds its stages first, from its own file system, and keeps what they read
// (models, sidecars, specs, vocabularies); the other ranks build theirs from those bytes.
// A failure on rank 0 (a missing model) is reported once, by rank 0.
pipeline::JobStages build_on_every_rank(const Comm& c, const JobOptions& o,
                                        const std::vector<std::vector<std::string>>& words,
                                        mapreduce::RankStats& stats) {
  const pipeline::StageDefaults defaults{o.skip_errors, o.max_record_bytes};
  pipeline::JobStages job;
  std::string packed;
  agree(c, [&] {
    if (c.rank != 0) return;
    mapreduce::RecordingFileSource recorded(local_files());
    job = pipeline::build_job_stages(words, recorded, defaults, o.tools);
    packed = recorded.answers().pack();
  });
  bcast_bytes(c, packed, 0);
  agree(c, [&] {
    mapreduce::FileAnswers answers = mapreduce::FileAnswers::unpack(packed);
    packed = std::string();
    stats.model_files = answers.files();
    stats.model_bytes = answers.bytes();
    if (c.rank != 0)
      job = pipeline::build_job_stages(words, mapreduce::ServingFileSource(std::move(answers)), defaults, o.tools);
  });
  return job;
}

// Rank 0 plans the inputs (and prepares the parts directory); every rank gets the plan.
mapreduce::Plan plan_on_every_rank(const Comm& c, const JobOptions& o, const mapreduce::OutputTarget& target,
                                   const pipeline::JobStages& job) {
  std::string text;
  agree(c, [&] {
    if (c.rank != 0) return;
    mapreduce::PlanRequest request{o.pipeline, o.inputs,          job.reads_text(), !job.has_keyed(),
                                   c.size,     o.partition_bytes, o.resume};
    text = mapreduce::encode_plan(o.pipeline, mapreduce::prepare_run(target, request));
  });
  bcast_bytes(c, text, 0);
  mapreduce::Plan plan;
  agree(c, [&] { plan = mapreduce::decode_plan(text, o.pipeline, o.inputs, c.size); });
  return plan;
}

mapreduce::MapTarget map_target(const Comm& c, const JobOptions& o, const mapreduce::OutputTarget& target,
                                const pipeline::JobStages& job) {
  mapreduce::MapTarget t;
  t.resume = o.resume;
  t.spool_dir = o.tmpdir;
  using K = mapreduce::MapTarget::Kind;
  if (!job.has_keyed() && !target.to_stdout()) {
    t.kind = K::part_file;
    t.part_path = target.part_path(c.rank);
    t.journal_path = target.journal_path(c.rank);
  } else if (!job.has_keyed() && c.rank == 0) {
    t.kind = K::stdout_root;
  } else if (job.has_keyed() && !target.to_stdout()) {
    t.kind = K::work_files;
    t.work_dir = target.work_dir();
  } else {
    t.kind = K::spool;
  }
  return t;
}

// Phase B. False when a signal stopped it.
bool run_keyed_phase(const Comm& c, const JobOptions& o, const pipeline::JobStages& job, const mapreduce::Plan& plan,
                     const std::vector<mapreduce::KeyedInputRange>& keyed_input, const mapreduce::OutputTarget& target,
                     std::vector<pipeline::StageCounts>& counts, mapreduce::RankStats& stats,
                     const volatile std::sig_atomic_t* stop) {
  const Stage& keyed = *job.stages[job.keyed].stage;
  const bool by_key = job.placement.kind == Placement::Kind::by_key;
  const bool products = by_key && !o.no_split && !job.ranks_whole_keys() && keyed.splits_products();
  const std::size_t per_dest = std::max<std::size_t>(o.shuffle_bytes / 2 / std::size_t(c.size), 64 << 10);

  mapreduce::KeyTable keys;
  {
    mapreduce::KeyedInputScanner scan(keyed_input);
    keys = mapreduce::scan_keys(scan, mapreduce::KeyReading{&keyed, job.placement, products});
  }
  RoutingSetup setup{&plan.owner, mapreduce::SplitPolicy{c.size, std::max(1, o.threads), o.split_min_pairs}, products,
                     per_dest};
  KeyRoutes routes = route_keys(c, keys, setup, stop);
  stats.directory = routes.directory;
  stats.routing = routes.routing;
  if (routes.stopped) return false;
  stats.splits = routes.splits.size();

  mapreduce::Spool received(o.tmpdir);
  if (!shuffle_records(c, keyed_input, keys, routes, per_dest, received, stop, stats.records)) return false;
  keys = mapreduce::KeyTable();
  const std::string_view entries = received.map();
  const mapreduce::KeyGroups groups = mapreduce::group_records(entries);

  RankOutput out(c, target, o.tmpdir);
  KeyedWork work{&job,      &groups,  &routes.splits, entries.data() + entries.size(), o.threads,
                 o.tmpdir, o.max_memory, stop};
  KeyedCounts done = run_keyed_work(c, work, out);
  // Stopped: standard output still gathers what was made; a part file is left uncommitted,
  // for --resume to redo this phase.
  const bool stopped = any(c, done.stopped);
  if (!stopped || target.to_stdout()) out.close();
  for (std::size_t i = 0; i < counts.size(); ++i) counts[i].add(done.stages[i]);
  stats.groups = done.groups_written;
  stats.slices_here = done.slices_here;
  stats.slices = done.slices;
  stats.spilled = done.spilled_bytes;
  stats.output_bytes = out.bytes();
  return !stopped;
}

std::uint64_t file_size_or_zero(const std::string& path) {
  std::error_code ec;
  auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : std::uint64_t(n);
}

int run(const Comm& c, const JobOptions& o, const volatile std::sig_atomic_t* stop) {
  const auto t0 = Clock::now();
  mapreduce::RankStats stats;
  std::vector<std::vector<std::string>> words;
  mapreduce::OutputTarget target;
  agree(c, [&] {
    words = pipeline::split_pipeline(o.pipeline);
    pipeline::parse_pipeline(words, o.tools);  // usage errors, before anything is read
    if (o.inputs.empty()) throw Error::usage("no input files (give FILE… after the pipeline)");
    target = mapreduce::parse_output_target(o.output);
    if (o.resume && target.to_stdout()) throw Error::usage("--resume needs -o FILE or -o DIR/");
  });
  stats.output_mode = target.kind == mapreduce::OutputTarget::Kind::file        ? "file"
                      : target.kind == mapreduce::OutputTarget::Kind::directory ? "dir"
                                                                     : "stdout";
  pipeline::JobStages job = build_on_every_rank(c, o, words, stats);
  mapreduce::Plan plan = plan_on_every_rank(c, o, target, job);

  std::vector<pipeline::StageCounts> counts = job.zero_counts();
  bool stopped = false;
  JobProgress progress(c, c.rank == 0 && o.progress, plan);
  if (!plan.complete) {
    const auto ta = Clock::now();
    mapreduce::MapInput input{&job, &plan, mapreduce::display_names(plan.files), o.threads, o.max_record_bytes, {}, {}};
    progress.hook(input);
    mapreduce::MapResult map = mapreduce::run_map_phase(input, c.rank, map_target(c, o, target, job), stop);
    progress.end_map();
    stats.map_seconds = seconds_since(ta);
    stats.parts_done = map.parts_done;
    stats.parts_skipped = map.parts_skipped;
    stats.bytes_in = map.bytes_in;
    stats.output_bytes = map.bytes_out;
    counts = std::move(map.counts);
    stopped = any(c, map.stopped);
    if (!stopped) {
      const auto tb = Clock::now();
      if (job.has_keyed()) {
        progress.keyed(job.stages[job.keyed].name);
        stopped = !run_keyed_phase(c, o, job, plan, map.keyed, target, counts, stats, stop);
      } else if (target.to_stdout()) {
        std::optional<Output> root;
        if (c.rank == 0) root.emplace("");
        gather_to_root(c, root ? &*root : nullptr, map.spool.get());
      }
      stats.keyed_seconds = seconds_since(tb);
    }
    progress.finish();  // before the job's messages
    report_skips(c, job, counts);
    if (stopped) {
      if (c.rank == 0)
        fmt::print(stderr, "mlmr: stopped by a signal{}\n",
                   target.to_stdout() ? ": output incomplete"
                                      : fmt::format(": finished partitions are committed in {}; rerun with --resume",
                                                    target.parts_dir()));
      return kExitStopped;
    }
    // What stages write besides records (--write-spec), once per job: by rank 0.
    agree(c, [&] {
      if (c.rank == 0)
        for (const pipeline::JobStage& s : job.stages) s.stage->write_files();
    });
    if (!target.to_stdout()) {
      MPI_Barrier(c.comm);  // every part is in place before the marker
      agree(c, [&] {
        if (c.rank == 0) mapreduce::commit_parts(target, c.size);
      });
    }
  } else if (c.rank == 0 && target.kind != mapreduce::OutputTarget::Kind::file) {
    fmt::print(stderr, "mlmr: {}: already complete (_SUCCESS present); nothing to do\n", target.parts_dir());
  }
  if (target.kind == mapreduce::OutputTarget::Kind::file) {
    FileWriteCounts w = write_one_file(c, target);
    stats.output_bytes = w.bytes;
    stats.output_seconds = w.seconds;
  } else if (target.kind == mapreduce::OutputTarget::Kind::directory) {
    stats.output_bytes = file_size_or_zero(target.part_path(c.rank));
  }
  if (o.stats) {
    stats.total_seconds = seconds_since(t0);
    stats.peak_rss_kb = mapreduce::peak_rss_kb();
    report_stats(c, stats);
  }
  return 0;
}

}  // namespace

int run_job(const Comm& c, const JobOptions& o, const volatile std::sig_atomic_t* stop) {
  try {
    return run(c, o, stop);
  } catch (const JobEnd& end) {
    return end.code;
  } catch (const BrokenPipe&) {
    // This rank's standard output lost its reader (no launcher in between: a single rank
    // run without mpirun). End as a pipeline's program does, killed by SIGPIPE: status 141,
    // no message; a launcher then ends the other ranks.
    std::signal(SIGPIPE, SIG_DFL);
    std::raise(SIGPIPE);
    MPI_Abort(c.comm, int(Exit::broken_pipe));
  } catch (const Error& e) {
    fmt::print(stderr, "{}\n", format_job_error(e, c.rank));
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "{}\n", format_job_error(Error("out of memory"), c.rank));
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}\n", format_job_error(Error(e.what()), c.rank));
  }
  std::fflush(stderr);
  // The other ranks may be waiting for this one in a collective: end them all now.
  MPI_Abort(c.comm, int(Exit::failure));
  return int(Exit::failure);
}

}  // namespace mlpipe::mpi
