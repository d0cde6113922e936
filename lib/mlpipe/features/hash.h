// The hash functions behind feature indices. They are part of the feature contract:
// a hashed index, or a fitted vocabulary's lookup, depends on these exact bits, so they
// must never change without bumping the spec version (spec.h). Little-endian reads on
// every platform, so that a model trained on one machine applies on another.
#pragma once

#include <cstdint>
#include <string_view>

#include "mlpipe/core/hash_mix.h"

namespace mlpipe::features {

// Seeds separate the kinds of features: a word and a character n-gram with the same
// bytes get unrelated hashes.
inline constexpr std::uint64_t kTokenSeed = 0x6d6c666561742d74ULL;  // a token (stem) as bytes
inline constexpr std::uint64_t kNgramSeed = 0x6d6c666561742d6eULL;  // start of a word n-gram chain
inline constexpr std::uint64_t kCharSeed = 0x6d6c666561742d63ULL;   // a character n-gram
inline constexpr std::uint64_t kKeySeed = 0x6d6c666561742d6bULL;    // stem-cache keys (not a feature)

// The byte-string hash lives in core (core/hash_mix.h), which other modules use too.
using mlpipe::hash_bytes;

// Extends a word n-gram hash by one token hash; order matters, and an n-gram's hash
// differs from every (n+1)-gram's because each step is a fresh mix.
inline std::uint64_t combine(std::uint64_t chain, std::uint64_t token) {
  return fmix64(chain ^ (token + 0x9e3779b97f4a7c15ULL + (chain << 6) + (chain >> 2)));
}

}  // namespace mlpipe::features
