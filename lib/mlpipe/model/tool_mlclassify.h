// The mlclassify program: its options (declared on CLI11, shared with mlmr and mlserve), the
// settings they make, with every check between options in one place, and the factory that
// reads the models and builds the stage (stage_mlclassify.h).
#pragma once

#include <string>
#include <vector>

#include "mlpipe/core/cli.h"
#include "mlpipe/model/stage_mlclassify.h"

namespace mlpipe {

// The options as given on the command line.
struct MlclassifyOptions {
  std::vector<std::string> models;  // -m NAME=MODEL, or MODEL named after its file
  std::vector<std::string> mins;    // --min NAME=T
  std::string keep = "every";       // every|any|all
  bool drop_features = false;
  bool per_class = false;
  bool probability = false;
  bool decision = false;
  std::string features_field;
  std::string spec;
  bool reload = false;
  std::string format = "ndjson";  // ndjson|csv|libsvm
  std::string label_out;
  std::string extra_features = "error";  // error|ignore
  bool accuracy = false;
  std::string output_format = "ndjson";  // ndjson|csv
};

// The settings `o` make. Throws Error::usage, with the message mlclassify prints, for options
// that do not go together and for -m and --min arguments that are not NAME=MODEL and NAME=T
// (or name a model twice, or none).
ClassifySettings mlclassify_settings(const MlclassifyOptions& o);

const ToolDef& mlclassify_tool();

}  // namespace mlpipe
