// mljoin's options made into settings: every usage error between options, and the defaults
// that depend on other options.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/pairs/tool_mljoin.h"

using namespace mlpipe;

namespace {

struct MljoinUsageCase {
  const char* what;
  std::function<void(MljoinOptions&)> set;
  std::string message;
};

// The message mljoin_settings throws for `o`; "" when it accepts them.
std::string usage_error(const MljoinOptions& o) {
  try {
    mljoin_settings(o);
  } catch (const Error& e) {
    CHECK(e.is_usage());
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("mljoin settings: each usage error, with the message the command line shows") {
  const std::vector<MljoinUsageCase> cases = {
      {"--key with --no-key",
       [](MljoinOptions& o) {
         o.no_key = true;
         o.key_given = true;
       },
       "--key and --no-key exclude each other"},
      {"a fractional count window", [](MljoinOptions& o) { o.window = 2.5; },
       "--window 2.5: a number of records must be whole (or add --window-field FIELD for a time window)"},
      {"an empty left name", [](MljoinOptions& o) { o.left = ""; }, "--left and --right need a name"},
      {"an empty right name", [](MljoinOptions& o) { o.right = ""; }, "--left and --right need a name"},
      {"one name twice", [](MljoinOptions& o) { o.right = "claim"; },
       "--left and --right are both 'claim'; pair records need two side names"},
      {"a side named key", [](MljoinOptions& o) { o.left = "key"; },
       "--left/--right may not be 'key', 'distance' or 'same_para' (pair record fields)"},
      {"a side named distance", [](MljoinOptions& o) { o.right = "distance"; },
       "--left/--right may not be 'key', 'distance' or 'same_para' (pair record fields)"},
      {"a side named same_para", [](MljoinOptions& o) { o.left = "same_para"; },
       "--left/--right may not be 'key', 'distance' or 'same_para' (pair record fields)"},
      {"--keep without --slim", [](MljoinOptions& o) { o.keep = {"id"}; }, "--keep only applies with --slim"},
      {"--window-field without --window", [](MljoinOptions& o) { o.window_field = "seconds"; },
       "--window-field needs --window SECONDS"},
      {"an empty key", [](MljoinOptions& o) { o.key = ""; }, "--key needs a field name (or use --no-key)"},
      {"--grouped with --no-key",
       [](MljoinOptions& o) {
         o.no_key = true;
         o.grouped = true;
       },
       "--grouped needs a key; it cannot go with --no-key"},
      {"--grouped with a window and no key",
       [](MljoinOptions& o) {
         o.window = 3;
         o.grouped = true;
       },
       "--grouped needs a key; it cannot go with --no-key"},
      {"--thesis with --stream",
       [](MljoinOptions& o) {
         o.thesis = true;
         o.stream = true;
       },
       "--thesis needs a key's records all seen (batch): not with --stream or --window"},
      {"--thesis with a window",
       [](MljoinOptions& o) {
         o.thesis = true;
         o.window = 4;
         o.key_given = true;
       },
       "--thesis needs a key's records all seen (batch): not with --stream or --window"},
      {"--thesis with --no-key",
       [](MljoinOptions& o) {
         o.thesis = true;
         o.no_key = true;
       },
       "--thesis marks one record per key: not with --no-key"},
  };
  for (const MljoinUsageCase& c : cases) {
    CAPTURE(c.what);
    MljoinOptions o;
    c.set(o);
    CHECK(usage_error(o) == c.message);
  }
}

TEST_CASE("mljoin settings: the defaults") {
  const MljoinSettings s = mljoin_settings(MljoinOptions{});
  CHECK(s.join.left_name == "claim");
  CHECK(s.join.right_name == "support");
  CHECK(s.join.keyed);
  CHECK_FALSE(s.join.stream);
  CHECK(s.join.window_records == 0);
  CHECK_FALSE(s.join.time_window);
  CHECK(s.join.max_distance == -1);
  CHECK(s.key == "doc");
  CHECK(s.left_field == "scores.claim");
  CHECK(s.right_field == "scores.support");
  CHECK(s.left_passed == "passed.claim");
  CHECK(s.right_passed == "passed.support");
  CHECK_FALSE(s.left_by_score);
  CHECK_FALSE(s.right_by_score);
  CHECK(s.thesis_score == "scores.thesis");
  CHECK(s.thesis_passed == "passed.thesis");
  CHECK_FALSE(s.slim);
}

TEST_CASE("mljoin settings: defaults that follow other options") {
  MljoinOptions names;
  names.left = "premise";
  names.right = "conclusion";
  names.right_field = "p.c";
  names.right_field_given = true;
  MljoinSettings s = mljoin_settings(names);
  CHECK(s.left_field == "scores.premise");
  CHECK(s.left_passed == "passed.premise");
  CHECK(s.right_field == "p.c");
  CHECK(s.right_passed == "passed.conclusion");
  CHECK_FALSE(s.left_by_score);
  CHECK(s.right_by_score);

  MljoinOptions left_min;  // a threshold alone asks for the score rule too
  left_min.left_min_given = true;
  CHECK(mljoin_settings(left_min).left_by_score);

  MljoinOptions count;  // a count window streams, over the whole input unless --key is given
  count.window = 3;
  s = mljoin_settings(count);
  CHECK(s.join.window_records == 3);
  CHECK(s.join.stream);
  CHECK_FALSE(s.join.keyed);
  count.key_given = true;
  CHECK(mljoin_settings(count).join.keyed);

  MljoinOptions time;
  time.window = 2.5;
  time.window_field = "seconds";
  s = mljoin_settings(time);
  CHECK(s.join.time_window);
  CHECK(s.join.window_seconds == 2.5);
  CHECK(s.join.window_records == 0);
  CHECK(s.join.stream);
  CHECK(s.window_field == "seconds");

  MljoinOptions no_key;
  no_key.no_key = true;
  CHECK_FALSE(mljoin_settings(no_key).join.keyed);

  MljoinOptions thesis;  // a score outside scores.* comes with no decision
  thesis.thesis = true;
  thesis.thesis_score = "scores.main";
  CHECK(mljoin_settings(thesis).thesis_passed == "passed.main");
  thesis.thesis_score = "rank";
  CHECK(mljoin_settings(thesis).thesis_passed.empty());
}
