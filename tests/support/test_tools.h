// Small stages that exist only for mlmr's tests: they exercise every placement and input
// kind without depending on the real programs. Not in the shipped programs: the tests run
// them in mlmr's test build (mlmr_testing.cpp, build/test-bin/mlmr) and the unit tests.
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
#include "mlpipe/pipeline/registry.h"

namespace mlpipe::testing {

// The test stages alone.
pipeline::ToolList test_tool_defs();

// mlpipe's tools (pipeline::known_tools()) and then the test stages.
pipeline::ToolList tools_with_test_stages();

}  // namespace mlpipe::testing
