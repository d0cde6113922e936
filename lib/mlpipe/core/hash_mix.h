// The mixing steps of MurmurHash3's x64 body and finaliser, and the byte-string hash built
// on them, shared by the feature hashes (features/hash.h, part of the feature contract: these
// bits never change), the feature spec digest (core/spec_digest) and the model file checksum
// (model/file_digest). Little-endian reads on every platform.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

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

// A fast 64-bit hash of a byte string: 8-byte blocks mixed into one lane in the manner
// of MurmurHash3's x64 body, the tail folded in little-endian order, then fmix64.
inline std::uint64_t hash_bytes(const char* p, std::size_t n, std::uint64_t seed) {
  std::uint64_t h = seed ^ (std::uint64_t(n) * 0x9e3779b97f4a7c15ULL);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) h = murmur_block(h, load_le64(p + i));
  if (i < n) {
    std::uint64_t k = 0;
    for (std::size_t j = n; j > i; --j) k = (k << 8) | static_cast<unsigned char>(p[j - 1]);
    h ^= murmur_scramble(k);
  }
  return fmix64(h);
}

inline std::uint64_t hash_bytes(std::string_view s, std::uint64_t seed) { return hash_bytes(s.data(), s.size(), seed); }

}  // namespace mlpipe
