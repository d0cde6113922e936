// mltrain --info: a model and its sidecar described for a person.
#pragma once

#include <string>

#include "mlpipe/core/file_source.h"

namespace mlpipe {

// Loads MODEL from `files` (throws Error on a bad file) and describes it, one "key: value"
// per line.
std::string describe_model(const std::string& path, const FileSource& files);

}  // namespace mlpipe
