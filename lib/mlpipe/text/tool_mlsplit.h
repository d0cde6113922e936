// The mlsplit program: documents (text files, or NDJSON with --ndjson) to one record per
// sentence. Its options (shared with mlmr), the settings they make, and the tool.
#pragma once

#include <string>
#include <vector>

#include "mlpipe/core/cli.h"
#include "mlpipe/text/stage_mlsplit.h"

namespace mlpipe {

// Everything mlsplit's command line sets, as given.
struct MlsplitOptions {
  bool ndjson = false;
  bool as_text = false;
  std::string doc_field = "doc";
  std::string text_field = "text";
  std::vector<std::string> abbrev_files;
  std::string encoding = "utf8";  // utf8, latin1 or replace
  std::string stdin_name = "-";
  // Options that matter by being given, not only by their value (a default is not given).
  bool doc_field_given = false, text_field_given = false;
};

// Turns the options into the stage's settings, making every check between options here
// (Error::usage, with the message the command line shows).
text::SplitSettings mlsplit_settings(const MlsplitOptions& o);

const ToolDef& mlsplit_tool();

}  // namespace mlpipe
