#include "mlpipe/model/tool_mltrain.h"
#ifdef MLPIPE_MLTRAIN_MPI
#include "mlpipe/mpi/mltrain_ranks.h"
#endif

int main(int argc, char** argv) {
#ifdef MLPIPE_MLTRAIN_MPI
  // Under mpirun or srun the ranks share cross-validation's trainings (mltrain(1), MPI).
  if (mlpipe::mpi::launched_by_mpi()) return mlpipe::mpi::run_mltrain_ranks(argc, argv);
#endif
  return mlpipe::run_tool(argc, argv, mlpipe::mltrain_tool());
}
