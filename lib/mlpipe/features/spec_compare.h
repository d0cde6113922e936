// A feature spec field by field, as a person reads it, and the first field in which two specs
// make different features (what a message says when a vocabulary was fitted another way).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "mlpipe/features/spec.h"

namespace mlpipe {

// Empty when `actual` makes the same features as `expected` (the vocabulary compared by
// digest, not path); otherwise the first difference, e.g.
// "stem: english (expected) vs none (given)".
std::string spec_mismatch(const FeatureSpec& expected, const FeatureSpec& actual);

// The spec as (name, value) pairs, in canonical order; the vocabulary file path left out.
std::vector<std::pair<std::string, std::string>> spec_fields(const FeatureSpec& spec);

}  // namespace mlpipe
