#include "mlpipe/mapreduce/map_phase.h"

#include <algorithm>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "mlpipe/core/input.h"
#include "mlpipe/core/output.h"
#include "mlpipe/mapreduce/part_file.h"

namespace mlpipe::mapreduce {

namespace {

constexpr std::size_t kEmitBytes = std::size_t(4) << 20;

// A reader of a range counts lines from the range's start: these make them the file's.
Error in_file_lines(const Error& e, const std::string& display, std::uint64_t base) {
  if (base == 0 || e.file() != display || e.line() == 0) return e;
  return Error(e.file(), e.line() + base, e.what());
}

}  // namespace

std::vector<std::string> display_names(const std::vector<InputFile>& files) {
  std::vector<std::string> names;
  for (const InputFile& f : files) names.push_back(display_name(f.path));
  return names;
}

void run_partition(const MapInput& in, std::size_t p, const std::function<void(std::string_view)>& emit,
                   std::vector<pipeline::StageCounts>& counts) {
  const pipeline::JobStages& job = *in.job;
  const Partition& part = in.plan->parts[p];
  std::vector<std::unique_ptr<Executor>> execs = pipeline::make_executors(job, 0, job.keyed, in.threads);
  std::string first = in.displays[part.pieces.front().file];
  if (part.pieces.front().begin > 0) first += fmt::format("@{}", part.pieces.front().begin);
  std::vector<std::string> sources;
  for (std::size_t i = 0; i < execs.size(); ++i)
    sources.push_back(i == 0 ? first : fmt::format("{} (input of {})", first, job.stages[i].name));
  pipeline::StageChain chain(std::move(execs), std::move(sources));
  const bool text_input = chain.size() > 0 && job.reads_text();

  // Output leaves in blocks of a few MB: the chain's batches are smaller, the partition larger.
  std::string out;
  auto collect = [&](std::string_view bytes) {
    out += bytes;
    if (out.size() >= kEmitBytes) {
      emit(out);
      out.clear();
    }
  };
  // The first stage's skip reasons from NDJSON input are relocated per piece, below.
  std::vector<Error> first_skips;
  auto add_counts = [&] {
    for (std::size_t i = 0; i < chain.size(); ++i) {
      const bool relocated = i == 0 && !text_input;
      counts[i].add(pipeline::counts_of(chain.executor(i), !relocated));
      if (relocated)
        for (Error& e : first_skips) counts[i].add_skip(std::move(e));
    }
  };
  try {
    Batch batch;
    if (text_input) {
      std::vector<std::string> paths, names;
      for (const Piece& piece : part.pieces) {
        paths.push_back(in.plan->files[piece.file].path);
        names.push_back(in.displays[piece.file]);
      }
      TextReader reader(std::move(paths), std::move(names), in.threads);
      while (reader.next(batch)) {
        chain.run(batch, collect);
        if (in.batch_done) in.batch_done(batch.bytes);
      }
    } else {
      InputLimits limits;
      limits.max_record_bytes = chain.size() == 0 ? in.max_record_bytes : job.stages[0].policy.max_record_bytes;
      limits.batch_bytes =
          std::max<std::size_t>(std::size_t(1) << 20, std::size_t(in.threads) * (std::size_t(256) << 10));
      for (const Piece& pc : part.pieces) {
        const std::string& display = in.displays[pc.file];
        LineReader reader(in.plan->files[pc.file].path, &display, ByteRange{pc.begin, pc.end}, limits);
        const std::size_t seen = chain.size() == 0 ? 0 : chain.executor(0).skips().size();
        try {
          while (reader.next(batch)) {
            chain.run(batch, collect);
            if (in.batch_done) in.batch_done(batch.bytes);
          }
        } catch (const Error& e) {
          throw in_file_lines(e, display, pc.begin > 0 ? reader.line_base() : 0);
        }
        if (chain.size() == 0) continue;
        const auto& skips = chain.executor(0).skips();
        for (std::size_t m = seen; m < skips.size(); ++m) {
          const bool ours = pc.begin > 0 && skips[m].file() == display && skips[m].line() > 0;
          first_skips.push_back(in_file_lines(skips[m], display, ours ? reader.line_base() : 0));
        }
      }
    }
    chain.finish(collect);
  } catch (...) {
    add_counts();
    throw;
  }
  add_counts();
  emit(out);
}

MapResult run_map_phase(const MapInput& in, int rank, const MapTarget& target, const volatile std::sig_atomic_t* stop) {
  MapResult r;
  r.counts = in.job->zero_counts();
  std::optional<Output> stdout_out;
  std::optional<PartFile> part_file;
  using K = MapTarget::Kind;
  switch (target.kind) {
    case K::part_file:
      part_file.emplace(target.part_path, target.journal_path, target.resume);
      break;
    case K::stdout_root:
      stdout_out.emplace("");
      break;
    case K::spool:
      r.spool = std::make_unique<Spool>(target.spool_dir);
      break;
    case K::work_files:
      break;
  }
  const Plan& plan = *in.plan;
  for (std::size_t p = 0; p < plan.parts.size(); ++p) {
    if (plan.owner[p] != rank) continue;
    if (stop && *stop) {
      r.stopped = true;
      return r;
    }
    bool done_before = false;
    const std::uint64_t records_before = r.counts.empty() ? 0 : r.counts[0].records_in;
    switch (target.kind) {
      case K::part_file:
        if ((done_before = part_file->committed(p))) break;
        run_partition(in, p, [&](std::string_view b) { part_file->write(b); }, r.counts);
        part_file->commit(p);
        break;
      case K::work_files: {
        std::string path = fmt::format("{}/pre-{:05}", target.work_dir, p);
        if (!(done_before = target.resume && std::filesystem::exists(path))) {
          Output out(path);
          run_partition(in, p, [&](std::string_view b) { out.write(b); }, r.counts);
          out.commit();
        }
        r.keyed.push_back({p, path, 0, std::filesystem::file_size(path)});
        break;
      }
      case K::stdout_root:
        run_partition(in, p, [&](std::string_view b) { stdout_out->write(b), r.bytes_out += b.size(); }, r.counts);
        break;
      case K::spool: {
        std::uint64_t begin = r.spool->size();
        run_partition(in, p, [&](std::string_view b) { r.spool->write(b); }, r.counts);
        if (!in.job->has_keyed()) r.bytes_out += r.spool->size() - begin;
        if (in.job->has_keyed()) r.keyed.push_back({p, r.spool->path(), begin, r.spool->size()});
        break;
      }
    }
    if (in.partition_done)
      in.partition_done(p, r.counts.empty() ? 0 : r.counts[0].records_in - records_before, !done_before);
    if (done_before) {
      ++r.parts_skipped;
    } else {
      ++r.parts_done;
      r.bytes_in += plan.parts[p].bytes;
    }
  }
  return r;
}

}  // namespace mlpipe::mapreduce
