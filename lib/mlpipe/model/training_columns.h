// The feature cells of CSV training rows, kept column by column as read until every row
// is in: only then can each column's kind be decided (one text cell anywhere makes a
// column a category, and "1" and "1.0" are then two levels), and its levels listed.
//
//   TrainingColumns cols(table.feature_columns());
//   cols.add(cells, table.feature_positions(), "data.csv:12");   // for each row
//   std::vector<std::string> notes;
//   ColumnPrep prep = cols.decide(notes);     // kinds, levels, columns left out (column_prep.h)
//   cols.fill_dataset(prep, targets, data);   // the rows, NaN for a missing number
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/model/column_prep.h"

namespace mlpipe {

struct Dataset;

// A text column with more distinct values than this, and than half its cells, names or
// describes each row (an identifier, free text): its indicators would each hold one or
// two rows, and it is left out.
inline constexpr std::size_t kMaxIdentifierLevels = 20;

class TrainingColumns {
 public:
  explicit TrainingColumns(std::vector<std::string> names);

  // Appends one row: column j's cell is cells[positions[j]]; `where` ("FILE:LINE") names
  // the row in notes. Throws Error naming every cell that is not UTF-8 (a level is
  // written into the sidecar), and then keeps nothing of the row.
  void add(const std::vector<std::string>& cells, const std::vector<std::size_t>& positions, std::string_view where);
  std::size_t rows() const { return rows_; }

  // Each column's kind and levels; the columns left out, with why. One note per column
  // whose treatment deserves a word: left out, or read as categories although most of
  // its cells are numbers (a typo in a number column?).
  ColumnPrep decide(std::vector<std::string>& notes) const;

  // Appends every row to `d` under `prep` (made by decide()), with targets[r] as row r's
  // target: each number column's value (NaN when missing, 0 kept) and the indicator of
  // each category's level; d.kinds and d.max_index follow the layout.
  void fill_dataset(const ColumnPrep& prep, const std::vector<double>& targets, Dataset& d) const;

 private:
  struct Column {
    std::string name;
    std::string text;              // the cells, one after the other
    std::vector<std::size_t> end;  // where each row's cell ends in `text`
    std::size_t numbers = 0, texts = 0, missing = 0;
    std::string first_text, first_text_where;  // the first cell that is neither a number nor missing
    std::string_view cell(std::size_t r) const;
  };
  std::vector<Column> columns_;
  std::size_t rows_ = 0;
};

}  // namespace mlpipe
