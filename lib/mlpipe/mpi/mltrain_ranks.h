// mltrain's main under an MPI launcher: the ranks share model selection (TrainRanks).
// Built into mltrain only when CMake finds MPI; without it mltrain runs alone.
#pragma once

namespace mlpipe::mpi {

// True when this process was started by an MPI launcher (Open MPI's mpirun, a PMIx or PMI
// launcher such as Slurm's srun --mpi=…): only then may MPI be initialised, so that a plain
// `mltrain` neither needs nor starts an MPI runtime.
bool launched_by_mpi();

// The whole of mltrain on one rank: rank 0 runs the program as usual, the others follow it
// (see train_ranks.h). Returns the exit status, the same on every rank.
int run_mltrain_ranks(int argc, char** argv);

}  // namespace mlpipe::mpi
