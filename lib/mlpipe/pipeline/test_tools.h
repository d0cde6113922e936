// Small stages that exist only for mlmr's tests (enabled by MLMR_TEST_TOOLS=1): they
// exercise every placement and input kind without depending on the real programs.
//   _cat            identity (validates each record as JSON)          anywhere, concurrent
//   _lines          text documents -> {"doc","line","text"} per line  reads_text
//   _model -m FILE  adds "model": the first line of FILE (read by the factory);
//                   --show-path adds "model_path", the path it read; --write OUT writes
//                   that line to OUT when the run ends (Stage::write_files)
//   _pairs --key F  pairs each record with the earlier ones of its key  by_key(F), stateful
//   _count          one record {"count":N} at the end                   one_rank
//   _slow --ms N    identity, N ms per record (to interrupt a run)
#pragma once

#include <vector>

#include "mlpipe/core/cli.h"

namespace mlpipe::pipeline {

std::vector<const ToolDef*> test_tool_defs();

}  // namespace mlpipe::pipeline
