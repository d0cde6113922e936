// The indices a feature spec declares, read from its JSON text alone: mltrain keeps the spec
// it is given (--spec) as text, since the model module links neither mlfeat's spec parser
// nor mllink's, and sizes the model by it, so that a feature no training row had is still
// inside the model. The rules are those of the writers (features/groups.h's
// feature_dimension, pairs/pair_features.h's layout); tests/unit/pairs/spec_dimension.cpp
// checks them against both.
#pragma once

#include <cstdint>
#include <string_view>

namespace mlpipe {

// The whole vector of an mlfeat spec with groups or long documents (its "dimension"), else
// its word block (hashing: 2^hash_bits; fitted: the terms), or the whole layout of mllink's
// pair spec ("layout.pair"'s end). 0 for no spec, or one that says none of these.
std::uint64_t spec_dimension(std::string_view spec_json);

}  // namespace mlpipe
