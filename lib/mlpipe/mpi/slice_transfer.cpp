#include "mlpipe/mpi/slice_transfer.h"

namespace mlpipe::mpi {

SliceSender::SliceSender(const Comm& c, std::size_t in_flight_bytes) : c_(c), limit_(in_flight_bytes) {}

SliceSender::~SliceSender() {
  // A job ending on an error aborts; normally finish() has emptied this.
  for (Posted& p : posted_) MPI_Cancel(&p.request);
}

void SliceSender::add(int to, mapreduce::HeldOutput& out) { queue_.push_back({to, &out}); }

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
    post_block(c_, s.to, p.block, p.request);
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

}  // namespace mlpipe::mpi
