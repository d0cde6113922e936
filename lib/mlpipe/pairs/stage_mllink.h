// The mllink stage: mljoin's pair records -> pair features built from the two sides without
// re-reading text, a link model's score, and the linked pairs (each link with its stance and
// its sides without their vectors), or the pair features alone (--features-only: training
// pairs for mltrain). Records that are not pairs (mljoin --sentences) pass in place; --top
// and --top-right keep each side's best links, holding a key's links until it ends.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mlpipe/core/stage.h"
#include "mlpipe/model/model_watch.h"
#include "mlpipe/pairs/pair_features.h"

namespace mlpipe {

// The pair layout the options give, read by the program's factory: a --pair-spec file, or
// parts of one (the others as PairSpec's defaults).
struct LayoutArguments {
  std::string pair_spec;     // --pair-spec FILE: the whole layout
  std::string feature_spec;  // --feature-spec FILE: mlfeat's spec, which gives the side dimension
  std::optional<std::uint32_t> dim;                     // --dim
  std::optional<std::vector<std::string>> side_scores;  // --side-scores, without empty names
  bool crossed = false;                                 // --crossed

  bool given() const { return !pair_spec.empty() || !feature_spec.empty() || dim || side_scores || crossed; }
};

// What mllink does, as its options say (tool_mllink.h: mllink_settings).
struct LinkSettings {
  std::string model;           // -m: the link model; "" with --features-only
  std::optional<double> min;   // --min: keep links scoring above it (default: the sidecar's threshold)
  bool all = false;            // --all: keep every pair, scored
  bool decision = false;       // --decision: decision values even with a calibration
  std::size_t top = 0;         // --top K: the K best links of each left side (0: all)
  std::size_t top_right = 0;   // --top-right K: the K best of each right side (0: all)
  bool reload = false;         // --reload: follow the model file while the stream runs
  std::string left = "claim", right = "support";  // the side fields of pair records
  std::string stance = "against";  // the role whose decision on each side gives a link's stance
  bool keep_features = false;      // --keep-features: sides keep their vectors in links
  LayoutArguments layout;
  std::string write_spec;  // --write-spec FILE: the layout, written when the run ends
  // --features-only: a training pair per pair record, its label from a field of the pair
  // (label_field) or from its sides' overlap (overlap_left's value on the left side shares
  // an element with overlap_right's on the right side).
  bool features_only = false;
  std::string label_field;
  std::string overlap_left, overlap_right;
  bool drop_sides = false;  // --drop-sides
  bool pair_only = false;   // --pair-only: vectors without the sides' blocks

  // --top or --top-right: a key's links are ranked, in one worker.
  bool ranks() const { return top || top_right; }
};

// The stage for `settings`: `layout` is the layout the options give (read from
// settings.layout's files; none when not given), `model` the link model when there is one.
// Throws Error when the model does not fit the layout (or is no link model), Error::usage when
// the layout given differs from the model's.
std::unique_ptr<Stage> make_link_stage(LinkSettings settings, std::optional<PairSpec> layout,
                                       std::optional<ModelWatch> model);

}  // namespace mlpipe
