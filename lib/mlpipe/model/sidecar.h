// The sidecar MODEL.json: what a model file cannot say (class names and the labels' JSON
// type, the feature spec or CSV columns and what becomes of each (column_prep.h), scaling,
// calibration, class probabilities, threshold, how it was trained and cross-validated).
// mltrain writes it with format_sidecar(); every reader goes through parse_sidecar() (and
// load_model, model.h, which checks it against the model file). Both sides are here, so
// that a member is written and read in one file. mltrain(1), FILES, documents every member.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/model/calibration.h"
#include "mlpipe/model/column_prep.h"
#include "mlpipe/model/file_digest.h"
#include "mlpipe/model/metric_choice.h"
#include "mlpipe/model/metrics.h"
#include "mlpipe/model/scaling.h"
#include "mlpipe/model/threshold.h"

namespace mlpipe {

struct Dataset;
struct SvmFile;
struct TrainParams;

// ---------------------------------------------------------------- reading

// What a model's sidecar says; everything is optional (svm-train models have no sidecar).
struct ModelInfo {
  bool has_sidecar = false;
  std::vector<std::string> class_names;  // classification: one per model label, in model order
  std::string spec;          // canonical JSON of mlfeat's feature spec, "" when none
  std::string label_field;   // the record field the model was trained on, "" when unknown
  std::string sidecar_json;  // the whole sidecar text
  std::string learner;       // the sidecar's "learner" (mltrain's --learner name), "" when absent
  // Tree models: the labels named by the sidecar's "classes", in model order (a libsvm
  // model carries its own labels).
  std::vector<int> class_labels;
  // Binary classifiers trained with mltrain --calibrate / --threshold: the sigmoid from
  // decision values to P(first class), and the decision threshold ("passes when d > T").
  std::optional<PlattCalibration> calibration;
  std::optional<double> threshold;
  // mltrain --scale: applied to every vector before the model sees it.
  std::optional<Scaling> scaling;
  // The JSON type of the training labels ("number", "string", "boolean"; "" when unknown),
  // so that a predicted class is written as the type it was trained from.
  std::string label_type;
  // Trained from CSV: the feature columns, in the order of the features' indices, and
  // what becomes of each cell (a sidecar with "columns" alone: every column a number).
  std::vector<std::string> columns;
  std::optional<ColumnPrep> column_prep;
  // A multi-class logistic regression (mltrain --learner logistic): each class's
  // intercept, for its class probabilities (the sidecar's "class_probability").
  std::vector<double> class_intercepts;
  // Every feature index the training rows could hold (the sidecar's "dimension"; older
  // sidecars: "training.features", the largest index of the training rows); 0 when unknown.
  // A vector with a larger index was made some other way than the model's training data.
  std::uint32_t dimension = 0;
  // The size and checksum of the model file the sidecar was written for (mltrain, and
  // mltrain --refresh-sidecar); load_model refuses another file.
  std::optional<FileDigest> model_file;
};

// The sidecar that goes with a model file: MODEL.json.
std::string sidecar_path(const std::string& model_path);

// Reads a sidecar's text (`name` for errors). The classes it names are read against the
// model they go with, by the two functions below.
ModelInfo parse_sidecar(const std::string& text, const std::string& name);

// A libsvm model's class names from the sidecar's "classes" object ({"LABEL": "NAME", …}),
// in the model's label order: every label of `f` named once, no other. Empty without it.
std::vector<std::string> sidecar_class_names(const std::string& text, const std::string& name, const SvmFile& f);

// A tree model's classes from the sidecar's "classes" object (in model order): labels into
// info.class_labels, names into info.class_names.
void read_tree_classes(const std::string& text, const std::string& name, ModelInfo& info);

// ---------------------------------------------------------------- writing

// What mltrain knows of a model it has trained, for its sidecar.
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

// The sidecar's text (one JSON line).
std::string format_sidecar(const SidecarFacts& f);

// The sidecar `text` (named `name` in errors) rewritten for the model file `model_text`:
// every member kept as it is, "dimension" (from "training.features" when the sidecar is
// older than it) and "model_file" (size and checksum) written last. Running it again on
// its result changes nothing; on a sidecar mltrain has just written, neither.
std::string refresh_sidecar(const std::string& text, std::string_view model_text, const std::string& name);

}  // namespace mlpipe
