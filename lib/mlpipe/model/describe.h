// mltrain --info: a model and its sidecar described for a person.
#pragma once

#include <string>

namespace mlpipe {

// Loads MODEL (throws Error on a bad file) and describes it, one "key: value" per line.
std::string describe_model(const std::string& path);

}  // namespace mlpipe
