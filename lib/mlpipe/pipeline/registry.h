// The programs mlmr can run as stages: every tool of mlpipe that writes records.
#pragma once

#include <string_view>
#include <vector>

#include "mlpipe/core/cli.h"

namespace mlpipe::pipeline {

// The tools a pipeline may name, in pipeline order. A program passes the list it runs: the
// shipped ones pass known_tools(); mlmr's test build adds its test stages (tests/support/).
using ToolList = std::vector<const ToolDef*>;

// mlpipe's tools that write records, in pipeline order.
ToolList known_tools();

// The tool of `tools` called `name`, or null.
const ToolDef* find_tool(const ToolList& tools, std::string_view name);

}  // namespace mlpipe::pipeline
