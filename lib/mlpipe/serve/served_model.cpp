// See served_model.h.
#include "mlpipe/serve/served_model.h"

#include <fmt/format.h>

#include "mlpipe/core/csv.h"
#include "mlpipe/core/error.h"
#include "mlpipe/core/executor.h"
#include "mlpipe/core/file_source.h"
#include "mlpipe/core/json_writer.h"
#include "mlpipe/core/record.h"
#include "mlpipe/model/model.h"
#include "mlpipe/pipeline/pipeline.h"
#include "mlpipe/serve/dense_scorer.h"

namespace mlpipe::serve {

namespace {

const std::string kRequestSource = "request";

std::unique_ptr<Stage> build_stage(std::vector<std::string> words) {
  std::vector<pipeline::StageSpec> specs = pipeline::parse_pipeline({std::move(words)}, pipeline::known_tools());
  return specs.front().factory(local_files());
}

ModelFacts facts_of(const Model& model) {
  const ModelInfo& info = model.info();
  ModelFacts f;
  f.task = model.is_regression() ? "regression" : "classification";
  if (!model.is_regression()) f.classes = info.class_names;
  f.columns = info.columns;
  f.text_columns.assign(f.columns.size(), false);
  if (info.column_prep)
    for (std::size_t j = 0; j < info.column_prep->columns.size() && j < f.columns.size(); ++j)
      f.text_columns[j] = info.column_prep->columns[j].kind == ColumnKind::category;
  f.dimension = info.dimension;
  f.learner = info.learner;
  f.label_field = info.label_field;
  return f;
}

std::string metadata_of(const std::string& name, std::uint64_t version, const ModelFacts& f) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("name").string(name);
  w.key("versions").begin_array().string(fmt::format("{}", version)).end_array();
  w.key("platform").string("mlpipe");
  w.key("inputs").begin_array();
  if (!f.columns.empty()) {
    for (std::size_t j = 0; j < f.columns.size(); ++j)
      w.begin_object().key("name").string(f.columns[j]).key("datatype").string(f.text_columns[j] ? "BYTES" : "FP64")
          .key("shape").begin_array().integer(-1).end_array().end_object();
  } else {
    w.begin_object().key("name").string("x").key("datatype").string("FP64").key("shape").begin_array().integer(-1)
        .integer(f.dimension ? std::int64_t(f.dimension) : -1).end_array().end_object();
  }
  w.end_array();
  bool classifies = f.task == "classification";
  w.key("outputs").begin_array();
  w.begin_object().key("name").string("score").key("datatype").string(classifies && f.classes.size() > 2 ? "BYTES" : "FP64")
      .key("shape").begin_array().integer(-1).end_array().end_object();
  if (classifies) {
    w.begin_object().key("name").string("class").key("datatype").string("BYTES").key("shape").begin_array()
        .integer(-1).end_array().end_object();
    if (f.classes.size() > 2)
      w.begin_object().key("name").string("per_class").key("datatype").string("FP64").key("shape").begin_array()
          .integer(-1).integer(std::int64_t(f.classes.size())).end_array().end_object();
  }
  w.end_array();
  w.key("parameters").begin_object().key("task").string(f.task);
  if (classifies) {
    w.key("classes").begin_array();
    for (const std::string& c : f.classes) w.string(c);
    w.end_array();
  }
  if (!f.learner.empty()) w.key("learner").string(f.learner);
  if (!f.label_field.empty()) w.key("label").string(f.label_field);
  w.end_object().end_object();
  return out;
}

}  // namespace

std::string run_stage_over(const Stage& stage, std::string lines, const std::string& source) {
  Batch batch;
  Batch::from_lines(batch, std::move(lines), &source);
  Executor executor(stage, 1, ErrorPolicy{});
  std::string out, tail;
  executor.process(batch, out);
  while (true) {
    bool more = executor.finish_part(tail);
    out += tail;
    if (!more) break;
  }
  return out;
}

ServedModel::ServedModel(std::string name, std::uint64_t version, std::string path)
    : name_(std::move(name)), version_(version), path_(std::move(path)) {
  Model model = load_model(path_, local_files());
  facts_ = facts_of(model);
  metadata_ = metadata_of(name_, version_, facts_);
  std::string model_arg = name_ + "=" + path_;
  records_stage_ = build_stage({"mlclassify", "-m", model_arg});
  std::vector<std::string> tensor_words = {"mlclassify", "-m", model_arg, "--label-out", std::string(kClassField)};
  if (facts_.classes.size() > 2) tensor_words.push_back("--per-class");
  if (facts_.task == "regression") tensor_words.resize(3);
  tensor_stage_ = build_stage(std::move(tensor_words));
  dense_ = DenseScorer::of(model);
}

ServedModel::~ServedModel() = default;

std::string ServedModel::classify_records(std::string records) const {
  return run_stage_over(*records_stage_, std::move(records), kRequestSource);
}

namespace {

// CSV with its header through a stage built for it now (`mlclassify --format csv …`): a CSV
// stage is bound to the columns of the header it read, and each request brings its own, so
// the stage lives as long as the request. Errors name the CSV's own lines.
std::string run_csv(std::vector<std::string> words, std::string csv) {
  std::unique_ptr<Stage> stage = build_stage(std::move(words));
  Batch batch;
  Batch::from_lines(batch, std::move(csv), &kRequestSource);
  if (batch.records.empty()) throw Error(kRequestSource, 0, "the CSV body is empty (expected a header line, then rows)");
  try {
    stage->header(batch.records.front());
  } catch (Error& e) {
    throw e.locate(kRequestSource, batch.records.front().line);
  }
  batch.records.erase(batch.records.begin());
  Executor executor(*stage, 1, ErrorPolicy{});
  std::string out, tail;
  executor.process(batch, out);
  while (executor.finish_part(tail)) out += tail;
  out += tail;
  return out;
}

}  // namespace

std::string ServedModel::classify_csv(std::string csv) const {
  if (facts_.columns.empty())
    throw Error::usage("the model was not trained on CSV (its sidecar names no columns): post NDJSON records or tensors");
  return run_csv({"mlclassify", "--format", "csv", "-m", name_ + "=" + path_}, std::move(csv));
}

InferOutputs ServedModel::infer(const InferRequest& request) const {
  if (dense_)
    if (const Tensor* x = dense_rows(request, facts_.dimension, facts_.columns))
      return dense_->score(x->numbers, x->rows(), x->shape.size() == 2 ? std::uint64_t(x->shape[1]) : 1);
  StageRows rows = rows_for_model(request, facts_.dimension, facts_.columns);
  if (rows.kind == StageRows::Kind::csv) {
    std::vector<std::string> words = {"mlclassify", "--format", "csv", "-m", name_ + "=" + path_, "--label-out",
                                      std::string(kClassField)};
    if (facts_.classes.size() > 2) words.push_back("--per-class");
    if (facts_.task == "regression") words.resize(5);
    return outputs_of_records(name_, run_csv(std::move(words), std::move(rows.text)));
  }
  return outputs_of_records(name_, run_stage_over(*tensor_stage_, std::move(rows.text), kRequestSource));
}

}  // namespace mlpipe::serve
