// The mljoin program: its options (shared with mlmr), the settings they make, and the tool.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "mlpipe/core/cli.h"
#include "mlpipe/pairs/stage_mljoin.h"

namespace mlpipe {

// Everything mljoin's command line sets, as given.
struct MljoinOptions {
  std::string key = "doc";  // --key FIELD
  bool no_key = false;      // --no-key
  std::string left = "claim", right = "support";
  std::string left_field, right_field;  // "": scores.LEFT, scores.RIGHT
  double left_min = 0, right_min = 0;
  bool stream = false, grouped = false;
  std::uint64_t idle = 0;
  std::size_t max_keys = 0;
  double window = 0;         // --window N|SECONDS (0: none)
  std::string window_field;  // --window-field: makes --window a time in this field
  std::int64_t max_distance = -1;
  bool same_para = false;
  bool thesis = false, sentences = false;
  std::string thesis_score = "scores.thesis";
  bool slim = false;
  std::vector<std::string> keep;
  // Options that matter by being given, not only by their value (a default is not given).
  bool key_given = false;
  bool left_field_given = false, left_min_given = false;
  bool right_field_given = false, right_min_given = false;
};

// Turns the options into the stage's settings, making every check between options here
// (Error::usage, with the message the command line shows).
MljoinSettings mljoin_settings(const MljoinOptions& o);

const ToolDef& mljoin_tool();

}  // namespace mlpipe
