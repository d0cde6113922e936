// The mlshow program: sentence and link records shown as a page, a graph, AIF or text. Its
// options, the settings they make, and the tool.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "mlpipe/core/cli.h"
#include "mlpipe/show/stage_mlshow.h"

namespace mlpipe {

// Everything mlshow's command line sets, as given.
struct MlshowOptions {
  std::string format = "html";  // html, dot, aif or text
  std::size_t claims = 5;
  std::vector<std::string> docs;
  std::vector<std::string> docs_ndjson;
  std::string left = "claim", right = "support";
  std::string title = "mlpipe: arguments";
};

// Turns the options into the stage's settings, making every check between options here
// (Error::usage, with the message the command line shows).
show::ShowSettings mlshow_settings(const MlshowOptions& o);

const ToolDef& mlshow_tool();

}  // namespace mlpipe
