#include "mlpipe/model/file_digest.h"

#include <fmt/format.h>

#include "mlpipe/core/hash_mix.h"

namespace mlpipe {

namespace {

// Four independent lanes over 32-byte stripes, so the multiplications overlap: a model
// file is hashed at every load, and a 2 MB one should cost well under a millisecond.
std::uint64_t checksum64(std::string_view s) {
  const char* p = s.data();
  const std::size_t n = s.size();
  std::uint64_t lane[4] = {0x6d6c7069706531ULL, 0x6d6f64656c2d32ULL, 0x6469676573742dULL, 0x73697a652d3464ULL};
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32)
    for (int k = 0; k < 4; ++k) lane[k] = murmur_block(lane[k], load_le64(p + i + 8 * std::size_t(k)));
  std::uint64_t h = std::uint64_t(n) * 0x9e3779b97f4a7c15ULL;
  for (int k = 0; k < 4; ++k) h = murmur_block(h, fmix64(lane[k]));
  for (; i + 8 <= n; i += 8) h = murmur_block(h, load_le64(p + i));
  std::uint64_t tail = 0;
  for (std::size_t j = 0; i + j < n; ++j) tail |= std::uint64_t(static_cast<unsigned char>(p[i + j])) << (8 * j);
  h = murmur_block(h, tail);
  return fmix64(h);
}

}  // namespace

FileDigest file_digest(std::string_view contents) {
  return FileDigest{contents.size(), fmt::format("{:016x}", checksum64(contents))};
}

}  // namespace mlpipe
