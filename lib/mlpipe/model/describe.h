// mltrain --info: a model and its sidecar described for a person.
#pragma once

#include <string>

#include "mlpipe/core/file_source.h"

namespace mlpipe {

// Loads MODEL from `files` (throws Error on a bad file) and describes it for a person: one
// "key: value" per line, values aligned (a value of several lines continues under itself):
// the model file, then what its sidecar keeps (parameters, training rows, label, columns or
// spec, scaling, calibration, threshold, cross-validation figures).
std::string describe_model(const std::string& path, const FileSource& files);

// mltrain --info --json: the sidecar of MODEL as it is stored (one JSON line), once MODEL
// and it have loaded; Error when MODEL has none.
std::string describe_sidecar_json(const std::string& path, const FileSource& files);

}  // namespace mlpipe
