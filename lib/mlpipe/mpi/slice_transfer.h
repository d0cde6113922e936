// The output of split keys' slices, sent to each key's writer in bounded blocks while both
// sides go on with other work. A rank may at once wait for a slice from another rank and owe
// that rank a slice of its own: the sender is advanced (progress) from every wait, so no
// rank blocks on a send. Calls MPI from the calling thread only.
#pragma once

#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/mapreduce/held_output.h"
#include "mlpipe/mpi/comm.h"

namespace mlpipe::mpi {

class SliceSender {
 public:
  // At most `in_flight_bytes` posted and not yet sent.
  SliceSender(const Comm& c, std::size_t in_flight_bytes = std::size_t(32) << 20);
  SliceSender(const SliceSender&) = delete;
  SliceSender& operator=(const SliceSender&) = delete;
  ~SliceSender();

  // Queues `out` for rank `to` (streams to one rank arrive in the order queued). `out` must
  // live until finish().
  void add(int to, mapreduce::HeldOutput& out);
  // Completes what was sent and posts more, without waiting.
  void progress();
  // Sends everything queued, waiting as needed.
  void finish();

  mapreduce::ExchangeCounts counts() const { return counts_; }

 private:
  struct Stream {
    int to;
    mapreduce::HeldOutput* out;
  };
  struct Posted {
    std::string block;
    MPI_Request request;
  };
  const Comm& c_;
  std::size_t limit_, in_flight_ = 0;
  std::deque<Stream> queue_;
  std::deque<Posted> posted_;  // a deque: blocks do not move while MPI reads them
  mapreduce::ExchangeCounts counts_;
};

// The receiver takes each stream with receive_posted (comm.h), passing its own sender's
// progress as `idle`.

}  // namespace mlpipe::mpi
