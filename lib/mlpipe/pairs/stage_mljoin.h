// The mljoin stage: each record takes the left role, the right role, both or neither, and
// the joiner (join.h) pairs the left and right records of a key into pair records.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/stage.h"
#include "mlpipe/pairs/join.h"

namespace mlpipe {

// What the stage does, complete (tool_mljoin.h makes it from the command line).
struct MljoinSettings {
  JoinOptions join;
  std::string key = "doc";                                                  // field (dotted path) holding the key
  std::string left_field = "scores.claim", right_field = "scores.support";  // the score rule's fields
  double left_min = 0, right_min = 0;
  // A role follows mlclassify's decision (left_passed, right_passed) when the record has one,
  // unless the command line gave that role's score rule (--left-field/--left-min, or right).
  bool left_by_score = false, right_by_score = false;
  std::string left_passed = "passed.claim", right_passed = "passed.support";
  std::string window_field;  // time field of a time window
  bool slim = false;
  std::vector<std::string> keep;                // extra top-level fields kept by slim
  std::string thesis_score = "scores.thesis";   // with join.thesis: the candidates' score
  std::string thesis_passed = "passed.thesis";  // and their decision ("" for none)
};

// The top-level fields --slim keeps on each side (ids, offsets, scores, features).
extern const std::vector<std::string_view> kSlimFields;

std::unique_ptr<Stage> make_join_stage(MljoinSettings settings);

}  // namespace mlpipe
