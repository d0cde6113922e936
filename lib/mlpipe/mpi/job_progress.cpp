#include "mlpipe/mpi/job_progress.h"

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "mlpipe/core/launcher_output.h"

namespace mlpipe::mpi {

namespace {
constexpr int kTag = 1;
// A message: partition, records, ran (1) or done before (0); partition ~0: the rank is done.
constexpr std::uint64_t kEnd = ~std::uint64_t(0);
}  // namespace

JobProgress::JobProgress(const Comm& c, bool show, const mapreduce::Plan& plan) : c_(c), plan_(&plan) {
  int on = show ? 1 : 0;
  MPI_Bcast(&on, 1, MPI_INT, 0, c.comm);
  on_ = on != 0;
  if (!on_) return;
  MPI_Comm_dup(c.comm, &comm_);
  if (c.rank != 0) return;
  // Forced with --progress, stderr may be a file: the meter writes lines there instead. Under
  // a launcher, stderr is a pipe to it, which copies it to its own: a terminal, maybe.
  ProgressOutput out = stderr_progress_output();
  if (!out.terminal && launcher_stderr_is_terminal()) {
    out.terminal = true;
    out.width = 79;
  }
  meter_ = std::make_unique<Progress>("mlmr", true, std::move(out));
  parts_ = meter_->counter("partitions", plan.parts.size());
  records_ = meter_->counter("records");
  std::uint64_t total = 0;
  for (const mapreduce::Partition& p : plan.parts) total += p.bytes;
  bytes_ = meter_->counter("bytes", total);
  meter_->measure(bytes_);  // partitions differ in records, not much in bytes
}

JobProgress::~JobProgress() {
  heartbeat_.reset();
  meter_.reset();
  if (comm_ != MPI_COMM_NULL) MPI_Comm_free(&comm_);
}

void JobProgress::hook(mapreduce::MapInput& in) {
  if (!on_) return;
  if (c_.rank == 0) {
    in.batch_done = [this](std::uint64_t b) {
      live_bytes_ += b;
      meter_->add(bytes_, b);
      receive(false);
      meter_->poll();
    };
    in.partition_done = [this](std::size_t p, std::uint64_t records, bool ran) {
      meter_->add(parts_);
      meter_->add(records_, records);
      // Bytes counted batch by batch while it ran; a partition done before counts whole.
      const std::uint64_t whole = plan_->parts[p].bytes;
      meter_->add(bytes_, ran ? (whole > live_bytes_ ? whole - live_bytes_ : 0) : whole);
      live_bytes_ = 0;
      receive(false);
      meter_->poll();
    };
  } else {
    in.partition_done = [this](std::size_t p, std::uint64_t records, bool ran) {
      sent_.push_back({std::uint64_t(p), records, ran ? 1u : 0u});
      requests_.emplace_back();
      MPI_Isend(sent_.back().data(), 3, MPI_UINT64_T, 0, kTag, comm_, &requests_.back());
    };
  }
}

void JobProgress::receive(bool wait) {
  for (;;) {
    int arrived = 0;
    MPI_Status st;
    if (wait) {
      MPI_Probe(MPI_ANY_SOURCE, kTag, comm_, &st);
      arrived = 1;
    } else {
      MPI_Iprobe(MPI_ANY_SOURCE, kTag, comm_, &arrived, &st);
    }
    if (!arrived) return;
    int n = 0;
    MPI_Get_count(&st, MPI_UINT64_T, &n);
    std::vector<std::uint64_t> m(std::size_t(std::max(n, 0)));
    MPI_Recv(m.data(), n, MPI_UINT64_T, st.MPI_SOURCE, kTag, comm_, MPI_STATUS_IGNORE);
    for (std::size_t i = 0; i + 3 <= m.size(); i += 3) {
      if (m[i] == kEnd) {
        ++ended_;
        continue;
      }
      meter_->add(parts_);
      meter_->add(records_, m[i + 1]);
      if (m[i] < plan_->parts.size()) meter_->add(bytes_, plan_->parts[m[i]].bytes);
    }
    if (wait) return;
  }
}

void JobProgress::end_map() {
  if (!on_) return;
  if (c_.rank != 0) {
    // The end comes after this rank's partitions (messages from one rank arrive in order).
    sent_.push_back({kEnd, 0, 0});
    requests_.emplace_back();
    MPI_Isend(sent_.back().data(), 3, MPI_UINT64_T, 0, kTag, comm_, &requests_.back());
    MPI_Waitall(int(requests_.size()), requests_.data(), MPI_STATUSES_IGNORE);
    requests_.clear();
    sent_.clear();
    return;
  }
  while (ended_ < c_.size - 1) {
    receive(true);
    meter_->poll();
  }
}

void JobProgress::keyed(std::string_view name) {
  if (!on_ || c_.rank != 0) return;
  meter_->note(fmt::format("{}: keyed stage", name));
  heartbeat_ = std::make_unique<Heartbeat>(*meter_);
}

void JobProgress::finish() {
  heartbeat_.reset();
  if (meter_) meter_->finish();
}

}  // namespace mlpipe::mpi
