// The programs mlmr can run as stages: every tool of mlpipe that writes records.
#pragma once

#include <string_view>
#include <vector>

#include "mlpipe/core/cli.h"

namespace mlpipe::pipeline {

// The tools, in pipeline order. With `test_tools`, also mlmr's own test stages
// (names starting with '_', see test_tools.h), which tests use before real stages exist.
std::vector<const ToolDef*> known_tools(bool test_tools);

const ToolDef* find_tool(std::string_view name, bool test_tools);

}  // namespace mlpipe::pipeline
