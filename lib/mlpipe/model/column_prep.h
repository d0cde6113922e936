// CSV columns as a model's features (mltrain --format csv, mlclassify --format csv): what
// each column is, what a missing cell becomes, and where each column's features sit.
//
// mltrain decides it from the training rows (training_columns.h):
// - a number column, when every cell that is not missing reads as a number: one feature;
//   a missing cell becomes the mean of the training rows' cells (fitted inside each fold,
//   imputation.h), or, for tree models, stays missing: XGBoost sends it down the branch
//   each split learnt for missing values;
// - a category column otherwise (pandas' rule: one text cell makes a column text): one
//   indicator feature per level of the training rows, levels in byte order (one-hot); a
//   missing cell, or a level the training rows never held, sets none of them.
// Columns left out (--ignore, every cell missing, an identifier) are listed with why.
//
// The layout is kept in the sidecar (the members "columns", "column_prep" and
// "ignored_columns", written by write_json and read by read_json) and mlclassify encodes
// each row through it:
//
//   std::vector<std::string_view> cells = …;   // the cell of each of prep.columns, in order
//   prep.encode(cells, x, &unseen);            // x: the model's feature vector
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/sparse.h"
#include "mlpipe/model/dataset.h"

namespace mlpipe {

class JsonReader;
class JsonWriter;

enum class ColumnKind { number, category };

struct PreparedColumn {
  std::string name;
  ColumnKind kind = ColumnKind::number;
  // A number column's value for a missing cell; none: a missing cell stays missing (tree
  // models), or, in a model from before column preparation, is an error.
  std::optional<double> fill;
  std::vector<std::string> levels;  // a category column's levels, in byte order
  std::size_t missing = 0;          // training rows whose cell was missing
  // Of the training cells, how many read as numbers and how many as other text (a
  // category column holding numbers too is worth a word); not kept in the sidecar.
  std::size_t numbers = 0, texts = 0;

  std::size_t width() const { return kind == ColumnKind::number ? 1 : levels.size(); }
};

struct IgnoredColumn {
  std::string name;
  std::string reason;  // "--ignore", "every cell is missing", …
};

class ColumnPrep {
 public:
  std::vector<PreparedColumn> columns;  // the feature columns, in feature order
  std::vector<IgnoredColumn> ignored;
  // A model from before column preparation (its sidecar has "columns" alone): every column
  // a number, every cell required, and a 0 left out of the vector, as it was trained.
  bool legacy = false;

  // Feature indices: column j's first feature is first_index(j); dimension() in all.
  std::uint32_t first_index(std::size_t j) const;
  std::uint32_t dimension() const;
  std::vector<std::string> names() const;
  // The kind of every feature index ([0] unused), for a tabular Dataset.
  std::vector<FeatureKind> feature_kinds() const;

  // The feature vector of one row, `cells[j]` being the cell of columns[j]. A category
  // value the model does not know sets no indicator, and its column's index is appended
  // to `unseen` (when given). Throws Error naming every cell it cannot take: text in a
  // number column, and (legacy models) a missing number.
  void encode(const std::vector<std::string_view>& cells, SparseVector& x,
              std::vector<std::size_t>* unseen = nullptr) const;

  // The sidecar members "column_prep" (one object per column, in the order of "columns")
  // and "ignored_columns" ([{"column", "reason"}]), written into an open object.
  void write_json(JsonWriter& w) const;
  // The layout of a sidecar: its "columns" (`names`) with "column_prep" and
  // "ignored_columns" when it has them (without: legacy). Throws Error (unlocated) on
  // members that do not fit.
  static ColumnPrep read_json(JsonReader& sidecar, const std::vector<std::string>& names);
};

}  // namespace mlpipe
