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

std::string_view trimmed(std::string_view cell) {
  while (!cell.empty() && (cell.front() == ' ' || cell.front() == '\t')) cell.remove_prefix(1);
  while (!cell.empty() && (cell.back() == ' ' || cell.back() == '\t')) cell.remove_suffix(1);
  return cell;
}

// The header's names as pandas' read_csv gives them: a byte-order mark dropped, "Unnamed: N"
// for a column without a name, "NAME.1", "NAME.2", … for a name met again.
std::vector<std::string> header_names(std::string_view line) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (line.substr(0, kBom.size()) == kBom) line.remove_prefix(kBom.size());
  std::vector<std::string> names;
  split_csv_line(line, names);
  for (std::size_t c = 0; c < names.size(); ++c) {
    // Names become record keys: the JSON must stay valid.
    if (!simdjson::validate_utf8(names[c].data(), names[c].size()))
      throw Error(fmt::format("header: the name of column {} is not valid UTF-8", c + 1));
    if (names[c].empty()) names[c] = fmt::format("Unnamed: {}", c);
  }
  for (std::size_t c = 0; c < names.size(); ++c) {
    const std::string base = names[c];
    for (std::size_t n = 1; std::find(names.begin(), names.begin() + std::ptrdiff_t(c), names[c]) !=
                            names.begin() + std::ptrdiff_t(c);
         ++n)
      names[c] = fmt::format("{}.{}", base, n);
  }
  return names;
}

// 'a', 'b' and 'c'
std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += i + 1 == names.size() ? " and " : ", ";
    out += fmt::format("'{}'", input_snippet(names[i]));
  }
  return out;
}

}  // namespace

bool is_missing_cell(std::string_view cell) {
  static constexpr std::string_view kMissing[] = {"",     "?",       "NA",   "N/A",      "n/a",     "NaN",
                                                  "nan",  "-NaN",    "-nan", "NULL",     "null",    "<NA>",
                                                  "#N/A", "#N/A N/A", "#NA", "-1.#IND", "1.#IND", "-1.#QNAN",
                                                  "1.#QNAN"};
  cell = trimmed(cell);
  return std::find(std::begin(kMissing), std::end(kMissing), cell) != std::end(kMissing);
}

std::optional<double> cell_number(std::string_view cell) { return parse_double(trimmed(cell)); }

void append_csv_cell(std::string& line, std::string_view cell) {
  const bool quote = cell.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!cell.empty() && (cell.front() == ' ' || cell.back() == ' '));
  if (!quote) {
    line += cell;
    return;
  }
  line += '"';
  for (char c : cell) {
    if (c == '"') line += '"';
    line += c;
  }
  line += '"';
}

void CsvTable::header(std::string_view line) {
  std::vector<std::string> names = header_names(line);
  if (has_header()) {
    if (names != columns_)
      throw Error(fmt::format("this input's header differs from the first input's ({} columns: {}…)", columns_.size(),
                              input_snippet(columns_.front())));
    return;
  }
  std::vector<std::size_t> features, fields;
  std::vector<std::string> feature_names;
  if (!layout_.features.empty()) {
    std::vector<std::string> absent;
    for (const std::string& f : layout_.features) {
      auto it = std::find(names.begin(), names.end(), f);
      if (it == names.end()) {
        absent.push_back(f);
        continue;
      }
      features.push_back(std::size_t(it - names.begin()));
      feature_names.push_back(f);
    }
    if (absent.size() == 1)
      throw Error(fmt::format("header: no column '{}', which the model was trained on", input_snippet(absent[0])));
    if (!absent.empty())
      throw Error(fmt::format("header: no columns {}, which the model was trained on", quoted_list(absent)));
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

void CsvTable::split(std::string_view line, std::vector<std::string>& cells) const {
  split_csv_line(line, cells);
  if (cells.size() != columns_.size())
    throw Error(fmt::format("{} cells, but the header has {} columns", cells.size(), columns_.size()));
}

void CsvTable::to_json(const std::vector<std::string>& cells, std::string& json) const {
  // Every cell written as a string must be UTF-8; all those that are not, named at once.
  std::vector<std::string> not_utf8;
  auto text = [&](std::size_t c) {
    if (!simdjson::validate_utf8(cells[c].data(), cells[c].size())) not_utf8.push_back(columns_[c]);
  };
  for (std::size_t c : field_cols_)
    if (!cells[c].empty() && !cell_number(cells[c])) text(c);
  for (std::size_t c : feature_cols_)
    if (!is_missing_cell(cells[c]) && !cell_number(cells[c])) text(c);
  if (not_utf8.size() == 1) throw Error(fmt::format("column '{}': not valid UTF-8", input_snippet(not_utf8[0])));
  if (!not_utf8.empty()) throw Error(fmt::format("columns {}: not valid UTF-8", quoted_list(not_utf8)));
  json.clear();
  JsonWriter w(json);
  w.begin_object();
  for (std::size_t c : field_cols_) {
    w.key(columns_[c]);
    if (cells[c].empty()) w.null();
    else if (const std::optional<double> v = cell_number(cells[c])) w.number(*v);
    else w.string(cells[c]);
  }
  w.key(layout_.features_field).begin_array();
  for (std::size_t c : feature_cols_) {
    if (const std::optional<double> v = cell_number(cells[c])) w.number(*v);
    else if (is_missing_cell(cells[c])) w.null();
    else w.string(cells[c]);
  }
  w.end_array();
  w.end_object();
}

Record CsvTable::to_record(const Record& row, std::string& buffer, std::vector<std::string>& cells) const {
  split(row.data, cells);
  to_json(cells, buffer);
  const std::size_t size = buffer.size();
  buffer.append(kJsonPadding, ' ');
  Record r = row;
  r.data = std::string_view(buffer.data(), size);
  r.readable = buffer.size();
  return r;
}

}  // namespace mlpipe
