// What a sidecar records of its model file, so that a reader notices a model file that was
// truncated, replaced or edited after training: its size, and a 64-bit checksum of its bytes.
// The checksum is not cryptographic: it guards against accidents (a copy cut short, a model
// renamed over another, a sidecar left from an earlier training), not against an attacker.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mlpipe {

struct FileDigest {
  std::uint64_t bytes = 0;
  std::string checksum;  // 16 lowercase hex digits

  bool operator==(const FileDigest&) const = default;
};

// The digest of a file's contents. Fixed for ever: sidecars on disk hold its results.
FileDigest file_digest(std::string_view contents);

}  // namespace mlpipe
