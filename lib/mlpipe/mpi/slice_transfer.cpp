#include "mlpipe/mpi/slice_transfer.h"

#include <chrono>
#include <thread>

namespace mlpipe::mr {

namespace {
constexpr int kSliceTag = 20;
}

SliceSender::SliceSender(const Comm& c, std::size_t in_flight_bytes) : c_(c), limit_(in_flight_bytes) {}

SliceSender::~SliceSender() {
  // A job ending on an error aborts; normally finish() has emptied this.
  for (Posted& p : posted_) MPI_Cancel(&p.request);
}

void SliceSender::add(int to, HeldOutput& out) { queue_.push_back({to, &out}); }

void SliceSender::progress() {
  while (!posted_.empty()) {
    int done = 0;
    MPI_Test(&posted_.front().request, &done, MPI_STATUS_IGNORE);
    if (!done) break;
    in_flight_ -= posted_.front().block.size();
    posted_.pop_front();
  }
  while (!queue_.empty() && in_flight_ < limit_) {
    Stream& s = queue_.front();
    std::string block;
    const bool more = s.out->next_block(block);  // an empty block ends the stream
    posted_.push_back({std::move(block), MPI_REQUEST_NULL});
    Posted& p = posted_.back();
    MPI_Isend(p.block.data(), int(p.block.size()), MPI_BYTE, s.to, kSliceTag, c_.comm, &p.request);
    in_flight_ += p.block.size();
    ++counts_.messages;
    counts_.bytes += p.block.size();
    if (!more) queue_.pop_front();
  }
}

void SliceSender::finish() {
  while (!queue_.empty() || !posted_.empty()) {
    progress();
    if (!posted_.empty()) {
      MPI_Wait(&posted_.front().request, MPI_STATUS_IGNORE);
      in_flight_ -= posted_.front().block.size();
      posted_.pop_front();
    }
  }
}

void receive_slice(const Comm& c, int from, const std::function<void(std::string_view)>& receive,
                   const std::function<void()>& idle) {
  std::string buf;
  while (true) {
    MPI_Status st;
    int arrived = 0;
    MPI_Iprobe(from, kSliceTag, c.comm, &arrived, &st);
    if (!arrived) {
      idle();
      // Not a busy loop: on an oversubscribed node the slice's sender needs this CPU.
      std::this_thread::sleep_for(std::chrono::microseconds(20));
      continue;
    }
    int n = 0;
    MPI_Get_count(&st, MPI_BYTE, &n);
    buf.resize(std::size_t(n));
    MPI_Recv(buf.data(), n, MPI_BYTE, from, kSliceTag, c.comm, MPI_STATUS_IGNORE);
    if (n == 0) return;
    receive(buf);
  }
}

}  // namespace mlpipe::mr
