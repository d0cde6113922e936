// An input's text, read from a file descriptor: as it is, or decompressed when its content
// starts with the magic bytes of gzip or zstd (whatever the file is called, standard input
// too). The readers of core/input.h read through it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "mlpipe/core/decompress.h"

namespace mlpipe {

class ByteSource {
 public:
  // Reads `fd` with read(2) from where it stands (a pipe, standard input). `display` names
  // the input in messages and must outlive the source.
  ByteSource(int fd, const std::string* display, bool owns_fd);
  // Reads `fd` with pread(2) from file offset `at`, a frame start when the file is
  // compressed in `format` (the format of the whole file, from its first bytes).
  ByteSource(int fd, const std::string* display, bool owns_fd, std::uint64_t at, Compression format);
  ~ByteSource();
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  // Reads up to `n` bytes of text; 0 at the end. Throws Error naming the input when it
  // cannot be read, or when compressed data is corrupt or cut short.
  std::size_t read(char* dst, std::size_t n);

  // The format, from the first bytes (read now if not yet).
  Compression format();
  bool compressed() { return format() != Compression::none; }

  // Compressed input only: the text ends where a frame ends at file offset `offset`.
  void stop_at(std::uint64_t offset) { stop_ = offset; }
  // Compressed input only: note how much text came before the frame end at file offset
  // `offset` (marked_text() then says). A frame running past it is an Error: `offset` is not
  // a frame boundary.
  void mark_at(std::uint64_t offset) { mark_ = offset; }
  std::optional<std::uint64_t> marked_text() const { return marked_text_; }

  int fd() const { return fd_; }

  // Whether a read would return without waiting.
  bool ready();

 private:
  struct Ahead;
  std::size_t read_raw(char* dst, std::size_t n);
  bool refill();
  std::size_t decode(char* dst, std::size_t n);
  void start_ahead();
  std::size_t take_ahead(char* dst, std::size_t n);
  void stop_ahead();

  int fd_;
  const std::string* display_;
  bool owns_fd_;
  bool positional_ = false;
  std::uint64_t at_ = 0;  // file offset of the next byte read from fd_
  std::optional<Compression> format_;
  std::optional<Decompressor> decoder_;
  std::string in_;  // bytes read from fd_ and not yet used
  std::size_t in_pos_ = 0;
  bool in_eof_ = false;
  bool out_full_ = false;       // the last step filled its output: the decoder may hold more
  std::uint64_t consumed_ = 0;  // file offset of in_[in_pos_]
  std::uint64_t text_ = 0;      // text bytes returned
  std::uint64_t stop_ = UINT64_MAX, mark_ = UINT64_MAX;
  std::optional<std::uint64_t> decoded_mark_;  // as the decoder found it
  std::optional<std::uint64_t> marked_text_;   // as the reader may see it
  bool stopped_ = false;
  // Compressed regular files are decompressed a block ahead by a thread of their own.
  bool read_ahead_decided_ = false, read_ahead_ = false;
  std::unique_ptr<Ahead> ahead_;
  std::string block_;  // the block being handed out
  std::size_t block_pos_ = 0;
};

}  // namespace mlpipe
