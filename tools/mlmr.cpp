// mlmr: runs a pipeline of mlpipe programs in-process on every rank of an MPI job.
#include "mlpipe/mpi/mlmr_main.h"

int main(int argc, char** argv) { return mlpipe::mpi::mlmr_main(argc, argv, mlpipe::pipeline::known_tools()); }
