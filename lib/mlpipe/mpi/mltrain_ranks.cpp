#include "mlpipe/mpi/mltrain_ranks.h"

#include <mpi.h>

#include <csignal>
#include <cstdlib>

#include "mlpipe/core/cli.h"
#include "mlpipe/core/error.h"
#include "mlpipe/model/tool_mltrain.h"
#include "mlpipe/model/train_ranks.h"
#include "mlpipe/mpi/comm.h"

namespace mlpipe::mr {

namespace {

class MpiPeers : public Peers {
 public:
  explicit MpiPeers(const Comm& c) : c_(c) {}
  int rank() const override { return c_.rank; }
  int size() const override { return c_.size; }
  void broadcast(std::string& bytes) override { bcast_bytes(c_, bytes, 0); }
  std::vector<std::string> allgather(const std::string& mine) override { return allgather_bytes(c_, mine); }

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
  int provided = 0;
  // Only the main thread calls MPI: the OpenMP threads train, the main thread exchanges.
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  Comm c;
  MPI_Comm_rank(c.comm, &c.rank);
  MPI_Comm_size(c.comm, &c.size);
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
  MPI_Finalize();
  return status;
}

}  // namespace mlpipe::mr
