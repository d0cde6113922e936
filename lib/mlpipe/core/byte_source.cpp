#include "mlpipe/core/byte_source.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "mlpipe/core/error.h"

namespace mlpipe {

namespace {
constexpr std::size_t kCompressedChunk = std::size_t(256) << 10;
}

ByteSource::ByteSource(int fd, const std::string* display, bool owns_fd)
    : fd_(fd), display_(display), owns_fd_(owns_fd) {}

ByteSource::ByteSource(int fd, const std::string* display, bool owns_fd, std::uint64_t at, Compression format)
    : fd_(fd), display_(display), owns_fd_(owns_fd), positional_(true), at_(at), format_(format), consumed_(at) {
  if (format != Compression::none) decoder_.emplace(format);
}

ByteSource::~ByteSource() {
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
}

std::size_t ByteSource::read_raw(char* dst, std::size_t n) {
  while (true) {
    ssize_t got = positional_ ? ::pread(fd_, dst, n, off_t(at_)) : ::read(fd_, dst, n);
    if (got >= 0) {
      at_ += std::uint64_t(got);
      return std::size_t(got);
    }
    if (errno == EINTR) continue;
    throw Error(*display_, 0, fmt::format("read failed: {}", std::strerror(errno)));
  }
}

// Appends one read to in_. False at the end of the input.
bool ByteSource::refill() {
  if (in_eof_) return false;
  if (in_pos_ > 0) {
    in_.erase(0, in_pos_);
    in_pos_ = 0;
  }
  std::size_t want = kCompressedChunk;
  if (stop_ != UINT64_MAX) want = std::size_t(std::min<std::uint64_t>(want, stop_ > at_ ? stop_ - at_ : 0));
  std::size_t old = in_.size();
  in_.resize(old + want);
  std::size_t got = want ? read_raw(in_.data() + old, want) : 0;
  in_.resize(old + got);
  if (got == 0) in_eof_ = true;
  return got > 0;
}

Compression ByteSource::format() {
  if (!format_) {
    // Read until the first bytes decide; a pipe is not waited on once they cannot be a magic.
    while (could_start_magic(in_) && refill()) {
    }
    format_ = compression_of(in_);
    if (*format_ != Compression::none) decoder_.emplace(*format_);
  }
  return *format_;
}

bool ByteSource::ready() {
  if (in_pos_ < in_.size() || out_full_ || in_eof_) return true;
  pollfd p{fd_, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0;
}

std::size_t ByteSource::read(char* dst, std::size_t n) {
  if (n == 0) return 0;
  if (format() == Compression::none) {
    if (in_pos_ < in_.size()) {
      std::size_t take = std::min(n, in_.size() - in_pos_);
      std::memcpy(dst, in_.data() + in_pos_, take);
      in_pos_ += take;
      return take;
    }
    return in_eof_ ? 0 : read_raw(dst, n);
  }
  while (!stopped_) {
    if (in_pos_ == in_.size() && !out_full_ && !refill()) {
      if (!decoder_->between_frames())
        throw Error(*display_, 0,
                    fmt::format("truncated {} input: it ends inside a compressed {} (after {} bytes of text)",
                                compression_name(*format_), *format_ == Compression::gzip ? "member" : "frame",
                                text_));
      return 0;
    }
    Decompressor::Step s;
    try {
      s = decoder_->step(std::string_view(in_).substr(in_pos_), dst, n);
    } catch (Error& e) {
      throw Error(*display_, 0, fmt::format("{} (after {} bytes of text)", e.what(), text_));
    }
    in_pos_ += s.consumed;
    consumed_ += s.consumed;
    text_ += s.produced;
    out_full_ = s.produced == n;
    if (mark_ != UINT64_MAX && !marked_text_) {
      if (s.frame_end && consumed_ == mark_)
        marked_text_ = text_;
      else if (consumed_ > mark_)
        throw Error(*display_, 0, fmt::format("offset {} is not the start of a compressed frame", mark_));
    }
    if (s.frame_end && consumed_ >= stop_) stopped_ = true;
    if (s.produced > 0) return s.produced;
  }
  return 0;
}

}  // namespace mlpipe
