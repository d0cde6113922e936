// mlmr's progress line, drawn by rank 0 alone: partitions done of the plan's total, records
// read by the first stage, and input bytes of the total (the ETA comes from bytes: the plan
// knows every partition's size, not its records). Each rank tells rank 0 once per partition
// it finishes (a few bytes, never per record); rank 0 reads those messages between its own
// batches. Then, for the keyed stage, the elapsed time.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <string_view>
#include <vector>
#include <memory>

#include "mlpipe/core/progress.h"
#include "mlpipe/mapreduce/manifest.h"
#include "mlpipe/mapreduce/map_phase.h"
#include "mlpipe/mpi/comm.h"

namespace mlpipe::mpi {

class JobProgress {
 public:
  // Collective. `show`: rank 0's decision, which every rank learns here; when false no
  // message is ever sent.
  JobProgress(const Comm& c, bool show, const mapreduce::Plan& plan);
  ~JobProgress();
  JobProgress(const JobProgress&) = delete;
  JobProgress& operator=(const JobProgress&) = delete;

  // Sets the map phase's hooks on `in`.
  void hook(mapreduce::MapInput& in);
  // Collective, after this rank's map phase: the other ranks say they are done, rank 0
  // counts every partition in.
  void end_map();
  // Rank 0: the keyed stage runs (`name`); the time moves until finish().
  void keyed(std::string_view name);
  void finish();

 private:
  void receive(bool wait);

  Comm c_;
  bool on_ = false;
  MPI_Comm comm_ = MPI_COMM_NULL;  // a duplicate: no tag of the job's can match ours
  std::unique_ptr<Progress> meter_;
  std::unique_ptr<Heartbeat> heartbeat_;
  std::size_t parts_ = 0, records_ = 0, bytes_ = 0;  // counter ids
  const mapreduce::Plan* plan_;
  std::uint64_t live_bytes_ = 0;  // rank 0's bytes of the partition it is in
  int ended_ = 0;                 // ranks that said they are done
  std::deque<std::array<std::uint64_t, 3>> sent_;  // non-zero ranks: the messages, alive until sent
  std::vector<MPI_Request> requests_;
};

}  // namespace mlpipe::mpi
