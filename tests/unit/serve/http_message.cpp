#include "mlpipe/serve/http_message.h"

#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "mlpipe/serve/request_error.h"

using namespace mlpipe::serve;
using Query = std::vector<std::pair<std::string, std::string>>;

TEST_CASE("url_decode: escapes and '+', and a bad escape is a 400") {
  struct Case {
    const char* text;
    std::string decoded;
  };
  const Case cases[] = {
      {"", ""},
      {"plain", "plain"},
      {"%41%62", "Ab"},
      {"a+b", "a b"},
      {"a%2Bb", "a+b"},
      {"%2e%2e", ".."},
      {"%2E%2E%2F%2e%2e", "../.."},
      {"a%2fb", "a/b"},
      {"%25", "%"},
      {"%2541", "%41"},  // decoded once only
      {"%00", std::string(1, '\0')},
      {"%C3%A9", "\xC3\xA9"},
      {"%ff", "\xff"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    CHECK(url_decode(c.text) == c.decoded);
  }
  for (const char* bad : {"%", "%4", "a%", "a%4", "%zz", "%g1", "%1g", "%%41", "% 41"}) {
    CAPTURE(bad);
    try {
      url_decode(bad);
      FAIL("no error");
    } catch (const RequestError& e) {
      CHECK(e.status() == 400);
      CHECK(std::string(e.what()) == "the URL has a '%' not followed by two hexadecimal digits");
    }
  }
}

TEST_CASE("parse_query: key=value pairs, decoded, in order") {
  struct Case {
    const char* query;
    Query pairs;
  };
  const Case cases[] = {
      {"", {}},
      {"label=y", {{"label", "y"}}},
      {"label=y&learner=linear-svr&cv=5", {{"label", "y"}, {"learner", "linear-svr"}, {"cv", "5"}}},
      {"compare", {{"compare", ""}}},
      {"a=&b", {{"a", ""}, {"b", ""}}},
      {"&&a=1&&", {{"a", "1"}}},
      {"k=v=w", {{"k", "v=w"}}},
      {"=v", {{"", "v"}}},
      {"ignore=a&ignore=b", {{"ignore", "a"}, {"ignore", "b"}}},
      {"doc=my+essay.txt", {{"doc", "my essay.txt"}}},
      {"x%3Dy=a%26b", {{"x=y", "a&b"}}},
      {"label=sepal%20length%2C%20cm", {{"label", "sepal length, cm"}}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.query);
    CHECK(parse_query(c.query) == c.pairs);
  }
  try {
    parse_query("a=1&b=%zz");
    FAIL("no error");
  } catch (const RequestError& e) {
    CHECK(e.status() == 400);
  }
}

TEST_CASE("a request's path and query") {
  struct Case {
    const char* target;
    const char* path;
    const char* query;
  };
  const Case cases[] = {
      {"/v2/models/m/infer", "/v2/models/m/infer", ""},
      {"/v2/models/m/infer?doc=a", "/v2/models/m/infer", "doc=a"},
      {"/train?label=y&x=a?b", "/train", "label=y&x=a?b"},
      {"/?", "/", ""},
      {"", "", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.target);
    HttpRequest r;
    r.target = c.target;
    CHECK(r.path() == c.path);
    CHECK(r.query() == c.query);
  }
}
