// The mlclassify stage: records with features (or CSV rows, or libsvm rows) -> the same
// records with each model's score in `scores`, its decision in `passed` (models with a
// threshold), on request per-class values and predicted classes, and only the records the
// thresholds keep (--keep). A model replaced on disk is switched to between batches
// (--reload, SIGHUP); --accuracy and unseen CSV categories are said once the input is done.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mlpipe/core/stage.h"
#include "mlpipe/model/model_watch.h"

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

// The stage for `settings`, its models loaded: `watches` follow settings.models, in order;
// `spec_text` is the file --spec names, as read ("" without --spec). Throws Error when a
// model does not fit the options (a spec of its own, no probability estimates, no columns for
// CSV), and Error::usage when a threshold cannot be (a --min on a multi-class model, --keep
// with no model that has a threshold).
std::unique_ptr<Stage> make_classify_stage(ClassifySettings settings, const std::string& spec_text,
                                           std::vector<ModelWatch> watches);

}  // namespace mlpipe
