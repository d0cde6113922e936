#include "mlpipe/pipeline/job_stages.h"

#include <fmt/format.h>

#include "mlpipe/pipeline/pipeline.h"

namespace mlpipe::pipeline {

void StageCounts::add(const StageCounts& other) {
  records_in += other.records_in;
  skipped += other.skipped;
  for (const Error& e : other.skips) add_skip(e);
}

void StageCounts::add_skip(Error e) {
  if (skips.size() < kMaxSkips) skips.push_back(std::move(e));
}

StageCounts counts_of(const Executor& e, bool with_skips) {
  StageCounts c;
  c.records_in = e.records_in();
  c.skipped = e.skipped();
  if (with_skips)
    for (const Error& s : e.skips()) c.add_skip(s);
  return c;
}

bool JobStages::ranks_whole_keys() const {
  for (std::size_t i = keyed + 1; i < stages.size(); ++i)
    if (stages[i].stage->together() == Together::key) return true;
  return false;
}

namespace {

JobStage build_stage(StageSpec& s, const FileSource& files, const StageDefaults& defaults) {
  JobStage run;
  run.name = std::string(s.tool->name);
  run.stage = s.factory(files);
  if (!run.stage) throw Error::usage(fmt::format("{}: does not run as a pipeline stage", run.name));
  // A header is one line of one input, but mlmr cuts inputs into byte ranges.
  if (run.stage->reads_header())
    throw Error::usage(fmt::format("{}: --format csv reads a header line, which mlmr does not keep with each "
                                   "part of an input (convert the CSV to NDJSON records first)",
                                   run.name));
  // mlmr reads its inputs to their end, with models read once by rank 0 and broadcast:
  // there is no stream to follow.
  if (run.stage->reload() == Reload::polling)
    throw Error::usage(fmt::format("{}: --reload follows model files in a long-running stream; mlmr reads "
                                   "its models once, when the job starts (leave --reload out)",
                                   run.name));
  // A summary is of all the records, which mlmr spreads over ranks.
  if (run.stage->summarizes())
    throw Error::usage(fmt::format("{}: --accuracy sums over every record of one stream; mlmr spreads records "
                                   "over ranks (run it in a shell pipeline)",
                                   run.name));
  run.policy.skip = s.skip_errors.value_or(defaults.skip_errors);
  run.policy.max_record_bytes = s.max_record_bytes.value_or(defaults.max_record_bytes);
  return run;
}

// Finds the keyed stage and refuses the shapes mlmr cannot cut.
void check_shape(JobStages& job) {
  auto& st = job.stages;
  job.keyed = st.size();
  for (std::size_t i = 0; i < st.size(); ++i) {
    if (i > 0 && st[i].stage->reads_text())
      throw Error::usage(
          fmt::format("stage {} ({}): reads text documents, so it can only be the first stage", i + 1, st[i].name));
    Placement pl = st[i].stage->placement();
    if (pl.kind == Placement::Kind::anywhere) continue;
    if (job.has_keyed())
      throw Error::usage(fmt::format(
          "stage {} ({}): mlmr runs one keyed stage per pipeline and stage {} ({}) is one (split the pipeline "
          "into two mlmr runs)",
          i + 1, st[i].name, job.keyed + 1, st[job.keyed].name));
    job.keyed = i;
    job.placement = pl;
  }
  // A stage that ranks a key's output (mllink --top) must get each key's records in one
  // block, as the shell pipeline gives them: after a keyed stage that writes a key's
  // output together (in batch), or after one that sees everything on one rank.
  for (std::size_t i = 0; i < st.size(); ++i) {
    if (st[i].stage->together() == Together::none) continue;
    const char* why = nullptr;
    if (job.keyed >= i)
      why = "it needs a keyed stage (mljoin) before it, so that each key's records reach it together";
    else if (job.placement.kind == Placement::Kind::by_key && !st[job.keyed].stage->writes_whole_keys())
      why = "the keyed stage writes each key's output as records arrive (mljoin --stream or a window), so the "
            "runs it ranks differ between ranks and a shell pipeline";
    if (why)
      throw Error::usage(
          fmt::format("stage {} ({}): ranks what a key gives together, but {}", i + 1, st[i].name, why));
  }
}

}  // namespace

JobStages build_job_stages(const std::vector<std::vector<std::string>>& words, const FileSource& files,
                           const StageDefaults& defaults, const ToolList& tools) {
  JobStages job;
  for (StageSpec& s : parse_pipeline(words, tools)) job.stages.push_back(build_stage(s, files, defaults));
  check_shape(job);
  return job;
}

std::vector<std::unique_ptr<Executor>> make_executors(const JobStages& job, std::size_t from, std::size_t to,
                                                      int threads) {
  std::vector<std::unique_ptr<Executor>> execs;
  for (std::size_t i = from; i < to; ++i)
    execs.push_back(std::make_unique<Executor>(*job.stages[i].stage, threads, job.stages[i].policy));
  return execs;
}

StageChain::StageChain(std::vector<std::unique_ptr<Executor>> execs, std::vector<std::string> sources)
    : execs_(std::move(execs)), sources_(std::move(sources)), counts_(execs_.size(), 0) {
  if (sources_.size() != execs_.size()) throw Error("internal: a stage chain needs one source name per stage");
}

void StageChain::run_from(std::size_t first, const Batch& in, const Emit& emit) {
  if (first == execs_.size()) {  // no stages: the records themselves
    std::string out;
    for (const Record& r : in.records) {
      out.append(r.data);
      out.push_back('\n');
    }
    emit(out);
    return;
  }
  const Batch* cur = &in;
  std::string buf;
  for (std::size_t i = first; i < execs_.size(); ++i) {
    counts_[i] += cur->records.size();
    execs_[i]->process(*cur, buf);
    if (i + 1 == execs_.size()) break;
    Batch::from_lines(scratch_, std::move(buf), &sources_[i + 1]);
    buf = std::string();
    for (Record& r : scratch_.records) r.line += counts_[i + 1];
    cur = &scratch_;
  }
  if (!buf.empty()) emit(buf);
}

void StageChain::finish(const Emit& emit) {
  for (std::size_t i = 0; i < execs_.size(); ++i) {
    std::string held;
    bool more = true;
    while (more) {
      more = execs_[i]->finish_part(held);
      if (held.empty()) continue;
      if (i + 1 == execs_.size()) {
        emit(held);
        continue;
      }
      Batch b;
      Batch::from_lines(b, std::move(held), &sources_[i + 1]);
      held = std::string();
      for (Record& r : b.records) r.line += counts_[i + 1];
      run_from(i + 1, b, emit);
    }
  }
}

}  // namespace mlpipe::pipeline
