// CSV rows split as RFC 4180 says, and turned into the records stages read.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "mlpipe/core/csv.h"
#include "mlpipe/core/error.h"

using namespace mlpipe;

TEST_CASE("split_csv_line: plain, quoted, doubled quotes, empty fields, CRLF") {
  std::vector<std::string> f;
  split_csv_line("a,b,c", f);
  CHECK(f == std::vector<std::string>{"a", "b", "c"});
  split_csv_line("\"x, y\",\"say \"\"hi\"\"\",", f);
  CHECK(f == std::vector<std::string>{"x, y", "say \"hi\"", ""});
  split_csv_line(",,", f);
  CHECK(f == std::vector<std::string>{"", "", ""});
  split_csv_line("1,2\r", f);
  CHECK(f == std::vector<std::string>{"1", "2"});
  split_csv_line("", f);
  CHECK(f == std::vector<std::string>{""});
}

TEST_CASE("split_csv_line refuses what RFC 4180 does not allow on one line") {
  std::vector<std::string> f;
  CHECK_THROWS_WITH_AS(split_csv_line("a,\"b", f), doctest::Contains("does not end on this line"), Error);
  CHECK_THROWS_WITH_AS(split_csv_line("\"a\"b,c", f), doctest::Contains("text after the closing quote"), Error);
  CHECK_THROWS_WITH_AS(split_csv_line("a\"b,c", f), doctest::Contains("quote inside an unquoted field"), Error);
}

TEST_CASE("CsvTable: fields keep their type, the other columns become x") {
  CsvLayout layout;
  layout.fields = {"label", "id"};
  layout.ignore = {"note"};
  CsvTable t(layout);
  t.header("id,a,note,b,label");
  CHECK(t.feature_columns() == std::vector<std::string>{"a", "b"});
  std::string json;
  std::vector<std::string> cells;
  t.to_json("r1,1.5,free text,-2e3,spam", json, cells);
  CHECK(json == R"({"id":"r1","label":"spam","x":[1.5,-2000]})");
  t.to_json("7,0,,3,", json, cells);
  CHECK(json == R"({"id":7,"label":null,"x":[0,3]})");
  CHECK_THROWS_WITH_AS(t.to_json("1,x,,3,a", json, cells), "column 'a': 'x' is not a number", Error);
  CHECK_THROWS_WITH_AS(t.to_json("1,,,3,a", json, cells), doctest::Contains("column 'a' is empty"), Error);
  CHECK_THROWS_WITH_AS(t.to_json("1,2,3", json, cells), "3 cells, but the header has 5 columns", Error);
  CHECK_THROWS_WITH_AS(t.to_json("1,inf,,3,a", json, cells), doctest::Contains("is not a number"), Error);
  // A second input must have the same header.
  t.header("id,a,note,b,label");
  CHECK_THROWS_AS(t.header("id,b,note,a,label"), Error);
}

TEST_CASE("CsvTable with a model's columns finds them by name, in the model's order") {
  CsvLayout layout;
  layout.features = {"a", "b"};
  CsvTable t(layout);
  t.header("b,id,a");
  std::string json;
  std::vector<std::string> cells;
  t.to_json("2,x,1", json, cells);
  CHECK(json == R"({"id":"x","x":[1,2]})");
  CsvTable missing(layout);
  CHECK_THROWS_WITH_AS(missing.header("a,c"), doctest::Contains("no column 'b'"), Error);
}

TEST_CASE("CsvTable refuses headers it cannot name columns by") {
  CsvTable t{CsvLayout{}};
  CHECK_THROWS_WITH_AS(t.header("a,,b"), doctest::Contains("column 2 has no name"), Error);
  CHECK_THROWS_WITH_AS(t.header("a,b,a"), doctest::Contains("'a' appears twice"), Error);
  CsvLayout only_fields;
  only_fields.fields = {"a"};
  CsvTable u(only_fields);
  CHECK_THROWS_WITH_AS(u.header("a"), doctest::Contains("no feature columns"), Error);
}

TEST_CASE("CsvTable refuses text that is not UTF-8 instead of writing invalid JSON") {
  CsvLayout layout;
  layout.fields = {"name"};
  CsvTable t(layout);
  CHECK_THROWS_WITH_AS(t.header("name,a\x88"), doctest::Contains("name of column 2 is not valid UTF-8"), Error);
  t.header("name,a");
  std::string json;
  std::vector<std::string> cells;
  CHECK_THROWS_WITH_AS(t.to_json("virgi\x88ica,1", json, cells), "column 'name': not valid UTF-8", Error);
  t.to_json("\xc3\xa9t\xc3\xa9,1", json, cells);
  CHECK(json == "{\"name\":\"\xc3\xa9t\xc3\xa9\",\"x\":[1]}");
}
