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
  std::vector<pipeline::StageSpec> specs = pipeline::parse_pipeline({std::move(words)}, false);
  return specs.front().factory(local_files());
}

ModelFacts facts_of(const Model& model) {
  const ModelInfo& info = model.info();
  ModelFacts f;
  f.task = model.is_regression() ? "regression" : "classification";
  if (!model.is_regression()) f.classes = info.class_names;
  f.columns = info.columns;
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
    for (const std::string& c : f.columns)
      w.begin_object().key("name").string(c).key("datatype").string("FP64").key("shape").begin_array().integer(-1)
          .end_array().end_object();
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
  std::vector<std::string> tensor_words = {"mlclassify", "-m", model_arg, "--label-out", "label"};
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

// CSV rows as the NDJSON records mlclassify --format csv makes of them (core/csv.h).
std::string csv_to_records(std::string_view csv, const std::vector<std::string>& columns) {
  if (columns.empty()) throw Error::usage("the model was not trained on CSV (its sidecar names no columns): post NDJSON records or tensors");
  CsvLayout layout;
  layout.features = columns;
  CsvTable table(std::move(layout));
  std::string out, json;
  std::vector<std::string> cells;
  std::uint64_t line = 0;
  bool header = true;
  while (!csv.empty()) {
    std::size_t nl = csv.find('\n');
    std::string_view row = csv.substr(0, nl);
    csv = nl == std::string_view::npos ? std::string_view() : csv.substr(nl + 1);
    ++line;
    try {
      // The header and blank lines become empty lines, which the stage's batch counts but
      // skips: record k then sits on line k, and a stage's error names the CSV's own line.
      if (header) {
        table.header(row);
        header = false;
        out += '\n';
        continue;
      }
      if (row.empty() || row == "\r") {
        out += '\n';
        continue;
      }
      table.to_json(row, json, cells);
    } catch (Error& e) {
      throw e.locate(kRequestSource, line);
    }
    out += json;
    out += '\n';
  }
  if (header) throw Error(kRequestSource, 0, "the CSV body is empty (expected a header line, then rows)");
  return out;
}

}  // namespace

std::string ServedModel::classify_csv(std::string_view csv) const {
  return classify_records(csv_to_records(csv, facts_.columns));
}

InferOutputs ServedModel::infer(const InferRequest& request) const {
  if (dense_)
    if (const Tensor* x = dense_rows(request, facts_.dimension, facts_.columns))
      return dense_->score(x->numbers, x->rows(), x->shape.size() == 2 ? std::uint64_t(x->shape[1]) : 1);
  StageRows rows = rows_for_model(request, facts_.dimension, facts_.columns);
  std::string records = rows.kind == StageRows::Kind::csv ? csv_to_records(rows.text, facts_.columns) : std::move(rows.text);
  return outputs_of_records(name_, run_stage_over(*tensor_stage_, std::move(records), kRequestSource));
}

}  // namespace mlpipe::serve
