// mlshow's options made into settings: every usage error between options, and the defaults.
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/show/tool_mlshow.h"

using namespace mlpipe;

namespace {

// The message mlshow_settings throws for the side names; "" when it accepts them.
std::string names_error(const std::string& left, const std::string& right) {
  MlshowOptions o;
  o.left = left;
  o.right = right;
  try {
    mlshow_settings(o);
  } catch (const Error& e) {
    CHECK(e.is_usage());
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("mlshow settings: each usage error, with the message the command line shows") {
  struct Case {
    const char* left;
    const char* right;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"", "support", "--left and --right need a name"},
      {"claim", "", "--left and --right need a name"},
      {"claim", "claim", "--left and --right are both 'claim'; a link record has two sides"},
      {"thesis", "support", "--left/--right may not be 'thesis' (a role of its own)"},
      {"claim", "thesis", "--left/--right may not be 'thesis' (a role of its own)"},
      {"premise", "conclusion", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.left);
    CAPTURE(c.right);
    CHECK(names_error(c.left, c.right) == c.message);
  }
}

TEST_CASE("mlshow settings: the defaults, each format, and the options carried over") {
  const show::ShowSettings d = mlshow_settings(MlshowOptions{});
  CHECK(d.format == show::Format::html);
  CHECK(d.names.left == "claim");
  CHECK(d.names.right == "support");
  CHECK(d.title == "mlpipe: arguments");
  CHECK(d.claims == 5);
  CHECK(d.docs.empty());
  CHECK(d.docs_ndjson.empty());

  const std::vector<std::pair<std::string, show::Format>> formats = {{"html", show::Format::html},
                                                                     {"dot", show::Format::dot},
                                                                     {"aif", show::Format::aif},
                                                                     {"text", show::Format::text}};
  for (const auto& f : formats) {
    CAPTURE(f.first);
    MlshowOptions o;
    o.format = f.first;
    CHECK(mlshow_settings(o).format == f.second);
  }

  MlshowOptions o;
  o.title = "Essays";
  o.claims = 0;
  o.docs = {"a.txt"};
  o.docs_ndjson = {"d.ndjson", "e.ndjson"};
  const show::ShowSettings s = mlshow_settings(o);
  CHECK(s.title == "Essays");
  CHECK(s.claims == 0);
  CHECK(s.docs == std::vector<std::string>{"a.txt"});
  CHECK(s.docs_ndjson == std::vector<std::string>{"d.ndjson", "e.ndjson"});
}
