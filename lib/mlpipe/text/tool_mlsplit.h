// The mlsplit program: documents (text files, or NDJSON with --ndjson) to one record per sentence.
#pragma once

#include "mlpipe/core/cli.h"

namespace mlpipe {

const ToolDef& mlsplit_tool();

}  // namespace mlpipe
