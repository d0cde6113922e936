// mltrain as the ranks of an MPI job (`mpirun -n N mltrain --grid …`). Rank 0 alone reads
// the input, as it alone gets standard input from mpirun; once the rows are read and
// checked, it sends the finished Dataset and the folds to the other ranks, and every rank
// runs the same model selection with the trainings spread over them (TaskFarm). Rank 0
// alone prints the report, writes --oof and trains and writes the final model.
//
// Each other rank waits for one message from rank 0 before doing anything: the rows, or,
// when rank 0 ended without cross-validation (-o only, --help, a usage or input error),
// its exit status, which the rank then exits with silently: every message is printed once.
#pragma once

#include <string>
#include <vector>

#include "mlpipe/model/task_farm.h"
#include "mlpipe/model/dataset.h"

namespace mlpipe {

class TrainRanks {
 public:
  explicit TrainRanks(Peers& peers) : peers_(peers) {}
  Peers& peers() { return peers_; }
  int rank() const { return peers_.rank(); }

  // Rank 0, when cross-validation is about to start: sends the rows and folds (once).
  void start(const Dataset& d, const std::vector<int>& folds);
  // Rank 0, at the end of its run: when the others were not started, tells them to end
  // with `status`.
  void finish(int status);
  // The other ranks, first: waits for rank 0. True when it sent rows (take them with
  // take()); false when it ended, with its exit status in `status`.
  bool wait(int& status);
  void take(Dataset& d, std::vector<int>& folds);

 private:
  Peers& peers_;
  bool started_ = false;
  std::string message_;
};

// The ranks this process belongs to, set by mltrain's main under an MPI launcher (MPI is
// process-wide, so is this); nullptr when it runs alone.
TrainRanks* train_ranks();
void set_train_ranks(TrainRanks* ranks);

// The rows and folds as bytes (values as their exact bit patterns) and back; exposed for
// the unit tests. unpack_rows throws Error on bytes that end early.
std::string pack_rows(const Dataset& d, const std::vector<int>& folds);
void unpack_rows(const std::string& bytes, Dataset& d, std::vector<int>& folds);

}  // namespace mlpipe
