// See labelled_rows.h.
#include "mlpipe/model/labelled_rows.h"

#include <algorithm>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "mlpipe/core/csv.h"
#include "mlpipe/core/spec_digest.h"
#include "mlpipe/model/libsvm_row.h"

namespace mlpipe {

LabelledRows::LabelledRows(const RowSettings& s, const CsvTable* csv, std::string spec_digest)
    : s_(s), csv_(csv), spec_digest_(std::move(spec_digest)) {
  data_.classification = s.classify;
}

void LabelledRows::add(const Record& in) {
  if (s_.format == InputFormat::libsvm) return add_libsvm(in);
  if (csv_) return add_csv(in);
  add_json(in);
}

// A CSV row: its label and group read from the record it stands for, its feature cells
// kept as they are until every row is in (training_columns.h). A row whose label is
// missing is no training row: counted, and said once.
void LabelledRows::add_csv(const Record& in) {
  const Record record = csv_->to_record(in, row_json_, cells_);
  if (!columns_) {
    columns_.emplace(csv_->feature_columns());
    const std::vector<std::string>& names = csv_->columns();
    if (auto it = std::find(names.begin(), names.end(), s_.label); it != names.end())
      label_column_ = std::size_t(it - names.begin());
  }
  if (s_.needs_label && label_column_ && is_missing_cell(cells_[*label_column_])) {
    ++unlabelled_rows_;
    return;
  }
  reader_.index(record);
  const double y = read_label_and_group();
  note_label(in, y);
  columns_->add(cells_, csv_->feature_positions(), fmt::format("{}:{}", in.source_name(), in.line));
  targets_.push_back(y);
  if (!s_.group.empty()) group_.push_back(group_value_);
}

void LabelledRows::add_json(const Record& in) {
  reader_.index(in);
  std::optional<Field> f;
  if (!s_.features_field.empty()) {
    f = reader_.find(s_.features_field);
    if (!f) throw Error(fmt::format("no field '{}' (the features, --features-field)", s_.features_field));
  } else {
    f = reader_.find("features");
    if (!f) f = reader_.find("x");
    if (!f) throw Error("no 'features' or 'x' field (use --features-field to name another)");
  }
  const JsonReader::VectorFacts facts = reader_.get_sparse(*f, x_);
  if (!facts.spec.empty() && !spec_digest_.empty() && facts.spec != spec_digest_)
    throw Error(spec_digest_mismatch(facts.spec, spec_digest_, fmt::format("the spec of --spec {}", s_.spec)));
  // get_sparse validated the vector; its values are read again in double precision, as
  // libsvm text rows are: the same rows train the same model in either format.
  values_.clear();
  if (f->type == JsonType::array) {
    reader_.get_numbers(*f, dense_);
    dense_width_ = std::max(dense_width_, dense_.size());
    for (double v : dense_)
      if (v != 0) values_.push_back(v);
  } else {
    for (const Field& member : reader_.get_object(*f))
      if (member.key == "val") reader_.get_numbers(member, values_);
  }
  const double y = read_label_and_group();
  note_label(in, y);
  data_.add_row(x_.idx, values_, y);
  // Only now: a record skipped above (--on-error=skip) must not leave its group behind,
  // or every later row would fall in its neighbour's fold.
  if (!s_.group.empty()) group_.push_back(group_value_);
}

// The indexed record's label (a class index, the regression target, or while the task is
// undecided a numeric label as it is), and its group into group_value_.
double LabelledRows::read_label_and_group() {
  if (!s_.group.empty()) {
    std::optional<Field> g = reader_.find(s_.group);
    if (!g) throw Error(fmt::format("no field '{}' (the group of --group)", s_.group));
    group_value_.assign(g->raw);
  }
  if (!s_.needs_label) return 0;
  std::optional<Field> l = reader_.find(s_.label);
  if (!l) throw Error(fmt::format("no label field '{}' (--label FIELD)", s_.label));
  if (s_.detect_task && l->type == JsonType::number) {
    const double y = reader_.get_number(*l);
    labels_.expect_number(y);
    return y;
  }
  if (!data_.classification) {
    if (l->type != JsonType::number)
      throw Error(fmt::format("field '{}': expected a number (the regression target), found {}", s_.label,
                              type_name(l->type)));
    return reader_.get_number(*l);
  }
  switch (l->type) {
    case JsonType::number: return double(labels_.number(reader_.get_number(*l)));
    case JsonType::string: return double(labels_.string(reader_.get_string(*l)));
    case JsonType::boolean: return double(labels_.boolean(reader_.get_bool(*l)));
    default:
      throw Error(fmt::format("field '{}': expected a class label (a number, a string or a boolean), found {}",
                              s_.label, type_name(l->type)));
  }
}

// "LABEL idx:val …" (libsvm's text format); a line that is only a comment is no row.
void LabelledRows::add_libsvm(const Record& in) {
  double y = 0;
  if (!parse_libsvm_row(in.data, y, idx_, val_)) return;
  if (s_.needs_label && s_.detect_task) {
    labels_.expect_number(y);
    note_label(in, y);
  } else if (s_.needs_label && data_.classification) {
    y = double(labels_.number(y));
  }
  data_.add_row(idx_, val_, s_.needs_label ? y : 0);
}

// While the task is undecided: where the first numeric label that cannot be a class is,
// for the error should the labels turn out to be classes.
void LabelledRows::note_label(const Record& in, double y) {
  if (!s_.detect_task || !s_.needs_label || labels_.size() > 0 || not_a_class_) return;
  try {
    ClassLabels::check_class_number(y);
  } catch (const Error& e) {
    not_a_class_ = Error(in.source_name(), in.line, e.what());
  }
}

void LabelledRows::finish() {
  if (unlabelled_rows_)
    fmt::print(stderr, "mltrain: warning: {} row{} without a label (a missing '{}' cell) left out\n", unlabelled_rows_,
               unlabelled_rows_ == 1 ? "" : "s", s_.label);
  decide_task();
  prepare_columns();
  if (data_.classification) labels_.order(data_, s_.positive);
}

// The task of numeric labels read while it was undecided: regression when they look like a
// quantity (targets_look_numeric), said on stderr; classes otherwise, numbered now in the
// order the rows came in, as they would have been while reading.
void LabelledRows::decide_task() {
  if (!s_.detect_task || !s_.needs_label || labels_.size() > 0) return;  // classes already (strings, booleans)
  std::vector<double>& targets = csv_ ? targets_ : data_.target;
  if (targets.empty()) return;
  if (targets_look_numeric(targets)) {
    const std::size_t distinct = std::set<double>(targets.begin(), targets.end()).size();
    fmt::print(stderr,
               "mltrain: the target '{}' holds {} distinct numbers in {} rows: trained as regression (--task "
               "classification learns them as classes)\n",
               s_.label, distinct, targets.size());
    data_.classification = false;
    return;
  }
  if (not_a_class_) throw *not_a_class_;
  for (double& y : targets) y = double(labels_.number(y));
}

// CSV: each column's kind and levels from every row's cells, said where it deserves a
// word, and the rows made from them.
void LabelledRows::prepare_columns() {
  if (!csv_ || !columns_) return;  // no rows: check_params says so
  std::vector<std::string> notes;
  prep_ = columns_->decide(notes);
  for (const std::string& n : notes) fmt::print(stderr, "mltrain: warning: {}\n", n);
  std::vector<IgnoredColumn> ignored;
  for (const std::string& name : s_.ignore)
    if (std::find(csv_->columns().begin(), csv_->columns().end(), name) != csv_->columns().end())
      ignored.push_back({name, "--ignore"});
  ignored.insert(ignored.end(), prep_->ignored.begin(), prep_->ignored.end());
  prep_->ignored = std::move(ignored);
  columns_->fill_dataset(*prep_, targets_, data_);
  columns_.reset();
  targets_.clear();
}

}  // namespace mlpipe
