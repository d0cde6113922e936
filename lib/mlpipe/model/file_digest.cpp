#include "mlpipe/model/file_digest.h"

#include <bit>
#include <cstring>

#include <fmt/format.h>

namespace mlpipe {

namespace {

std::uint64_t load_le64(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

// One 8-byte block into the state, in the manner of MurmurHash3's x64 body (one lane).
std::uint64_t mix_block(std::uint64_t h, std::uint64_t block) {
  block *= 0x87c37b91114253d5ULL;
  block = std::rotl(block, 31);
  block *= 0x4cf5ad432745937fULL;
  h ^= block;
  return std::rotl(h, 27) * 5 + 0x52dce729;
}

std::uint64_t finish(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

// Four independent lanes over 32-byte stripes, so the multiplications overlap: a model
// file is hashed at every load, and a 2 MB one should cost well under a millisecond.
std::uint64_t checksum64(std::string_view s) {
  const char* p = s.data();
  const std::size_t n = s.size();
  std::uint64_t lane[4] = {0x6d6c7069706531ULL, 0x6d6f64656c2d32ULL, 0x6469676573742dULL, 0x73697a652d3464ULL};
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32)
    for (int k = 0; k < 4; ++k) lane[k] = mix_block(lane[k], load_le64(p + i + 8 * std::size_t(k)));
  std::uint64_t h = std::uint64_t(n) * 0x9e3779b97f4a7c15ULL;
  for (int k = 0; k < 4; ++k) h = mix_block(h, finish(lane[k]));
  for (; i + 8 <= n; i += 8) h = mix_block(h, load_le64(p + i));
  std::uint64_t tail = 0;
  for (std::size_t j = 0; i + j < n; ++j) tail |= std::uint64_t(static_cast<unsigned char>(p[i + j])) << (8 * j);
  h = mix_block(h, tail);
  return finish(h);
}

}  // namespace

FileDigest file_digest(std::string_view contents) {
  return FileDigest{contents.size(), fmt::format("{:016x}", checksum64(contents))};
}

}  // namespace mlpipe
