// Where a compressed file may be cut without decompressing it: the offsets at which its
// independently decompressible parts start. mlmr spreads a compressed input over ranks at
// these offsets only.
//
// - BGZF (gzip members whose "BC" extra field gives the member's size, as bgzip writes
//   them): every member. A plain gzip file's members carry no size and are not looked for.
// - zstd: every frame, found by walking frame and block headers (RFC 8878).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mlpipe/core/decompress.h"

namespace mlpipe {

// The format of the file `fd` from its first bytes.
Compression compression_of_file(int fd);

// The offsets after 0 where a member or frame of the file `fd` (of `size` bytes, compressed
// in `format`) starts, in increasing order; empty when the file is one unit. The walk stops
// at anything it cannot read as a header: the rest of the file is then one unit, and the
// reader reports what is wrong with it.
std::vector<std::uint64_t> frame_starts(int fd, std::uint64_t size, Compression format);

}  // namespace mlpipe
