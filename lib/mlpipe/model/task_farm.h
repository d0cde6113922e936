// Where cross-validation's trainings run: a TaskFarm takes N independent jobs, each giving
// a vector of doubles, runs them on this process's threads, or spread over the ranks of an
// MPI job (each rank runs its share on its threads), and returns every job's result, in
// job order, on every rank. The model library knows nothing of MPI: ranks are reached
// through the small Peers interface, which a program launched by mpirun implements.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "mlpipe/core/error.h"

namespace mlpipe {

// The processes of a job that run the same code together, and the two collective
// operations model selection needs. Every rank calls them in the same order.
class Peers {
 public:
  virtual ~Peers() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Rank 0's `bytes` on every rank (others' `bytes` are replaced).
  virtual void broadcast(std::string& bytes) = 0;
  // Every rank's `mine`, in rank order, on every rank.
  virtual std::vector<std::string> allgather(const std::string& mine) = 0;
};

// The rank that runs each job. Jobs of one group (a parameter set's folds) cost about the
// same, so each group is dealt round robin over the ranks, and the rank that takes a
// group's first fold (and its extra folds when ranks do not divide them) rotates from
// group to group in the Thue–Morse order (generalised to `ranks`): neighbouring groups of
// a grid cost alike, and this order cancels a smooth trend in cost, where plain
// alternation gives the extra folds of every costlier group to the same rank. Groups are
// numbered from `first_group`, so successive runs carry on the rotation. Pure: the same
// arguments give the same assignment on every rank.
std::vector<int> assign_jobs(const std::vector<std::size_t>& group, int ranks, std::size_t first_group = 0);

// Places jobs of known `cost` on `ranks`: the costliest first, each on the rank with the
// least work so far (lowest rank on ties). Pure and deterministic.
std::vector<int> balance_jobs(const std::vector<double>& cost, int ranks);

namespace farm_detail {
struct Outcome;
}

// Called after each job this rank runs: `done` of `total` (scaled to the whole with several
// ranks), and which job it was (its index; `total` for the last call, which names none).
using FarmProgress = std::function<void(std::size_t done, std::size_t total, std::size_t job)>;

class TaskFarm {
 public:
  // `threads` per rank; `peers` nullptr: everything runs here.
  explicit TaskFarm(int threads, Peers* peers = nullptr) : threads_(threads), peers_(peers) {}

  struct Job {
    std::size_t group = 0;  // jobs of one group cost about the same (see assign_jobs)
    bool serial = false;    // not thread-safe (liblinear and probability use rand()): one at a time
  };
  using Result = std::vector<double>;

  // Runs every job (`run(j)` computes job j) and returns all results in job order. Jobs
  // marked parallel run on the threads, serial ones one after another. With several ranks,
  // the jobs of each group that split evenly over the ranks run first, timed; the rest are
  // then placed by their group's time (balance_jobs). Every job runs even
  // when one fails; then the error of the failing job with the lowest index is thrown, the
  // same on every rank. `progress(done, total)` is called on the calling thread; with
  // several ranks `done` counts this rank's share scaled to the whole.
  std::vector<Result> run(const std::vector<Job>& jobs, const std::function<Result(std::size_t)>& run,
                          const FarmProgress& progress);

  // The same, but every job's outcome is returned, failed ones with their error, and
  // nothing is thrown for them.
  std::vector<farm_detail::Outcome> run_all(const std::vector<Job>& jobs, const std::function<Result(std::size_t)>& run,
                                            const FarmProgress& progress);

  int threads() const { return threads_; }
  int ranks() const { return peers_ ? peers_->size() : 1; }

 private:
  void run_share(const std::vector<Job>& jobs, const std::vector<std::size_t>& todo, const std::vector<int>& owner,
                 const std::function<Result(std::size_t)>& run, std::vector<farm_detail::Outcome>& outcome,
                 std::vector<double>& seconds, const std::function<void(bool report, std::size_t job)>& one_done);
  void exchange(const std::vector<std::size_t>& todo, const std::vector<int>& owner,
                std::vector<farm_detail::Outcome>& outcome, std::vector<double>& seconds);

  int threads_;
  Peers* peers_;
  std::size_t groups_ = 0;  // groups dealt by earlier runs, to carry on the rotation
};

// Result bytes, exchanged between ranks: per job, whether it failed and its doubles (exact
// bit patterns) or its error. Exposed for the unit tests.
namespace farm_detail {
struct Outcome {
  bool ok = true;
  TaskFarm::Result values;
  bool usage = false;  // the error's kind and text
  std::string file;
  std::uint64_t line = 0;
  std::string message;
  Error error() const;  // the failure as the Error it was
};
void pack(const Outcome& o, std::string& out);
// Reads one outcome at `at`, advancing it; throws Error on bytes that end early.
Outcome unpack(const std::string& in, std::size_t& at);
}  // namespace farm_detail

}  // namespace mlpipe
