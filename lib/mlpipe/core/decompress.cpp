#include "mlpipe/core/decompress.h"

#include <fmt/format.h>
#include <zlib.h>
#include <zstd.h>

#include <climits>
#include <cstring>

#include "mlpipe/core/error.h"

namespace mlpipe {

namespace {
constexpr unsigned char kGzipMagic[] = {0x1f, 0x8b};
constexpr unsigned char kZstdMagic[] = {0x28, 0xb5, 0x2f, 0xfd};

bool starts_with(std::string_view head, const unsigned char* magic, std::size_t n) {
  return head.size() >= n && std::memcmp(head.data(), magic, n) == 0;
}
bool is_prefix_of(std::string_view head, const unsigned char* magic, std::size_t n) {
  return head.size() < n && std::memcmp(head.data(), magic, head.size()) == 0;
}
// zstd's skippable frames (metadata a decoder passes over): magic 0x184D2A50..5F.
bool skippable_frame(std::string_view in) {
  return in.size() >= 4 && (static_cast<unsigned char>(in[0]) & 0xf0) == 0x50 && in.substr(1, 3) == "\x2a\x4d\x18";
}
}  // namespace

Compression compression_of(std::string_view head) {
  if (starts_with(head, kGzipMagic, sizeof kGzipMagic)) return Compression::gzip;
  if (starts_with(head, kZstdMagic, sizeof kZstdMagic)) return Compression::zstd;
  return Compression::none;
}

bool could_start_magic(std::string_view head) {
  return is_prefix_of(head, kGzipMagic, sizeof kGzipMagic) || is_prefix_of(head, kZstdMagic, sizeof kZstdMagic);
}

const char* compression_name(Compression format) {
  switch (format) {
    case Compression::gzip:
      return "gzip";
    case Compression::zstd:
      return "zstd";
    case Compression::none:
      break;
  }
  return "plain";
}

struct Decompressor::Codec {
  z_stream z{};
  bool z_ready = false;
  ZSTD_DCtx* zstd = nullptr;
  ~Codec() {
    if (z_ready) inflateEnd(&z);
    if (zstd) ZSTD_freeDCtx(zstd);
  }
};

Decompressor::Decompressor(Compression format) : format_(format), codec_(std::make_unique<Codec>()) {
  if (format == Compression::gzip) {
    // 16 + 15: a gzip wrapper (not zlib's), the largest window.
    if (inflateInit2(&codec_->z, 16 + 15) != Z_OK) throw Error("cannot start gzip decompression (out of memory)");
    codec_->z_ready = true;
  } else if (format == Compression::zstd) {
    codec_->zstd = ZSTD_createDCtx();
    if (!codec_->zstd) throw Error("cannot start zstd decompression (out of memory)");
  } else {
    throw Error("internal: a decompressor for plain input");
  }
}

Decompressor::~Decompressor() = default;

Decompressor::Step Decompressor::step(std::string_view in, char* out, std::size_t out_size) {
  Step s;
  // Between members only another member may follow (zcat's "trailing garbage").
  if (!in_frame_ && !in.empty() && compression_of(in) != format_ && !could_start_magic(in) &&
      !(format_ == Compression::zstd && skippable_frame(in))) {
    if (!started_) throw Error(fmt::format("not the start of {} data", compression_name(format_)));
    throw Error(fmt::format("bytes after the end of the {} data that are not {} data", compression_name(format_),
                            compression_name(format_)));
  }
  started_ = true;
  if (format_ == Compression::gzip) {
    z_stream& z = codec_->z;
    // zlib counts in unsigned int: feed at most that much per call.
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = uInt(std::min<std::size_t>(in.size(), UINT_MAX));
    z.next_out = reinterpret_cast<Bytef*>(out);
    z.avail_out = uInt(std::min<std::size_t>(out_size, UINT_MAX));
    const uInt had_in = z.avail_in, had_out = z.avail_out;
    int rc = inflate(&z, Z_NO_FLUSH);
    s.consumed = had_in - z.avail_in;
    s.produced = had_out - z.avail_out;
    if (s.consumed > 0) in_frame_ = true;
    if (rc == Z_STREAM_END) {
      s.frame_end = true;
      in_frame_ = false;
      inflateReset(&z);
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      // Z_BUF_ERROR only says no progress was possible with this much input or room.
      throw Error(fmt::format("corrupt gzip data: {}", z.msg ? z.msg : "inflate failed"));
    }
    return s;
  }
  ZSTD_inBuffer zin{in.data(), in.size(), 0};
  ZSTD_outBuffer zout{out, out_size, 0};
  std::size_t rc = ZSTD_decompressStream(codec_->zstd, &zout, &zin);
  if (ZSTD_isError(rc)) throw Error(fmt::format("corrupt zstd data: {}", ZSTD_getErrorName(rc)));
  s.consumed = zin.pos;
  s.produced = zout.pos;
  if (s.consumed > 0) in_frame_ = true;
  // 0: a frame is decoded and flushed; zstd stops there before starting the next one.
  if (rc == 0 && in_frame_) {
    s.frame_end = true;
    in_frame_ = false;
  }
  return s;
}

}  // namespace mlpipe
