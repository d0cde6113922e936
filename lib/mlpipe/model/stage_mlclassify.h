// The mlclassify stage: records with features (or CSV rows, or libsvm rows) -> the same
// records with each model's score in `scores`, its decision in `passed` (models with a
// threshold), on request per-class values and predicted classes, and only the records the
// thresholds keep (--keep). A model replaced on disk is switched to between batches
// (--reload, SIGHUP); --accuracy and unseen CSV categories are said once the input is done.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mlpipe/core/stage.h"
#include "mlpipe/model/classify_settings.h"
#include "mlpipe/model/model_watch.h"

namespace mlpipe {

// The stage for `settings`, its models loaded: `watches` follow settings.models, in order;
// `spec_text` is the file --spec names, as read ("" without --spec). Throws Error when a
// model does not fit the options (a spec of its own, no probability estimates, no columns for
// CSV), and Error::usage when a threshold cannot be (a --min on a multi-class model, --keep
// with no model that has a threshold).
std::unique_ptr<Stage> make_classify_stage(ClassifySettings settings, const std::string& spec_text,
                                           std::vector<ModelWatch> watches);

}  // namespace mlpipe
