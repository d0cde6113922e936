// mltrain's input read into training rows: NDJSON records (a "features" or "x" vector and a
// label of any JSON type), libsvm text lines, or CSV rows, whose cells are kept as they are
// until every row is in (training_columns.h). Classes are numbered as they come and put in
// model order at the end; each row's group (--group) is kept for the folds; and when neither
// the options nor the learner say the task, numeric labels decide it once all are read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/record.h"
#include "mlpipe/core/sparse.h"
#include "mlpipe/model/class_labels.h"
#include "mlpipe/model/column_prep.h"
#include "mlpipe/model/dataset.h"
#include "mlpipe/model/mltrain_settings.h"
#include "mlpipe/model/training_columns.h"

namespace mlpipe {

class CsvTable;

class LabelledRows {
 public:
  // `csv`: the table whose header the stage has read (--format csv), else nullptr.
  // `spec_digest`: of the --spec file, which every vector that names its spec must match.
  LabelledRows(const RowSettings& s, const CsvTable* csv, std::string spec_digest);

  // One input record: a row, or nothing (a comment line; a CSV row without a label,
  // counted). Throws Error (unlocated) for a record that cannot be a row.
  void add(const Record& in);

  // Every row is in: says on stderr what deserves a word (rows left out for want of a
  // label, the task decided from the labels, CSV columns), decides the task, lays out the
  // CSV columns, and puts the classes in model order (--positive first).
  void finish();

  // The rows (their task in data().classification) and what was read with them.
  Dataset& data() { return data_; }
  const Dataset& data() const { return data_; }
  const ClassLabels& labels() const { return labels_; }
  const std::vector<std::string>& groups() const { return group_; }  // --group: each row's value (JSON text)
  const std::optional<ColumnPrep>& columns() const { return prep_; }  // CSV: the columns' layout
  std::size_t dense_width() const { return dense_width_; }  // the longest dense "x" array

 private:
  void add_csv(const Record& in);
  void add_json(const Record& in);
  void add_libsvm(const Record& in);
  double read_label_and_group();
  void note_label(const Record& in, double y);
  void decide_task();
  void prepare_columns();

  const RowSettings& s_;
  const CsvTable* csv_;
  std::string spec_digest_;
  JsonReader reader_;
  SparseVector x_;
  std::vector<double> values_;  // x_'s values in double precision
  std::vector<double> dense_;   // a dense "x" array as read
  std::size_t dense_width_ = 0;  // the longest dense array: the dimension even if its last values are 0
  std::vector<std::uint32_t> idx_;  // a libsvm line's
  std::vector<double> val_;
  std::string row_json_;
  std::vector<std::string> cells_;
  // CSV: the rows' feature cells and targets until every row is in, then the columns'
  // layout (kept in the sidecar); the label's column; the rows left out for want of a label.
  std::optional<TrainingColumns> columns_;
  std::vector<double> targets_;
  std::optional<ColumnPrep> prep_;
  std::optional<std::size_t> label_column_;
  std::size_t unlabelled_rows_ = 0;
  std::optional<Error> not_a_class_;  // see note_label
  Dataset data_;
  ClassLabels labels_;
  std::vector<std::string> group_;  // --group: each row's group value (JSON text)
  std::string group_value_;         // the current record's, until it is a row
};

}  // namespace mlpipe
