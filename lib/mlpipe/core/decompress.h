// Streaming decompression of gzip and zstd input, recognised by content.
//
// A gzip file may hold several members and a zstd file several frames; like zcat and
// zstdcat, the decompressor reads them as one stream. It stops at the end of each member
// or frame so that a caller can tell where in the compressed bytes a frame ends (mlmr cuts
// compressed inputs there).
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

namespace mlpipe {

enum class Compression { none, gzip, zstd };

// The format whose magic bytes start `head` (gzip 1f 8b, zstd 28 b5 2f fd), or none.
Compression compression_of(std::string_view head);
// Whether `head` is too short to decide but could still be the start of a magic: a reader
// of a pipe reads on only then, so an uncompressed stream is never held back.
bool could_start_magic(std::string_view head);
// "gzip", "zstd" or "plain", for messages.
const char* compression_name(Compression format);

class Decompressor {
 public:
  explicit Decompressor(Compression format);  // gzip or zstd
  ~Decompressor();
  Decompressor(const Decompressor&) = delete;
  Decompressor& operator=(const Decompressor&) = delete;

  struct Step {
    std::size_t consumed = 0;  // bytes of `in` used
    std::size_t produced = 0;  // bytes written to `out`
    bool frame_end = false;    // a member (frame) ended with the last byte consumed
  };
  // Decompresses from `in` into `out` until the output is full, the input is used up or a
  // member (frame) ends. Throws Error (without a location) on data that is not a valid
  // stream of the format.
  Step step(std::string_view in, char* out, std::size_t out_size);

  // Whether the stream stands between members (frames): only there may the input end.
  bool between_frames() const { return !in_frame_; }
  Compression format() const { return format_; }

 private:
  struct Codec;
  Compression format_;
  std::unique_ptr<Codec> codec_;
  bool in_frame_ = false;
  bool started_ = false;
};

}  // namespace mlpipe
