// What mlclassify is asked to do, as its options say (tool_mlclassify.h makes it): the
// models and their thresholds, which records to keep, what to write for each model, the
// input's format. Read by the stage (stage_mlclassify.h) and its workers (classify_worker.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace mlpipe {

// A model named on the command line (-m NAME=MODEL) and the threshold given for it.
struct ModelArgument {
  std::string name, path;
  std::optional<double> min;  // --min NAME=T: instead of the sidecar's (kept for a reloaded model)
  std::string min_given;      // that --min as given, for messages
};

// What mlclassify does, as its options say (tool_mlclassify.h: mlclassify_settings).
struct ClassifySettings {
  enum class Keep { every, any, all };     // which records to write
  enum class Input { ndjson, csv, libsvm };  // --format

  std::vector<ModelArgument> models;  // in the order given; names distinct
  Keep keep = Keep::every;
  bool probability = false;            // --probability: libsvm's (or the trees') class probabilities
  bool decision = false;               // --decision: decision values even with a calibration
  bool per_class = false;              // --per-class: scores_detail
  bool drop_features = false;
  std::string features_field;          // --features-field; "": "features", else "x"
  bool ignore_extra_features = false;  // --extra-features=ignore
  std::string spec_file;               // --spec FILE; "": the first model's spec, if any
  Input input = Input::ndjson;
  bool csv_output = false;             // --output-format csv (with CSV input)
  bool accuracy = false;               // --accuracy (with libsvm rows)
  std::string label_out;               // --label-out FIELD: FIELD.NAME = the predicted class
  bool reload = false;                 // --reload
};

}  // namespace mlpipe
