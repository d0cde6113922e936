// The sidecar MODEL.json: what a model file cannot say (class names and the labels' JSON
// type, the feature spec or CSV columns and what becomes of each (column_prep.h), scaling,
// calibration, class probabilities, threshold, how it was trained and cross-validated).
// mltrain writes it with format_sidecar(); every reader goes through parse_sidecar()
// (model.h). mltrain(1), FILES, documents every member.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mlpipe/model/calibration.h"
#include "mlpipe/model/column_prep.h"
#include "mlpipe/model/file_digest.h"
#include "mlpipe/model/scaling.h"
#include "mlpipe/model/selection.h"
#include "mlpipe/model/threshold.h"

namespace mlpipe {

struct SidecarFacts {
  const TrainParams* params = nullptr;  // the configuration trained
  const Dataset* data = nullptr;        // the training rows (classes in model order)
  std::vector<int> model_labels;        // classification: the labels in the model file's order
  std::size_t support_vectors = 0;
  std::string label_field;              // "" for libsvm text and one-class models
  std::string label_type;               // "number", "string", "boolean"; "" for regression
  std::string spec_json;                // canonical feature spec, "" when none
  const ColumnPrep* columns = nullptr;  // CSV training: the feature columns and what becomes of them
  Scaling scaling;                      // applied by Model at prediction (none when folded)
  ScaleMethod scale_method = ScaleMethod::none;  // what training used
  double gamma = 0;                     // resolved, for kernels with a gamma
  // Cross-validation of the configuration kept, when there was one.
  std::optional<Metrics> cv;
  int folds = 0;
  std::string group;
  MetricChoice metric;
  std::optional<PlattCalibration> calibration;
  std::string calibration_method = "platt";  // "platt", or "logistic" (the model's own sigmoid)
  std::vector<double> intercepts;       // a multi-class logistic regression's (Trained::intercepts)
  std::optional<ChosenThreshold> threshold;
  std::string threshold_chosen_by;
  // Every index an input vector may hold: the largest of the training rows' indices, their
  // dense width, the CSV columns.
  std::uint32_t dimension = 0;
  FileDigest model_file;  // of the model file written beside the sidecar
};

std::string format_sidecar(const SidecarFacts& f);

// The sidecar `text` (named `name` in errors) rewritten for the model file `model_text`:
// every member kept as it is, "dimension" (from "training.features" when the sidecar is
// older than it) and "model_file" (size and checksum) written last. Running it again on
// its result changes nothing; on a sidecar mltrain has just written, neither.
std::string refresh_sidecar(const std::string& text, std::string_view model_text, const std::string& name);

}  // namespace mlpipe
