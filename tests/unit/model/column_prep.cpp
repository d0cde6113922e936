// CSV columns as features: kinds and levels decided from the training cells, missing
// values filled per training set (imputation), rows encoded for prediction, and the
// layout as the sidecar keeps it.
#include "mlpipe/model/column_prep.h"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "mlpipe/core/csv.h"
#include "mlpipe/core/error.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/json_writer.h"
#include "mlpipe/model/imputation.h"
#include "mlpipe/model/train.h"
#include "mlpipe/model/training_columns.h"

using namespace mlpipe;

namespace {

// Training columns from CSV lines: the first names the columns, all are features.
TrainingColumns columns_of(const std::vector<std::string>& lines) {
  CsvTable table{CsvLayout{}};
  table.header(lines[0]);
  TrainingColumns cols(table.feature_columns());
  std::vector<std::string> cells;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    table.split(lines[i], cells);
    cols.add(cells, table.feature_positions(), "t.csv:" + std::to_string(i + 1));
  }
  return cols;
}

std::vector<std::string_view> views(const std::vector<std::string>& cells) {
  return std::vector<std::string_view>(cells.begin(), cells.end());
}

// The values of row r, feature by feature (NaN where missing or absent).
std::vector<double> row(const Dataset& d, std::size_t r) {
  std::vector<double> v(d.max_index + 1, std::nan(""));
  for (std::size_t k = d.start[r]; d.nodes[k].index != -1; ++k) v[std::size_t(d.nodes[k].index)] = d.nodes[k].value;
  return std::vector<double>(v.begin() + 1, v.end());
}

bool same(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  return true;
}

const double nan_ = std::nan("");

}  // namespace

TEST_CASE("decide: a text cell makes a category, missing cells are counted, empty and identifier columns go") {
  std::vector<std::string> lines{"n,edu,blank,id,mixed"};
  const char* edu[] = {"low", "high", "mid", "NA"};
  for (int i = 0; i < 30; ++i)
    lines.push_back(std::to_string(i % 4 == 0 ? -1 : i) + "," + edu[i % 4] + ",," + "row" + std::to_string(i) + "," +
                    (i == 7 ? "oops" : std::to_string(i % 3)));
  lines[5] = "?,low,NA,row4,1";  // n missing
  TrainingColumns cols = columns_of(lines);
  CHECK(cols.rows() == 30);
  std::vector<std::string> notes;
  ColumnPrep prep = cols.decide(notes);
  REQUIRE(prep.columns.size() == 3);
  CHECK(prep.columns[0].name == "n");
  CHECK(prep.columns[0].kind == ColumnKind::number);
  CHECK(prep.columns[0].missing == 1);
  CHECK(prep.columns[1].name == "edu");
  CHECK(prep.columns[1].kind == ColumnKind::category);
  CHECK(prep.columns[1].levels == std::vector<std::string>{"high", "low", "mid"});  // byte order; NA is missing
  CHECK(prep.columns[1].missing == 7);
  CHECK(prep.columns[2].name == "mixed");
  CHECK(prep.columns[2].levels == std::vector<std::string>{"0", "1", "2", "oops"});
  REQUIRE(prep.ignored.size() == 2);
  CHECK(prep.ignored[0].name == "blank");
  CHECK(prep.ignored[0].reason == "every cell is missing");
  CHECK(prep.ignored[1].name == "id");
  CHECK(prep.ignored[1].reason == "30 distinct values in 30 cells (an identifier or free text)");
  REQUIRE(notes.size() == 3);
  CHECK(notes[0] == "column 'blank': every cell is missing: left out");
  CHECK(notes[1] ==
        "column 'id': 30 distinct values in 30 cells, an identifier or free text: left out (--ignore id "
        "says so)");
  CHECK(notes[2] ==
        "column 'mixed' holds 29 numbers and 1 other text ('oops' at t.csv:9): read as categories, 4 "
        "levels");
  CHECK(prep.dimension() == 1 + 3 + 4);
  CHECK(prep.first_index(1) == 2);
  CHECK(prep.first_index(2) == 5);
  CHECK(prep.feature_kinds() ==
        std::vector<FeatureKind>{FeatureKind::number, FeatureKind::number, FeatureKind::indicator,
                                 FeatureKind::indicator, FeatureKind::indicator, FeatureKind::indicator,
                                 FeatureKind::indicator, FeatureKind::indicator, FeatureKind::indicator});

  // The rows: numbers (0 kept, NaN when missing), one indicator per known level.
  Dataset d;
  cols.fill_dataset(prep, std::vector<double>(30, 1.0), d);
  CHECK(d.rows() == 30);
  CHECK(d.tabular());
  CHECK(d.max_index == 8);
  CHECK(same(row(d, 0), {-1, nan_, 1, nan_, 1, nan_, nan_, nan_}));    // edu low, mixed 0
  CHECK(same(row(d, 4), {nan_, nan_, 1, nan_, nan_, 1, nan_, nan_}));  // n missing, edu low, mixed 1
  CHECK(same(row(d, 7), {7, nan_, nan_, nan_, nan_, nan_, nan_, 1}));  // edu NA, mixed oops
}

TEST_CASE("decide refuses text that is not UTF-8 and data without a feature column left") {
  CsvTable table{CsvLayout{}};
  table.header("a,b");
  TrainingColumns cols(table.feature_columns());
  std::vector<std::string> cells{"x\x88", "\xff"};
  CHECK_THROWS_WITH_AS(cols.add(cells, table.feature_positions(), "t.csv:2"), "columns 'a', 'b': not valid UTF-8",
                       Error);
  CHECK(cols.rows() == 0);  // nothing of the row kept
  cells = {"", "NA"};
  cols.add(cells, table.feature_positions(), "t.csv:3");
  std::vector<std::string> notes;
  CHECK_THROWS_WITH_AS(cols.decide(notes), doctest::Contains("no feature column is left"), Error);
}

TEST_CASE("imputation: fills from the training rows only, drops levels they do not hold") {
  TrainingColumns cols = columns_of({"x,c", "1,a", "NA,b", "3,a", "100,c"});
  std::vector<std::string> notes;
  ColumnPrep prep = cols.decide(notes);
  Dataset d;
  cols.fill_dataset(prep, {0, 1, 0, 1}, d);
  // A fold that trains on rows 0-2: the mean of 1 and 3; level c none of them holds.
  const Imputation im = fit_imputation(d, {0, 1, 2});
  CHECK(im.fill[1] == 2);
  CHECK(im.unseen == std::vector<char>{0, 0, 0, 0, 1});
  Dataset filled = impute_dataset(d, im, false);
  CHECK(same(row(filled, 1), {2, nan_, 1, nan_}));
  CHECK(same(row(filled, 3), {100, nan_, nan_, nan_}));  // its level c dropped: as one never seen
  CHECK(filled.kinds == d.kinds);
  CHECK(filled.max_index == d.max_index);
  // Tree learners keep a missing value missing.
  CHECK(same(row(impute_dataset(d, im, true), 1), {nan_, nan_, 1, nan_}));
  // On every row: the mean of 1, 3 and 100, every level held.
  const Imputation all = fit_imputation(d);
  CHECK(all.fill[1] == doctest::Approx(104.0 / 3));
  CHECK(all.unseen == std::vector<char>{0, 0, 0, 0, 0});
}

TEST_CASE("encode: fills, unseen levels set nothing, bad cells named at once") {
  TrainingColumns cols = columns_of({"x,c,y", "1,a,0", "NA,b,2", "3,a,4"});
  std::vector<std::string> notes;
  ColumnPrep prep = cols.decide(notes);
  prep.columns[0].fill = 2;
  prep.columns[2].fill = 2;
  SparseVector x;
  std::vector<std::size_t> unseen;
  prep.encode(views({"5", "b", "0"}), x, &unseen);
  CHECK(x.idx == std::vector<std::uint32_t>{1, 3, 4});
  CHECK(x.val == std::vector<float>{5, 1, 0});  // a 0 is a value
  CHECK(unseen.empty());
  prep.encode(views({"", "zzz", "?"}), x, &unseen);
  CHECK(x.idx == std::vector<std::uint32_t>{1, 4});
  CHECK(x.val == std::vector<float>{2, 2});
  CHECK(unseen == std::vector<std::size_t>{1});
  unseen.clear();
  prep.encode(views({"1", "NA", "1"}), x, &unseen);  // a missing category sets nothing, and is no unseen one
  CHECK(unseen.empty());
  CHECK_THROWS_WITH_AS(prep.encode(views({"one", "a", "two"}), x, &unseen),
                       "column 'x': 'one' is not a number; column 'y': 'two' is not a number", Error);
  // A tree model keeps a missing number missing: NaN, XGBoost's missing value.
  prep.columns[0].fill.reset();
  prep.encode(views({"NA", "a", "1"}), x);
  CHECK(std::isnan(x.val[0]));
}

TEST_CASE("a model from before column preparation: numbers only, zeros left out, every cell required") {
  const std::string side = R"({"columns":["a","b"]})";
  JsonText json(side, "m.json");
  ColumnPrep prep = ColumnPrep::read_json(json.reader(), {"a", "b"});
  CHECK(prep.legacy);
  SparseVector x;
  prep.encode(views({"0", "2.5"}), x);
  CHECK(x.idx == std::vector<std::uint32_t>{2});
  CHECK_THROWS_WITH_AS(prep.encode(views({"", "x"}), x),
                       "column 'a' is empty (a feature needs a number); column 'b': 'x' is not a number", Error);
}

TEST_CASE("the sidecar's column_prep reads back as written, and bad ones are refused") {
  TrainingColumns cols = columns_of({"x,c,gone", "1,b,", "NA,a,"});
  std::vector<std::string> notes;
  ColumnPrep prep = cols.decide(notes);
  prep.columns[0].fill = 1;
  prep.ignored.insert(prep.ignored.begin(), {"id", "--ignore"});
  std::string side;
  JsonWriter w(side);
  w.begin_object();
  prep.write_json(w);
  w.end_object();
  CHECK(side ==
        R"({"column_prep":{"x":{"kind":"number","fill":1,"missing":1},"c":{"kind":"category","levels":["a","b"]}},)"
        R"("ignored_columns":{"id":"--ignore","gone":"every cell is missing"}})");
  JsonText json(side, "m.json");
  ColumnPrep back = ColumnPrep::read_json(json.reader(), {"x", "c"});
  CHECK_FALSE(back.legacy);
  REQUIRE(back.columns.size() == 2);
  CHECK(back.columns[0].fill == 1);
  CHECK(back.columns[0].missing == 1);
  CHECK(back.columns[1].levels == std::vector<std::string>{"a", "b"});
  CHECK(back.ignored.size() == 2);
  CHECK(back.ignored[1].reason == "every cell is missing");

  auto error = [](const std::string& text, const std::vector<std::string>& names) -> std::string {
    JsonText j(text, "m.json");
    try {
      ColumnPrep::read_json(j.reader(), names);
    } catch (const Error& e) {
      return e.what();
    }
    return "(no error)";
  };
  CHECK(error(R"({"column_prep":{"x":{"kind":"number"}}})", {"x", "c"}) ==
        "'column_prep' describes 1 columns, but 'columns' names 2");
  CHECK(error(R"({"column_prep":{"c":{"kind":"number"}}})", {"x"}) ==
        "'column_prep': column 1 is 'c', but 'columns' names 'x' there");
  CHECK(error(R"({"column_prep":{"x":{"kind":"text"}}})", {"x"}) ==
        "'column_prep.x.kind': expected \"number\" or \"category\"");
  CHECK(error(R"({"column_prep":{"x":{"kind":"category","levels":["b","a"]}}})", {"x"}) ==
        "'column_prep.x.levels': expected distinct levels in byte order");
  CHECK(error(R"({"column_prep":{"x":{"kind":"category"}}})", {"x"}) ==
        "'column_prep.x': a category column needs its levels");
  CHECK(error(R"({"column_prep":[]})", {"x"}) == "'column_prep': expected an object, found an array");
}
