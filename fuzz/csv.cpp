// CSV input: the first line is the header, every other line a row turned into a record;
// each record made must be a JSON object the record reader accepts, whose x is an array
// (a dense vector when its cells are all numbers).
#include "mlpipe/core/csv.h"

#include <optional>
#include <string>
#include <vector>

#include "harness.h"
#include "mlpipe/core/error.h"
#include "mlpipe/core/json_reader.h"

using namespace mlpipe;

namespace {

void read_rows(const CsvLayout& layout, const std::vector<std::string_view>& lines) {
  CsvTable table(layout);
  try {
    table.header(lines[0]);
  } catch (const Error&) {
    return;
  }
  static const std::string source = "fuzz.csv";
  std::string buffer;
  std::vector<std::string> cells;
  JsonReader reader;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    Record row;
    row.data = lines[i];
    row.readable = lines[i].size();
    row.source = &source;
    row.line = i + 1;
    Record json;
    try {
      json = table.to_record(row, buffer, cells);
    } catch (const Error&) {
      continue;
    }
    try {
      reader.index(json);
      // x holds the feature cells as they read: numbers, null for missing cells, strings.
      std::optional<Field> x = reader.find("x");
      if (!x || x->type != JsonType::array) throw Error("no array x");
      // All numbers: a dense vector as any reader takes it.
      if (x->raw.find_first_of("\"n") == std::string_view::npos) {
        SparseVector v;
        reader.get_sparse(*x, v);
      }
    } catch (const Error& e) {
      fuzz::violated(std::string("a CSV row made a record that does not read back: ") + e.what() + "\n" +
                     std::string(json.data));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = fuzz::as_text(data, size);
  std::vector<std::string_view> lines;
  while (!input.empty()) {
    std::size_t nl = input.find('\n');
    lines.push_back(input.substr(0, nl));
    input.remove_prefix(nl == std::string_view::npos ? input.size() : nl + 1);
  }
  std::vector<std::string> cells;
  for (std::string_view line : lines) {
    try {
      split_csv_line(line, cells);
    } catch (const Error&) {
    }
  }
  if (lines.empty()) return 0;
  // The layouts of mltrain --format csv --label species --group doc, and of mlclassify
  // --format csv with a model trained on columns a and c (every other column a field).
  CsvLayout training, model;
  training.fields = {"species", "doc"};
  model.features = {"a", "c"};
  for (const CsvLayout& layout : {training, model}) read_rows(layout, lines);
  return 0;
}
