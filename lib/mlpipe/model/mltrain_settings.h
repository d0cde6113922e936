// What mltrain's options come to, checked: mltrain_settings (tool_mltrain.h) makes them from
// the command line, and the stage (stage_mltrain.h) and its row reader (labelled_rows.h)
// read them. Plain values: no file is read to make them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mlpipe/model/metric_choice.h"
#include "mlpipe/model/train_params.h"

namespace mlpipe {

enum class InputFormat { ndjson, libsvm, csv };

// What the input rows are and how their labels are read.
struct RowSettings {
  InputFormat format = InputFormat::ndjson;
  std::string label = "label";      // --label: the field (or CSV column) of the label or target
  std::string features_field;       // --features-field; "": features, else x
  std::vector<std::string> ignore;  // --ignore: CSV columns left out
  std::string group;                // --group: the field whose value keeps rows in one fold; "" for none
  std::string spec;                 // --spec: the file the vectors were made with; "" for none
  std::string positive;             // --positive: the class to put first; "" for none
  bool needs_label = true;          // false for one-class models, which train on unlabelled rows
  bool classify = true;             // labels are classes (else regression targets)
  // Neither --task nor --type says, and the learner does both: numeric labels that look
  // like a quantity (targets_look_numeric) make it regression once all are read.
  bool detect_task = false;
};

// --threshold: none, the out-of-fold value with the best F1 (best-f1), or a value given.
enum class ThresholdRule { none, best_f1, given };

struct MltrainSettings {
  // mltrain trains, or describes a model (--info), or rewrites its sidecar (--refresh-sidecar).
  enum class Action { train, describe, refresh_sidecar };
  Action action = Action::train;
  std::string model;  // describe, refresh_sidecar: the model file
  bool json = false;  // describe: print the sidecar as stored (--json)

  RowSettings rows;
  TrainParams params;
  bool type_given = false;  // --type: kept whatever the labels say

  // Evaluation: --cv K, --grid, --compare (each cross-validates, with K folds or 5).
  int cv = 0;  // 0: --cv not given
  bool grid = false;
  bool compare = false;
  std::string grid_c, grid_gamma;  // LO:HI:STEP, read when the grid is made
  std::vector<int> grid_depth;
  std::vector<double> grid_eta;
  std::optional<Metric> metric;  // --metric; none: the default for the data

  // Kept in the sidecar, from the out-of-fold decision values or given.
  bool calibrate = false;
  ThresholdRule threshold = ThresholdRule::none;
  double threshold_value = 0;  // ThresholdRule::given

  std::string oof;     // --oof FILE; "" for none
  std::string output;  // -o MODEL; "" for none
  int threads = 1;
  bool progress = false;  // progress lines on stderr

  bool evaluate() const { return cv || grid || compare; }
  int folds() const { return cv ? cv : 5; }
};

}  // namespace mlpipe
