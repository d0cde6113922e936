// Compressed test data made in memory: gzip (one member per call), BGZF and zstd frames.
#pragma once

#include <zlib.h>
#include <zstd.h>

#include <string>
#include <string_view>

namespace mlpipe::test {

// One gzip member (or, with `bgzf`, a BGZF block: the "BC" extra field holds its size).
inline std::string gzip_member(std::string_view text, bool bgzf = false) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);  // raw deflate: the wrapper is ours
  std::string data(deflateBound(&z, uLong(text.size())) + 16, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = uInt(text.size());
  z.next_out = reinterpret_cast<Bytef*>(data.data());
  z.avail_out = uInt(data.size());
  deflate(&z, Z_FINISH);
  data.resize(z.total_out);
  deflateEnd(&z);
  auto le = [](std::string& s, unsigned long v, int n) {
    for (int i = 0; i < n; ++i) s.push_back(char((v >> (8 * i)) & 0xff));
  };
  std::string m = "\x1f\x8b\x08";
  m.push_back(bgzf ? 4 : 0);
  le(m, 0, 4);
  m += std::string("\x00\xff", 2);  // XFL, OS (unknown)
  if (bgzf) {
    le(m, 6, 2);
    m += "BC";
    le(m, 2, 2);
    le(m, 12 + 6 + data.size() + 8 - 1, 2);
  }
  m += data;
  le(m, crc32(0, reinterpret_cast<const Bytef*>(text.data()), uInt(text.size())), 4);
  le(m, text.size(), 4);
  return m;
}

// `text` in BGZF blocks of `block` bytes of text each.
inline std::string bgzf(std::string_view text, std::size_t block) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += block) out += gzip_member(text.substr(i, block), true);
  return out;
}

inline std::string zstd_frame(std::string_view text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3));
  return out;
}

// `text` in zstd frames of `block` bytes of text each.
inline std::string zstd_frames(std::string_view text, std::size_t block) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += block) out += zstd_frame(text.substr(i, block));
  return out;
}

}  // namespace mlpipe::test
