// One model as the service answers with it: mlclassify's own stage built over the model's
// file, what the Open Inference Protocol's metadata says of it, and the runs of rows through
// it. Immutable once loaded: a new version is a new ServedModel, and a request holds the one
// it started with, so that no request mixes two models.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/stage.h"
#include "mlpipe/serve/oip_tensors.h"

namespace mlpipe::serve {

class DenseScorer;

struct ModelFacts {
  std::string task;                  // "classification" or "regression"
  std::vector<std::string> classes;  // classification: the class names, in model order
  std::vector<std::string> columns;  // trained from CSV: the feature columns
  std::vector<bool> text_columns;    // … and which of them hold categories (BYTES inputs)
  std::uint32_t dimension = 0;       // features a row holds (0: unknown)
  std::string learner, label_field;
};

class ServedModel {
 public:
  // Loads `path` (and its sidecar) as version `version` of `name`. Throws Error naming the
  // file when it cannot be read or is not a valid model.
  ServedModel(std::string name, std::uint64_t version, std::string path);
  ~ServedModel();

  const std::string& name() const { return name_; }
  std::uint64_t version() const { return version_; }
  const std::string& path() const { return path_; }
  const ModelFacts& facts() const { return facts_; }
  // GET /v2/models/NAME: {"name","versions","platform","inputs","outputs","parameters"}.
  const std::string& metadata() const { return metadata_; }

  // NDJSON records in, the very lines `mlclassify -m NAME=PATH` writes for them out.
  // Throws Error located at the request's line ("request:3: …").
  std::string classify_records(std::string records) const;
  // CSV with its header in, what `mlclassify --format csv -m NAME=PATH` writes.
  std::string classify_csv(std::string csv) const;
  // The outputs for the rows of an inference request: what classify_records gives for them,
  // with the predicted class (label.NAME) and, for a multi-class classifier, its per-class
  // values. Dense rows of a model with one decision function are scored directly
  // (dense_scorer.h), other rows go through the stage as records. Throws RequestError 400
  // for inputs that do not fit the model, Error located at the request for bad rows.
  InferOutputs infer(const InferRequest& request) const;

 private:
  std::string name_;
  std::uint64_t version_;
  std::string path_;
  ModelFacts facts_;
  std::string metadata_;
  std::unique_ptr<Stage> records_stage_;  // mlclassify -m NAME=PATH
  std::unique_ptr<Stage> tensor_stage_;   // … --label-out label [--per-class]
  std::unique_ptr<const DenseScorer> dense_;  // null: every request goes through tensor_stage_
};

// Runs a stage over NDJSON lines, as one request: every record in order, then what the
// stage holds at the end. Errors are located at the line of `source`.
std::string run_stage_over(const Stage& stage, std::string lines, const std::string& source);

}  // namespace mlpipe::serve
