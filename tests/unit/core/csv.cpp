// CSV rows split as RFC 4180 says, and turned into the records stages read.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "mlpipe/core/csv.h"
#include "mlpipe/core/error.h"

using namespace mlpipe;

namespace {

// The record of one CSV line under `t`'s header.
std::string row_json(const CsvTable& t, std::string_view line) {
  std::vector<std::string> cells;
  t.split(line, cells);
  std::string json;
  t.to_json(cells, json);
  return json;
}

}  // namespace

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

TEST_CASE("CsvTable: fields keep their type, the other columns become x as they read") {
  CsvLayout layout;
  layout.fields = {"label", "id"};
  layout.ignore = {"note"};
  CsvTable t(layout);
  t.header("id,a,note,b,label");
  CHECK(t.feature_columns() == std::vector<std::string>{"a", "b"});
  CHECK(t.feature_positions() == std::vector<std::size_t>{1, 3});
  CHECK(row_json(t, "r1,1.5,free text,-2e3,spam") == R"({"id":"r1","label":"spam","x":[1.5,-2000]})");
  CHECK(row_json(t, "7,0,,3,") == R"({"id":7,"label":null,"x":[0,3]})");
  // A feature cell that is no number is text; a missing one is null.
  CHECK(row_json(t, "1,x,,NA,a") == R"({"id":1,"label":"a","x":["x",null]})");
  CHECK(row_json(t, "1,,,?,a") == R"({"id":1,"label":"a","x":[null,null]})");
  CHECK(row_json(t, "1,inf,,3,a") == R"({"id":1,"label":"a","x":["inf",3]})");
  std::vector<std::string> cells;
  CHECK_THROWS_WITH_AS(t.split("1,2,3", cells), "3 cells, but the header has 5 columns", Error);
  // A second input must have the same header.
  t.header("id,a,note,b,label");
  CHECK_THROWS_AS(t.header("id,b,note,a,label"), Error);
}

TEST_CASE("CsvTable with a model's columns finds them by name, in the model's order") {
  CsvLayout layout;
  layout.features = {"a", "b"};
  CsvTable t(layout);
  t.header("b,id,a");
  CHECK(row_json(t, "2,x,1") == R"({"id":"x","x":[1,2]})");
  CsvTable missing(layout);
  CHECK_THROWS_WITH_AS(missing.header("a,c"), "header: no column 'b', which the model was trained on", Error);
  // Every column missing is named at once.
  layout.features = {"a", "b", "c"};
  CsvTable several(layout);
  CHECK_THROWS_WITH_AS(several.header("a,d"), "header: no columns 'b' and 'c', which the model was trained on", Error);
}

TEST_CASE("CsvTable names columns as pandas does") {
  CsvTable t{CsvLayout{}};
  // A byte-order mark is no part of the first name; a column without a name is
  // "Unnamed: N"; a name met again gets ".1", ".2".
  t.header("\xEF\xBB\xBF,a,,b,a,a");
  CHECK(t.columns() == std::vector<std::string>{"Unnamed: 0", "a", "Unnamed: 2", "b", "a.1", "a.2"});
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
  CHECK_THROWS_WITH_AS(row_json(t, "virgi\x88ica,1"), "column 'name': not valid UTF-8", Error);
  CHECK(row_json(t, "\xc3\xa9t\xc3\xa9,1") == "{\"name\":\"\xc3\xa9t\xc3\xa9\",\"x\":[1]}");
  // Text in a feature column too, every bad column named at once.
  CHECK_THROWS_WITH_AS(row_json(t, "virgi\x88ica,\x88"), "columns 'name' and 'a': not valid UTF-8", Error);
}

TEST_CASE("is_missing_cell: pandas' missing values, and '?'") {
  for (const char* cell : {"", "NA", "N/A", "n/a", "NaN", "nan", "-NaN", "NULL", "null", "<NA>", "#N/A", "?", " NA "})
    CHECK(is_missing_cell(cell));
  for (const char* cell : {"0", "na", "None", "-", "x", "??"}) CHECK_FALSE(is_missing_cell(cell));
  CHECK(cell_number(" 2.5 ") == 2.5);
  CHECK_FALSE(cell_number("+1"));
  CHECK_FALSE(cell_number("inf"));
}
