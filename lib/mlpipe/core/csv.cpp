#include "mlpipe/core/csv.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>
#include <simdjson.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/snippet.h"
#include "mlpipe/core/json_writer.h"
#include "mlpipe/core/parse_number.h"

namespace mlpipe {

void split_csv_line(std::string_view line, std::vector<std::string>& fields) {
  fields.clear();
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::size_t i = 0;
  const std::size_t n = line.size();
  while (true) {
    std::string field;
    if (i < n && line[i] == '"') {
      const std::size_t open = i++;
      while (true) {
        if (i >= n)
          throw Error(fmt::format("column {}: the quoted field opened at byte {} does not end on this line (mlpipe "
                                  "reads one row per line)",
                                  fields.size() + 1, open + 1));
        if (line[i] == '"') {
          if (i + 1 < n && line[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += line[i++];
      }
      if (i < n && line[i] != ',')
        throw Error(fmt::format("column {}: text after the closing quote (a quote inside a field is written \"\")",
                                fields.size() + 1));
    } else {
      const std::size_t end = std::min(line.find(',', i), n);
      std::string_view raw = line.substr(i, end - i);
      if (raw.find('"') != std::string_view::npos)
        throw Error(fmt::format("column {}: a quote inside an unquoted field (quote the field and double the quote)",
                                fields.size() + 1));
      field.assign(raw);
      i = end;
    }
    fields.push_back(std::move(field));
    if (i >= n) break;
    ++i;  // the comma
    if (i == n) {
      fields.emplace_back();  // a trailing comma: one more, empty field
      break;
    }
  }
}

CsvTable::CsvTable(CsvLayout layout) : layout_(std::move(layout)) {}

namespace {

bool listed(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// A cell that is a number as JSON would have it (finite, no '+'), spaces around it allowed.
std::optional<double> as_number(std::string_view cell) {
  while (!cell.empty() && (cell.front() == ' ' || cell.front() == '\t')) cell.remove_prefix(1);
  while (!cell.empty() && (cell.back() == ' ' || cell.back() == '\t')) cell.remove_suffix(1);
  return parse_double(cell);
}

}  // namespace

void CsvTable::header(std::string_view line) {
  std::vector<std::string> names;
  split_csv_line(line, names);
  if (has_header()) {
    if (names != columns_)
      throw Error(fmt::format("this input's header differs from the first input's ({} columns: {}…)", columns_.size(),
                              input_snippet(columns_.front())));
    return;
  }
  for (std::size_t c = 0; c < names.size(); ++c) {
    if (names[c].empty()) throw Error(fmt::format("header: column {} has no name", c + 1));
    // Names become record keys: the JSON must stay valid.
    if (!simdjson::validate_utf8(names[c].data(), names[c].size()))
      throw Error(fmt::format("header: the name of column {} is not valid UTF-8", c + 1));
    for (std::size_t e = 0; e < c; ++e)
      if (names[e] == names[c]) throw Error(fmt::format("header: column '{}' appears twice", input_snippet(names[c])));
  }
  std::vector<std::size_t> features, fields;
  std::vector<std::string> feature_names;
  if (!layout_.features.empty()) {
    for (const std::string& f : layout_.features) {
      auto it = std::find(names.begin(), names.end(), f);
      if (it == names.end())
        throw Error(fmt::format("header: no column '{}', which the model was trained on", f));
      features.push_back(std::size_t(it - names.begin()));
      feature_names.push_back(f);
    }
    for (std::size_t c = 0; c < names.size(); ++c)
      if (!listed(layout_.features, names[c]) && !listed(layout_.ignore, names[c])) fields.push_back(c);
  } else {
    for (std::size_t c = 0; c < names.size(); ++c) {
      if (listed(layout_.ignore, names[c])) continue;
      if (listed(layout_.fields, names[c])) {
        fields.push_back(c);
      } else {
        features.push_back(c);
        feature_names.push_back(names[c]);
      }
    }
    if (features.empty()) throw Error("header: no feature columns (every column is a field or ignored)");
  }
  for (std::size_t c : fields)
    if (names[c] == layout_.features_field)
      throw Error(fmt::format("header: a column is named '{}', the field the features go to", input_snippet(names[c])));
  columns_ = std::move(names);
  feature_cols_ = std::move(features);
  field_cols_ = std::move(fields);
  feature_names_ = std::move(feature_names);
}

void CsvTable::to_json(std::string_view line, std::string& json, std::vector<std::string>& cells) const {
  split_csv_line(line, cells);
  if (cells.size() != columns_.size())
    throw Error(fmt::format("{} cells, but the header has {} columns", cells.size(), columns_.size()));
  json.clear();
  JsonWriter w(json);
  w.begin_object();
  for (std::size_t c : field_cols_) {
    w.key(columns_[c]);
    if (cells[c].empty()) w.null();
    else if (const std::optional<double> v = as_number(cells[c])) w.number(*v);
    else if (simdjson::validate_utf8(cells[c].data(), cells[c].size())) w.string(cells[c]);
    else throw Error(fmt::format("column '{}': not valid UTF-8", columns_[c]));
  }
  w.key(layout_.features_field).begin_array();
  for (std::size_t c : feature_cols_) {
    const std::optional<double> v = as_number(cells[c]);
    if (!v)
      throw Error(cells[c].empty()
                      ? fmt::format("column '{}' is empty (a feature needs a number)", input_snippet(columns_[c]))
                      : fmt::format("column '{}': '{}' is not a number", input_snippet(columns_[c]),
                                    input_snippet(cells[c])));
    w.number(*v);
  }
  w.end_array();
  w.end_object();
}

Record CsvTable::to_record(const Record& row, std::string& buffer, std::vector<std::string>& cells) const {
  to_json(row.data, buffer, cells);
  const std::size_t size = buffer.size();
  buffer.append(kJsonPadding, ' ');
  Record r = row;
  r.data = std::string_view(buffer.data(), size);
  r.readable = buffer.size();
  return r;
}

}  // namespace mlpipe
