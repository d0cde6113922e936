// The mlclassify program: its options (shared with mlmr) and its stage.
#pragma once

#include "mlpipe/core/cli.h"

namespace mlpipe {

const ToolDef& mlclassify_tool();

}  // namespace mlpipe
