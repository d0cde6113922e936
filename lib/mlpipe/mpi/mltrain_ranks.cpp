#include "mlpipe/mpi/mltrain_ranks.h"

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <thread>

#include "mlpipe/core/cli.h"
#include "mlpipe/core/error.h"
#include "mlpipe/model/tool_mltrain.h"
#include "mlpipe/model/train_ranks.h"
#include "mlpipe/mpi/comm.h"

namespace mlpipe::mpi {

namespace {

// Waits for `request` without spinning: Open MPI's blocking collectives poll at full
// speed, and a rank waits long here (for rank 0 to read the input, for the slowest rank's
// trainings), on CPUs that other ranks' threads, or other jobs, could use.
void wait_idly(MPI_Request& request) {
  int done = 0;
  MPI_Test(&request, &done, MPI_STATUS_IGNORE);
  while (!done) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
  }
}

class MpiPeers : public Peers {
 public:
  explicit MpiPeers(const Comm& c) : c_(c) {}
  int rank() const override { return c_.rank; }
  int size() const override { return c_.size; }
  void broadcast(std::string& bytes) override {
    // A first small broadcast, awaited idly, says that rank 0 is there; then the bytes.
    std::uint64_t n = bytes.size();
    MPI_Request r;
    MPI_Ibcast(&n, 1, MPI_UINT64_T, 0, c_.comm, &r);
    wait_idly(r);
    bcast_bytes(c_, bytes, 0);
  }
  std::vector<std::string> allgather(const std::string& mine) override {
    int ready = 1, all = 0;  // a barrier, reached idly
    MPI_Request r;
    MPI_Iallreduce(&ready, &all, 1, MPI_INT, MPI_SUM, c_.comm, &r);
    wait_idly(r);
    return allgather_bytes(c_, mine);
  }

 private:
  Comm c_;
};

bool set(const char* name) {
  const char* v = std::getenv(name);
  return v && *v;
}

}  // namespace

bool launched_by_mpi() {
  // Slurm's SLURM_PROCID alone is not enough: srun also starts programs that are no MPI
  // ranks (one mltrain per task of an array job, each on its own data).
  return set("OMPI_COMM_WORLD_SIZE") || set("PMIX_RANK") || (set("PMI_RANK") && set("PMI_SIZE"));
}

int run_mltrain_ranks(int argc, char** argv) {
  // Only the main thread calls MPI: the OpenMP threads train, the main thread exchanges.
  const Comm c = start_mpi(argc, argv);
  MpiPeers peers(c);
  TrainRanks ranks(peers);
  set_train_ranks(&ranks);
  int status = 0;
  if (c.rank == 0) {
    status = run_tool(argc, argv, mltrain_tool());
    ranks.finish(status);
  } else if (ranks.wait(status)) {
    std::signal(SIGPIPE, SIG_IGN);
    bool own_error = true;
    status = report_errors("mltrain", [&] {
      const int s = follow_mltrain(argc, argv, ranks);
      own_error = false;
      return s;
    });
    // Rank 0 waits for this rank's trainings: an error of this rank alone (reported just
    // above) must end the whole job, or it would wait forever.
    if (own_error) MPI_Abort(c.comm, status);
  }
  set_train_ranks(nullptr);
  finish_mpi();
  return status;
}

}  // namespace mlpipe::mpi
