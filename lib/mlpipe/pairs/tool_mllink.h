// The mllink program: its options (declared on CLI11, shared with mlmr), the settings they
// make, with every check between options in one place, and the factory that reads the files
// they name and builds the stage (stage_mllink.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mlpipe/core/cli.h"
#include "mlpipe/core/file_source.h"
#include "mlpipe/pairs/stage_mllink.h"

namespace mlpipe {

// The options as given on the command line.
struct MllinkOptions {
  std::string model;                      // -m: the link model
  bool features_only = false;             // write features and labels, no scores
  std::string min;                        // --min T as given ("": the decision threshold, 0); read by mllink_settings
  bool all = false;                       // keep every pair
  std::string left = "claim", right = "support";  // side fields of the pair records
  std::string stance = "against";         // the role whose decision on each side gives a link's stance
  bool keep_features = false;             // --keep-features: sides keep their vectors in the output
  std::optional<std::uint32_t> dim;       // --dim
  std::optional<std::vector<std::string>> side_scores;  // --side-scores, split at commas
  bool crossed = false;                                  // --crossed
  std::string feature_spec;               // --feature-spec FILE (mlfeat's): the dimension
  std::string pair_spec;                  // --pair-spec FILE
  std::string write_spec;                 // --write-spec FILE
  std::string label_field;                // --label-field FIELD
  std::string label_overlap;              // --label-overlap LEFT_FIELD,RIGHT_FIELD
  bool drop_sides = false;
  bool pair_only = false;  // --pair-only: training vectors without the two sides' blocks
  bool decision = false;                  // --decision: raw decision values even with a calibration
  std::size_t top = 0;                    // --top K: the K best links of each left side (0: all)
  std::size_t top_right = 0;              // --top-right K: the K best of each right side (0: all)
  bool reload = false;                    // --reload: follow the model file while the stream runs
};

// The settings `o` make. Throws Error::usage, with the message mllink prints, for options
// that do not go together and for a --label-overlap that is not LEFT_FIELD,RIGHT_FIELD.
LinkSettings mllink_settings(const MllinkOptions& o);

// Reads the files `settings` name (the layout's, the model and its sidecar) from `files` and
// builds the stage.
std::unique_ptr<Stage> build_link_stage(const LinkSettings& settings, const FileSource& files);

const ToolDef& mllink_tool();

}  // namespace mlpipe
