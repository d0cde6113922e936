// mlmr's program: its command line, its stop signals, and the job run on every rank. The
// shipped mlmr (tools/mlmr.cpp) runs mlpipe's tools; its test build (tests/support/) adds
// the test stages.
#pragma once

#include "mlpipe/pipeline/registry.h"

namespace mlpipe::mpi {

// The whole of mlmr on one rank, its pipeline's stages taken from `tools`. Returns the exit
// status.
int mlmr_main(int argc, char** argv, const pipeline::ToolList& tools);

}  // namespace mlpipe::mpi
