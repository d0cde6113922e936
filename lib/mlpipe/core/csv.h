// CSV input (RFC 4180): a header row naming the columns, then one row per line, turned
// into the records the stages read: {"COLUMN": value, …, "x": [feature values…]}.
//
// Quoted fields may hold commas, doubled quotes and any byte but a line break: mlpipe
// reads one record per line, so a quoted line break is refused with a located message.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/record.h"

namespace mlpipe {

// The fields of one CSV line; a trailing '\r' is dropped. Throws Error for a stray quote
// inside an unquoted field, text after a closing quote, or an unterminated quoted field.
void split_csv_line(std::string_view line, std::vector<std::string>& fields);

// Which columns become what.
struct CsvLayout {
  // Columns copied as record fields: a number when the cell reads as one, a string
  // otherwise, null when empty (labels, groups, identifiers). Columns named here but
  // missing from a header are left out of the record.
  std::vector<std::string> fields;
  // The feature columns, in order, when they must be exactly these (a model's columns);
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

  // The record of one row, replacing `json`. Throws Error (unlocated) for a row with
  // another number of cells than the header, or a feature cell that is not a finite
  // number. Const: workers on several threads convert rows at once.
  void to_json(std::string_view line, std::string& json, std::vector<std::string>& cells) const;

  // The same as a Record a stage reads like any NDJSON line (same source and line), its
  // text held in `buffer` (padded as records are).
  Record to_record(const Record& row, std::string& buffer, std::vector<std::string>& cells) const;

  const std::vector<std::string>& columns() const { return columns_; }
  const std::vector<std::string>& feature_columns() const { return feature_names_; }

 private:
  CsvLayout layout_;
  std::vector<std::string> columns_;
  std::vector<std::size_t> feature_cols_;  // column index of each feature, in x order
  std::vector<std::size_t> field_cols_;    // column index of each field
  std::vector<std::string> feature_names_;
};

}  // namespace mlpipe
