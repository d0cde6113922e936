// See dense_scorer.h. Each choice below is the one stage_mlclassify.cpp makes for the words
// served_model.cpp gives its tensor stage (-m NAME=PATH --label-out label; no --probability,
// --decision or --min).
#include "mlpipe/serve/dense_scorer.h"

#include "mlpipe/core/parse_number.h"

namespace mlpipe::serve {

std::unique_ptr<const DenseScorer> DenseScorer::of(const Model& model) {
  // mlclassify writes a multi-class (or one-class-only) classifier's class name as its score.
  if (model.is_classifier() && model.class_count() != 2) return nullptr;
  // Category columns are one-hot in the model's vector: a row of column values is not it.
  if (const auto& prep = model.info().column_prep)
    for (const PreparedColumn& c : prep->columns)
      if (c.kind == ColumnKind::category) return nullptr;
  std::unique_ptr<DenseScorer> s(new DenseScorer());
  s->model_ = model;
  const ModelInfo& info = model.info();
  if (model.is_classifier()) {
    if (info.calibration) s->units_ = ScoreUnits::calibrated(*info.calibration);
    s->threshold_ = s->units_.threshold(info.threshold);
    s->classifies_ = true;
    const std::vector<std::string>& names = model.class_names();
    for (std::size_t c = 0; c < 2; ++c) {
      s->class_names_[c] = names[c];
      if (info.label_type == "number") {
        std::optional<double> v = parse_double(names[c]);
        if (!v) return nullptr;  // not a number after all: the stage writes it as it is
        s->class_type_ = ClassType::number;
        s->class_numbers_[c] = *v;
      } else if (info.label_type == "boolean") {
        if (names[c] != "true" && names[c] != "false") return nullptr;
        s->class_type_ = ClassType::boolean;
      }
    }
  } else if (!model.is_regression()) {
    s->threshold_ = s->units_.threshold(info.threshold);  // one-class: inside when the decision passes
  }
  return s;
}

InferOutputs DenseScorer::score(const std::vector<double>& values, std::uint64_t rows, std::uint64_t width) const {
  InferOutputs out;
  out.rows = rows;
  out.score.numbers.reserve(rows);
  if (threshold_) out.passed.booleans.reserve(rows);
  if (classifies_) {
    if (class_type_ == ClassType::number) out.label.numbers.reserve(rows);
    else if (class_type_ == ClassType::string) out.label.strings.reserve(rows);
  }
  Model::Scratch scratch;
  SparseVector x;
  for (std::uint64_t r = 0; r < rows; ++r) {
    x.clear();
    const double* row = values.data() + r * width;
    for (std::uint64_t k = 0; k < width; ++k)
      if (row[k] != 0) x.push(std::uint32_t(k + 1), float(row[k]));
    const double score = units_.score(model_.decision(x, scratch));
    out.score.add(score);
    if (!threshold_) continue;
    bool pass = score > *threshold_;
    out.passed.add_boolean(pass);
    if (!classifies_) continue;
    std::size_t c = pass ? 0 : 1;
    switch (class_type_) {
      case ClassType::string: out.label.add(class_names_[c]); break;
      case ClassType::number: out.label.add(class_numbers_[c]); break;
      case ClassType::boolean: out.label.add_boolean(class_names_[c] == "true"); break;
    }
  }
  return out;
}

}  // namespace mlpipe::serve
