// mlsplit's options made into settings: every usage error between options, and the defaults.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/text/tool_mlsplit.h"

using namespace mlpipe;

namespace {

struct UsageCase {
  const char* what;
  std::function<void(MlsplitOptions&)> set;
  std::string message;
};

// The message mlsplit_settings throws for `o`; "" when it accepts them.
std::string usage_error(const MlsplitOptions& o) {
  try {
    mlsplit_settings(o);
  } catch (const Error& e) {
    CHECK(e.is_usage());
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("mlsplit settings: each usage error, with the message the command line shows") {
  const std::vector<UsageCase> cases = {
      {"--doc-field without --ndjson", [](MlsplitOptions& o) { o.doc_field_given = true; },
       "--doc-field and --text-field apply to NDJSON input: add --ndjson"},
      {"--text-field without --ndjson", [](MlsplitOptions& o) { o.text_field_given = true; },
       "--doc-field and --text-field apply to NDJSON input: add --ndjson"},
      {"--as-text with --ndjson",
       [](MlsplitOptions& o) {
         o.ndjson = true;
         o.as_text = true;
       },
       "--as-text is for text files; it cannot go with --ndjson"},
      {"an empty doc field",
       [](MlsplitOptions& o) {
         o.ndjson = true;
         o.doc_field = "";
       },
       "--doc-field and --text-field need a field name"},
      {"an empty text field",
       [](MlsplitOptions& o) {
         o.ndjson = true;
         o.text_field = "";
       },
       "--doc-field and --text-field need a field name"},
  };
  for (const UsageCase& c : cases) {
    CAPTURE(c.what);
    MlsplitOptions o;
    c.set(o);
    CHECK(usage_error(o) == c.message);
  }
}

TEST_CASE("mlsplit settings: the defaults, and the options carried over") {
  const text::SplitSettings d = mlsplit_settings(MlsplitOptions{});
  CHECK_FALSE(d.ndjson);
  CHECK_FALSE(d.as_text);
  CHECK(d.doc_field == "doc");
  CHECK(d.text_field == "text");
  CHECK(d.abbrev_files.empty());
  CHECK(d.encoding == text::Encoding::utf8);
  CHECK(d.stdin_name == "-");

  MlsplitOptions o;
  o.ndjson = true;
  o.doc_field = "id";
  o.doc_field_given = true;
  o.text_field = "body";
  o.text_field_given = true;
  o.abbrev_files = {"a.txt", "b.txt"};
  o.stdin_name = "memo";
  const text::SplitSettings s = mlsplit_settings(o);
  CHECK(s.ndjson);
  CHECK(s.doc_field == "id");
  CHECK(s.text_field == "body");
  CHECK(s.abbrev_files == std::vector<std::string>{"a.txt", "b.txt"});
  CHECK(s.stdin_name == "memo");

  const std::vector<std::pair<std::string, text::Encoding>> encodings = {
      {"utf8", text::Encoding::utf8}, {"latin1", text::Encoding::latin1}, {"replace", text::Encoding::replace}};
  for (const auto& e : encodings) {
    CAPTURE(e.first);
    MlsplitOptions enc;
    enc.encoding = e.first;
    CHECK(mlsplit_settings(enc).encoding == e.second);
  }
}
