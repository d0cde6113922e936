// CSV input (RFC 4180): a header row naming the columns, then one row per line, turned
// into the records the stages read: {"COLUMN": value, …, "x": [feature cells…]}.
//
// Quoted fields may hold commas, doubled quotes and any byte but a line break: mlpipe
// reads one record per line, so a quoted line break is refused with a located message.
// Headers are read as pandas reads them: a UTF-8 byte-order mark is dropped, a column
// without a name is "Unnamed: N" (N counting columns from 0), and a name met again is
// "NAME.1", "NAME.2", … ; cells that pandas reads as missing are missing here too.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/record.h"

namespace mlpipe {

// The fields of one CSV line; a trailing '\r' is dropped. Throws Error for a stray quote
// inside an unquoted field, text after a closing quote, or an unterminated quoted field.
void split_csv_line(std::string_view line, std::vector<std::string>& fields);

// A cell that stands for a missing value: empty, or one of the texts pandas' read_csv
// takes as missing by default (NA, N/A, n/a, NaN, nan, -NaN, NULL, null, <NA>, #N/A, …),
// or "?" (the UCI repository's mark); spaces and tabs around it allowed.
bool is_missing_cell(std::string_view cell);

// The number a cell holds, as JSON would write it (finite, no '+'), spaces and tabs
// around it allowed; nullopt for anything else.
std::optional<double> cell_number(std::string_view cell);

// Appends `cell` to a CSV line as RFC 4180 writes it: in double quotes (a quote doubled)
// when it holds a comma, a quote, a line break, or spaces at either end; as it is otherwise.
void append_csv_cell(std::string& line, std::string_view cell);

// Which columns become what.
struct CsvLayout {
  // Columns copied as record fields: a number when the cell reads as one, a string
  // otherwise, null when empty (labels, groups, identifiers). Columns named here but
  // missing from a header are left out of the record.
  std::vector<std::string> fields;
  // The feature columns, in order, when they must be exactly these (the models' columns);
  // empty: every column that is not a field.
  std::vector<std::string> features;
  // Columns to leave out altogether.
  std::vector<std::string> ignore;
  std::string features_field = "x";
};

class CsvTable {
 public:
  explicit CsvTable(CsvLayout layout);

  // Reads a header line: the first line of each input. Inputs after the first must have
  // the same columns. Throws Error (unlocated) on a bad or mismatched header.
  void header(std::string_view line);
  bool has_header() const { return !columns_.empty(); }

  // The cells of one row, checked against the header: throws Error (unlocated) for a row
  // with another number of cells.
  void split(std::string_view line, std::vector<std::string>& cells) const;

  // The record of a split row, replacing `json`: the field columns, then the features
  // field holding the feature cells as they read: a number, null for a missing cell, a
  // string for other text. Throws Error (unlocated) naming every cell that is not UTF-8.
  // Const: workers on several threads convert rows at once.
  void to_json(const std::vector<std::string>& cells, std::string& json) const;

  // A row split into `cells` and made the Record a stage reads like any NDJSON line (same
  // source and line), its text held in `buffer` (padded as records are).
  Record to_record(const Record& row, std::string& buffer, std::vector<std::string>& cells) const;

  // The header's column names (after the renaming above).
  const std::vector<std::string>& columns() const { return columns_; }
  const std::vector<std::string>& feature_columns() const { return feature_names_; }
  // The position in a row of each feature column, in feature order.
  const std::vector<std::size_t>& feature_positions() const { return feature_cols_; }

 private:
  CsvLayout layout_;
  std::vector<std::string> columns_;
  std::vector<std::size_t> feature_cols_;  // column index of each feature, in x order
  std::vector<std::size_t> field_cols_;    // column index of each field
  std::vector<std::string> feature_names_;
};

}  // namespace mlpipe
