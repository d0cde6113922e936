// A row of libsvm's text format (training data, not a model): "LABEL index:value …",
// as mltrain --format libsvm reads it.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace mlpipe {

// Parses `line` into its label and features, replacing `index` and `value`; false when the
// line is only a comment (no row). '#' starts a comment; spaces, tabs and '\r' separate
// items; a label may be written "+1". Throws Error (unlocated: the caller knows the line) on
// an empty line, a label or value that is not a finite number, an index outside
// 1 … 2147483647 (libsvm's int), or indices not strictly increasing; quoted input is escaped.
bool parse_libsvm_row(std::string_view line, double& label, std::vector<std::uint32_t>& index,
                      std::vector<double>& value);

}  // namespace mlpipe
