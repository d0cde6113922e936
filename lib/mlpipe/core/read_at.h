// Positional reads of whole ranges.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mlpipe {

// Reads exactly `n` bytes of `fd` at offset `at` into `dst` (retrying short reads and
// EINTR); false when the file ends first or cannot be read (errno says which: 0 at the end).
bool read_exactly_at(int fd, std::uint64_t at, void* dst, std::size_t n);

}  // namespace mlpipe
