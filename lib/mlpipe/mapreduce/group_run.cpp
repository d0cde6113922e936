#include "mlpipe/mapreduce/group_run.h"

#include <memory>

#include <fmt/format.h>

namespace mlpipe::mapreduce {

namespace {

// The keyed stage as one slice of a split key sees it.
class SliceStage : public Stage {
 public:
  SliceStage(const Stage& inner, const Slice& s) : inner_(inner), slice_(s) {}
  bool concurrent() const override { return false; }
  std::unique_ptr<Worker> make_worker() const override { return inner_.make_slice_worker(slice_.begin, slice_.end); }

 private:
  const Stage& inner_;
  Slice slice_;
};

// A group's records enter the keyed stage in batches of about this size, so that what one
// batch makes (a window join's pairs) stays small whatever the group's size.
constexpr std::size_t kGroupBatchRecords = 1024;
constexpr std::size_t kGroupBatchBytes = std::size_t(1) << 20;

}  // namespace

std::optional<Error> run_group(const pipeline::JobStages& job, const std::vector<std::string_view>& records, const char* data_end,
                               std::string_view key, const Slice* slice, HeldOutput& out,
                               std::vector<pipeline::StageCounts>& counts) {
  const std::size_t n = job.stages.size() - job.keyed;
  std::optional<Error> error;
  std::optional<SliceStage> slice_stage;
  std::vector<std::unique_ptr<Executor>> execs;
  std::optional<pipeline::StageChain> chain;
  try {
    execs = pipeline::make_executors(job, job.keyed, job.stages.size(), 1);
    if (slice) {
      slice_stage.emplace(*job.stages[job.keyed].stage, *slice);
      execs[0] = std::make_unique<Executor>(*slice_stage, 1, job.stages[job.keyed].policy);
    }
    std::string what = job.placement.kind == Placement::Kind::by_key ? fmt::format(" for key {}", key) : "";
    std::vector<std::string> sources;
    for (std::size_t i = 0; i < n; ++i) sources.push_back(fmt::format("{} input{}", job.stages[job.keyed + i].name, what));
    chain.emplace(std::move(execs), std::move(sources));
    auto emit = [&](std::string_view b) { out.append(b); };
    Batch batch;
    std::uint64_t line = 0;
    std::size_t bytes = 0;
    for (std::string_view data : records) {
      Record r;
      r.data = data;
      r.readable = std::size_t(data_end + kJsonPadding - data.data());
      r.source = &chain->source(0);
      r.line = ++line;
      batch.records.push_back(r);
      bytes += data.size();
      if (batch.records.size() >= kGroupBatchRecords || bytes >= kGroupBatchBytes) {
        chain->run(batch, emit);
        batch.records.clear();
        bytes = 0;
      }
    }
    if (!batch.records.empty()) chain->run(batch, emit);
    chain->finish(emit);
    out.close();
  } catch (Error& e) {
    error = std::move(e);
  } catch (const std::bad_alloc&) {
    error = Error("out of memory");
  } catch (const std::exception& e) {
    error = Error(e.what());
  }
  if (chain) {
    // Every slice of a key reads all its records: only the first counts them for the keyed stage.
    const std::size_t counted = slice && slice->begin > 0 ? 1 : 0;
    for (std::size_t i = counted; i < chain->size(); ++i) counts[job.keyed + i].add(pipeline::counts_of(chain->executor(i)));
  }
  return error;
}

}  // namespace mlpipe::mapreduce
