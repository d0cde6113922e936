#include "mlpipe/core/frame_scan.h"

#include <unistd.h>

#include <cerrno>
#include <string_view>

#include "mlpipe/core/read_at.h"

namespace mlpipe {

namespace {

std::uint32_t le16(const unsigned char* p) { return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8; }
std::uint32_t le24(const unsigned char* p) { return le16(p) | std::uint32_t(p[2]) << 16; }
std::uint32_t le32(const unsigned char* p) { return le24(p) | std::uint32_t(p[3]) << 24; }

// The size of the BGZF member at `at`, or 0 when there is none there.
std::uint64_t bgzf_member_size(int fd, std::uint64_t at) {
  // ID1 ID2 CM FLG MTIME(4) XFL OS XLEN(2), then XLEN bytes of subfields.
  unsigned char h[12];
  if (!read_exactly_at(fd, at, h, sizeof h)) return 0;
  if (h[0] != 0x1f || h[1] != 0x8b || h[2] != 8 || !(h[3] & 4)) return 0;
  const std::uint32_t xlen = le16(h + 10);
  std::vector<unsigned char> bytes(xlen);
  const unsigned char* extra = bytes.data();
  if (!read_exactly_at(fd, at + 12, bytes.data(), xlen)) return 0;
  for (std::uint32_t i = 0; i + 4 <= xlen;) {
    const std::uint32_t len = le16(extra + i + 2);
    if (extra[i] == 'B' && extra[i + 1] == 'C' && len == 2 && i + 6 <= xlen)
      return std::uint64_t(le16(extra + i + 4)) + 1;
    i += 4 + len;
  }
  return 0;
}

// The size of the zstd frame (or skippable frame) at `at`, or 0 when there is none there.
std::uint64_t zstd_frame_size(int fd, std::uint64_t at, std::uint64_t size) {
  unsigned char h[8];
  if (!read_exactly_at(fd, at, h, 5)) return 0;
  const std::uint32_t magic = le32(h);
  if ((magic & 0xfffffff0u) == 0x184d2a50u) {  // skippable: magic, 4-byte size, data
    if (!read_exactly_at(fd, at, h, 8)) return 0;
    return 8 + std::uint64_t(le32(h + 4));
  }
  if (magic != 0xfd2fb528u) return 0;
  const unsigned fhd = h[4];
  if (fhd & 0x08) return 0;  // a reserved bit
  const bool single_segment = fhd & 0x20, checksum = fhd & 0x04;
  static const unsigned dict_bytes[] = {0, 1, 2, 4};
  static const unsigned content_size_bytes[] = {0, 2, 4, 8};
  unsigned content_size = content_size_bytes[fhd >> 6];
  if ((fhd >> 6) == 0 && single_segment) content_size = 1;
  std::uint64_t p = at + 5 + (single_segment ? 0 : 1) + dict_bytes[fhd & 3] + content_size;
  while (true) {
    unsigned char b[3];
    if (!read_exactly_at(fd, p, b, 3)) return 0;
    const std::uint32_t block = le24(b);
    const unsigned type = (block >> 1) & 3;
    if (type == 3) return 0;                // reserved
    p += 3 + (type == 1 ? 1 : block >> 3);  // an RLE block holds one byte
    if (p > size) return 0;
    if (block & 1) break;  // the frame's last block
  }
  if (checksum) p += 4;
  return p <= size ? p - at : 0;
}

}  // namespace

Compression compression_of_file(int fd) {
  unsigned char head[4];
  ssize_t got = ::pread(fd, head, sizeof head, 0);
  return compression_of(std::string_view(reinterpret_cast<const char*>(head), got > 0 ? std::size_t(got) : 0));
}

std::vector<std::uint64_t> frame_starts(int fd, std::uint64_t size, Compression format) {
  std::vector<std::uint64_t> starts;
  if (format == Compression::none) return starts;
  for (std::uint64_t at = 0; at < size;) {
    const std::uint64_t n = format == Compression::gzip ? bgzf_member_size(fd, at) : zstd_frame_size(fd, at, size);
    if (n == 0 || n > size - at) break;
    at += n;
    if (at < size) starts.push_back(at);
  }
  return starts;
}

}  // namespace mlpipe
