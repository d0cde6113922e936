// mljoin: pairs left (claim) records with right (support) records of the same key.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mlpipe/core/cli.h"
#include "mlpipe/core/stage.h"
#include "mlpipe/pairs/join.h"

namespace mlpipe {

// Everything mljoin's command line sets.
struct MljoinOptions {
  JoinOptions join;
  std::string key = "doc";           // field (dotted path) holding the key
  std::string left_field;            // default: scores.<left name>
  std::string right_field;           // default: scores.<right name>
  double left_min = 0, right_min = 0;
  // A role follows mlclassify's decision (passed.NAME) when the record has one, unless the
  // command line gave that role's score rule (--left-field/--left-min, or right).
  bool left_by_score = false, right_by_score = false;
  std::string left_passed, right_passed;  // "passed.<name>", set by finalize()
  std::string window_field;          // time field for --window SECONDS
  bool slim = false;
  std::vector<std::string> keep;     // extra top-level fields kept by --slim
  std::string thesis_score = "scores.thesis";    // --thesis: the candidates' score
  std::string thesis_passed;                     // and their decision (set by finalize; "" for none)
};

// The top-level fields --slim keeps on each side (ids, offsets, scores, features).
extern const std::vector<std::string_view> kSlimFields;

// Checks and completes options (defaults that depend on others); throws Error::usage.
void finalize(MljoinOptions& o);

std::unique_ptr<Stage> make_join_stage(MljoinOptions options);

const ToolDef& mljoin_tool();

}  // namespace mlpipe
