// The mltrain program: its options (shared with mlmr) and its stage, which collects the
// labelled rows it is given and trains when the input ends.
#pragma once

#include "mlpipe/core/cli.h"

namespace mlpipe {

const ToolDef& mltrain_tool();

class TrainRanks;
// mltrain on a rank other than 0 of an MPI job, once rank 0 has sent the rows
// (TrainRanks::wait): parses the same command line and runs model selection with rank 0.
// Returns the exit status; an error of this rank alone (the command line, a --spec file it
// cannot read) is thrown.
int follow_mltrain(int argc, char** argv, TrainRanks& ranks);

}  // namespace mlpipe
