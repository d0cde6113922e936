// mllink's options made settings: each default, each argument's reading, and each check
// between options with the message mllink prints for it.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/pairs/tool_mllink.h"

using namespace mlpipe;

namespace {

MllinkOptions scoring() {
  MllinkOptions o;
  o.model = "link.model";
  return o;
}

MllinkOptions training() {
  MllinkOptions o;
  o.features_only = true;
  return o;
}

struct MllinkUsageCase {
  std::string why;
  std::function<MllinkOptions()> options;
  std::string message;
};

}  // namespace

TEST_CASE("mllink's defaults: claim and support sides, the sidecar's threshold, every link, the model's layout") {
  const LinkSettings s = mllink_settings(scoring());
  CHECK(s.model == "link.model");
  CHECK_FALSE(s.features_only);
  CHECK_FALSE(s.min);
  CHECK_FALSE(s.all);
  CHECK_FALSE(s.decision);
  CHECK(s.top == 0);
  CHECK(s.top_right == 0);
  CHECK_FALSE(s.ranks());
  CHECK_FALSE(s.reload);
  CHECK(s.left == "claim");
  CHECK(s.right == "support");
  CHECK(s.stance == "against");
  CHECK_FALSE(s.keep_features);
  CHECK_FALSE(s.layout.given());
  CHECK(s.write_spec.empty());
  CHECK(s.label_field.empty());
  CHECK(s.overlap_left.empty());
  CHECK(s.overlap_right.empty());
  CHECK_FALSE(s.drop_sides);
  CHECK_FALSE(s.pair_only);
}

TEST_CASE("mllink's options as settings") {
  MllinkOptions o = scoring();
  o.min = "-0.5";
  o.top = 3;
  o.top_right = 1;
  o.decision = o.reload = o.keep_features = true;
  o.left = "c";
  o.right = "e";
  o.stance = "con";
  o.side_scores = std::vector<std::string>{"", "c", "", "e"};
  o.crossed = true;
  const LinkSettings s = mllink_settings(o);
  CHECK(s.min == -0.5);
  CHECK(s.ranks());
  CHECK(s.top == 3);
  CHECK(s.top_right == 1);
  CHECK(s.decision);
  CHECK(s.reload);
  CHECK(s.keep_features);
  CHECK(s.left == "c");
  CHECK(s.right == "e");
  CHECK(s.stance == "con");
  CHECK(s.layout.given());
  CHECK(s.layout.side_scores == std::vector<std::string>{"c", "e"});  // empty names dropped
  CHECK(s.layout.crossed);

  o = training();
  o.label_overlap = "topic,topics";
  o.drop_sides = o.pair_only = true;
  o.dim = 64;
  o.write_spec = "pairs.json";
  const LinkSettings t = mllink_settings(o);
  CHECK(t.features_only);
  CHECK(t.model.empty());
  CHECK(t.overlap_left == "topic");
  CHECK(t.overlap_right == "topics");
  CHECK(t.drop_sides);
  CHECK(t.pair_only);
  CHECK(t.layout.dim == 64u);
  CHECK(t.layout.given());
  CHECK(t.write_spec == "pairs.json");

  o = training();
  o.side_scores = std::vector<std::string>{""};  // --side-scores '': none, but a layout given
  const LinkSettings none = mllink_settings(o);
  CHECK(none.layout.side_scores == std::vector<std::string>{});
  CHECK(none.layout.given());
}

TEST_CASE("options that do not go together are usage errors") {
  auto with = [](MllinkOptions o, const std::function<void(MllinkOptions&)>& change) {
    return [o, change] {
      MllinkOptions c = o;
      change(c);
      return c;
    };
  };
  const std::vector<MllinkUsageCase> cases{
      {"one side name", with(scoring(), [](auto& o) { o.right = "claim"; }),
       "--left and --right must be two different side names"},
      {"no side name", with(scoring(), [](auto& o) { o.left.clear(); }),
       "--left and --right must be two different side names"},
      {"no mode", [] { return MllinkOptions(); },
       "give a link model (-m MODEL), or --features-only to make training pairs"},
      {"both modes", with(scoring(), [](auto& o) { o.features_only = true; }),
       "--features-only and -m exclude each other"},
      {"a threshold for training pairs", with(training(), [](auto& o) { o.min = "1"; }),
       "--min and --all apply only with -m"},
      {"every training pair", with(training(), [](auto& o) { o.all = true; }), "--min and --all apply only with -m"},
      {"a threshold that is not a number", with(scoring(), [](auto& o) { o.min = "high"; }),
       "--min 'high': the threshold is not a number"},
      {"an infinite threshold", with(scoring(), [](auto& o) { o.min = "inf"; }),
       "--min 'inf': the threshold is not a number"},
      {"a hexadecimal threshold", with(scoring(), [](auto& o) { o.min = "0x10"; }),
       "--min '0x10': the threshold is not a number"},
      {"a threshold beyond a double", with(scoring(), [](auto& o) { o.min = "1e999"; }),
       "--min '1e999': the threshold is not a number"},
      {"a threshold and every link",
       with(scoring(),
            [](auto& o) {
              o.min = "1";
              o.all = true;
            }),
       "--min and --all exclude each other"},
      {"the best of every link",
       with(scoring(),
            [](auto& o) {
              o.all = true;
              o.top = 2;
            }),
       "--top and --top-right rank scored links: not with --features-only or --all"},
      {"the best training pairs", with(training(), [](auto& o) { o.top_right = 1; }),
       "--top and --top-right rank scored links: not with --features-only or --all"},
      {"decision values of training pairs", with(training(), [](auto& o) { o.decision = true; }),
       "--decision applies only with -m"},
      {"reloading no model", with(training(), [](auto& o) { o.reload = true; }), "--reload applies only with -m"},
      {"labels of links", with(scoring(), [](auto& o) { o.label_field = "linked"; }),
       "--label-field, --label-overlap, --drop-sides and --pair-only apply only with --features-only"},
      {"links without sides", with(scoring(), [](auto& o) { o.drop_sides = true; }),
       "--label-field, --label-overlap, --drop-sides and --pair-only apply only with --features-only"},
      {"two labels",
       with(training(),
            [](auto& o) {
              o.label_field = "linked";
              o.label_overlap = "a,b";
            }),
       "--label-field and --label-overlap exclude each other"},
      {"an overlap of one field", with(training(), [](auto& o) { o.label_overlap = "topic"; }),
       "--label-overlap topic: expected LEFT_FIELD,RIGHT_FIELD"},
      {"an overlap without its left field", with(training(), [](auto& o) { o.label_overlap = ",b"; }),
       "--label-overlap ,b: expected LEFT_FIELD,RIGHT_FIELD"},
      {"an overlap without its right field", with(training(), [](auto& o) { o.label_overlap = "a,"; }),
       "--label-overlap a,: expected LEFT_FIELD,RIGHT_FIELD"},
      {"an overlap of three fields", with(training(), [](auto& o) { o.label_overlap = "a,b,c"; }),
       "--label-overlap a,b,c: expected LEFT_FIELD,RIGHT_FIELD"},
      {"a pair spec and a dimension",
       with(training(),
            [](auto& o) {
              o.pair_spec = "pairs.json";
              o.dim = 16;
            }),
       "--pair-spec sets the layout; it cannot go with --dim, --side-scores, --feature-spec or --crossed"},
      {"a pair spec and crossed features",
       with(scoring(),
            [](auto& o) {
              o.pair_spec = "pairs.json";
              o.crossed = true;
            }),
       "--pair-spec sets the layout; it cannot go with --dim, --side-scores, --feature-spec or --crossed"},
      {"two dimensions",
       with(training(),
            [](auto& o) {
              o.feature_spec = "features.spec";
              o.dim = 16;
            }),
       "--dim and --feature-spec exclude each other (the spec gives the dimension)"},
      {"crossed with one side score",
       with(training(),
            [](auto& o) {
              o.crossed = true;
              o.side_scores = std::vector<std::string>{"claim", ""};
            }),
       "--crossed needs two side scores (--side-scores LEFT_ROLE_SCORE,RIGHT_ROLE_SCORE)"},
  };
  for (const MllinkUsageCase& c : cases) {
    CAPTURE(c.why);
    try {
      mllink_settings(c.options());
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.is_usage());
      CHECK(std::string(e.what()) == c.message);
    }
  }
}

TEST_CASE("crossed features with the default side scores need no --side-scores") {
  MllinkOptions o = training();
  o.crossed = true;
  CHECK(mllink_settings(o).layout.crossed);
}
