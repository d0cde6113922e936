// The mltrain program: its options (shared with mlmr) and its stage, which collects the
// labelled rows it is given and trains when the input ends.
#pragma once

#include "mlpipe/core/cli.h"

namespace mlpipe {

const ToolDef& mltrain_tool();

}  // namespace mlpipe
