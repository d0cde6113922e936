#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/pipeline/pipeline.h"
#include "support/test_tools.h"

using namespace mlpipe;
using namespace mlpipe::pipeline;
using Words = std::vector<std::vector<std::string>>;
using mlpipe::testing::tools_with_test_stages;

TEST_CASE("pipeline strings split like a shell, without expansions") {
  CHECK(split_pipeline("a -x 1 | b") == Words{{"a", "-x", "1"}, {"b"}});
  CHECK(split_pipeline("  a|b|c  ") == Words{{"a"}, {"b"}, {"c"}});
  CHECK(split_pipeline("a 'x | y' \"q \\\" r\" s\\ t") == Words{{"a", "x | y", "q \" r", "s t"}});
  CHECK(split_pipeline("a '' \"\"") == Words{{"a", "", ""}});
  CHECK(split_pipeline("a --m=\"b c\"d") == Words{{"a", "--m=b cd"}});
  CHECK(split_pipeline("a \\\n  -x") == Words{{"a", "-x"}});
  CHECK(split_pipeline("a \"$HOME *\"") == Words{{"a", "$HOME *"}});
}

TEST_CASE("bad pipeline strings are usage errors") {
  for (const char* bad : {"", "   ", "a |", "| a", "a || b", "a 'x", "a \"x"}) {
    CAPTURE(bad);
    try {
      split_pipeline(bad);
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.is_usage());
    }
  }
}

TEST_CASE("stages are parsed with the tools' own options") {
  auto specs = parse_pipeline(split_pipeline("_cat --on-error=skip | _pairs --key topic"), tools_with_test_stages());
  REQUIRE(specs.size() == 2);
  CHECK(specs[0].tool->name == "_cat");
  CHECK(specs[0].skip_errors == true);
  CHECK_FALSE(specs[1].skip_errors.has_value());
  auto stage = specs[1].factory(local_files());
  CHECK(stage->placement().kind == Placement::Kind::by_key);
  CHECK(stage->placement().key == "topic");
}

TEST_CASE("unknown programs, bad options and job options in a stage are usage errors") {
  auto message = [](const char* p) {
    try {
      parse_pipeline(split_pipeline(p), tools_with_test_stages());
    } catch (const Error& e) {
      CHECK(e.is_usage());
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message("_cat | nope") .find("stage 2: unknown program 'nope'") == 0);
  CHECK(message("_cat --bogus").find("stage 1 (_cat):") == 0);
  CHECK(message("_cat in.ndjson").find("an input file is not a stage option") != std::string::npos);
  CHECK(message("_cat -o x").find("--output is not a stage option") != std::string::npos);
  CHECK(message("_cat --threads 2").find("use mlmr --threads") != std::string::npos);
  CHECK(message("_cat --help").find("--help inside a pipeline") != std::string::npos);
  CHECK(message("_cat | _cat") == "no error");
  // Test stages are known only when asked for.
  CHECK_THROWS_AS(parse_pipeline(split_pipeline("_cat"), known_tools()), Error);
}

TEST_CASE("the shipped programs' tools hold no test stage") {
  for (const ToolDef* t : known_tools()) {
    CAPTURE(t->name);
    CHECK(t->name[0] != '_');
  }
  CHECK(find_tool(known_tools(), "mljoin") != nullptr);
  CHECK(find_tool(known_tools(), "_cat") == nullptr);
  CHECK(find_tool(tools_with_test_stages(), "_cat") != nullptr);
}
