// The mlfeat program: its options (shared with mlmr) and its stage.
#pragma once

#include "mlpipe/core/cli.h"

namespace mlpipe {

const ToolDef& mlfeat_tool();

}  // namespace mlpipe
