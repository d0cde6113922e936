// The mixing steps of MurmurHash3's x64 body and finaliser, shared by the feature hashes
// (features/hash.h, part of the feature contract: these bits never change) and the model
// file checksum (model/file_digest). Little-endian reads on every platform.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

namespace mlpipe {

inline std::uint64_t load_le64(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

// The 64-bit finaliser: every input bit affects every output bit.
inline std::uint64_t fmix64(std::uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

// An 8-byte block scrambled before it meets the state.
inline std::uint64_t murmur_scramble(std::uint64_t k) {
  return std::rotl(k * 0x87c37b91114253d5ULL, 31) * 0x4cf5ad432745937fULL;
}

// One 8-byte block into the state `h` (one lane of the body).
inline std::uint64_t murmur_block(std::uint64_t h, std::uint64_t k) {
  h ^= murmur_scramble(k);
  return std::rotl(h, 27) * 5 + 0x52dce729;
}

}  // namespace mlpipe
