#include "mlpipe/core/byte_source.h"

#include <fmt/format.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>

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
  stop_ahead();
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
  if (*format_ != Compression::none && !read_ahead_decided_) {
    read_ahead_decided_ = true;
    struct stat st;
    read_ahead_ = ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
  }
  return *format_;
}

bool ByteSource::ready() {
  if (ahead_ || in_pos_ < in_.size() || out_full_ || in_eof_) return true;  // (a file never waits long)
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
  if (!ahead_ && read_ahead_) start_ahead();
  if (ahead_) return take_ahead(dst, n);
  std::size_t got = decode(dst, n);
  marked_text_ = decoded_mark_;
  return got;
}

// Decompresses up to `n` bytes of text into `dst`; 0 at the end.
std::size_t ByteSource::decode(char* dst, std::size_t n) {
  while (!stopped_) {
    if (in_pos_ == in_.size() && !out_full_ && !refill()) {
      if (!decoder_->between_frames())
        throw Error(*display_, 0,
                    fmt::format("truncated {} input: it ends inside a compressed {} (after {} bytes of text)",
                                compression_name(*format_), *format_ == Compression::gzip ? "member" : "frame", text_));
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
    if (mark_ != UINT64_MAX && !decoded_mark_) {
      if (s.frame_end && consumed_ == mark_)
        decoded_mark_ = text_;
      else if (consumed_ > mark_)
        throw Error(*display_, 0, fmt::format("offset {} is not the start of a compressed frame", mark_));
    }
    if (s.frame_end && consumed_ >= stop_) stopped_ = true;
    if (s.produced > 0) return s.produced;
  }
  return 0;
}

// The read-ahead: a thread decompresses the next blocks of text while the caller works on the
// last one, as `zcat FILE | program` would in two processes. Only for regular files: a read
// there never waits on another process, so the thread always ends when asked to.
struct ByteSource::Ahead {
  struct Block {
    std::string text;
    std::optional<std::uint64_t> mark;  // the mark, if the decoder passed it by this block's end
  };
  std::mutex m;
  std::condition_variable changed;
  std::deque<Block> blocks;
  bool done = false, cancel = false;
  std::exception_ptr error;  // after the blocks before it
  std::thread thread;
};

namespace {
constexpr std::size_t kAheadBlock = std::size_t(1) << 20;
constexpr std::size_t kAheadBlocks = 2;
}  // namespace

void ByteSource::start_ahead() {
  ahead_ = std::make_unique<Ahead>();
  Ahead& a = *ahead_;
  a.thread = std::thread([this, &a] {
    while (true) {
      Ahead::Block b;
      b.text.resize(kAheadBlock);
      std::size_t used = 0;
      std::exception_ptr error;  // handed on after the text before it
      try {
        while (used < b.text.size()) {
          std::size_t got = decode(b.text.data() + used, b.text.size() - used);
          if (got == 0) break;
          used += got;
        }
      } catch (...) {
        error = std::current_exception();
      }
      b.text.resize(used);
      b.mark = decoded_mark_;
      std::unique_lock lock(a.m);
      a.changed.wait(lock, [&] { return a.cancel || a.blocks.size() < kAheadBlocks; });
      if (a.cancel) return;
      if (used > 0) a.blocks.push_back(std::move(b));
      if (error || used == 0) {
        a.error = error;
        a.done = true;
      }
      a.changed.notify_all();
      if (a.done) return;
    }
  });
}

std::size_t ByteSource::take_ahead(char* dst, std::size_t n) {
  Ahead& a = *ahead_;
  while (block_pos_ == block_.size()) {
    std::unique_lock lock(a.m);
    a.changed.wait(lock, [&] { return !a.blocks.empty() || a.done; });
    if (a.blocks.empty()) {
      if (a.error) std::rethrow_exception(std::exchange(a.error, nullptr));
      return 0;
    }
    block_ = std::move(a.blocks.front().text);
    if (a.blocks.front().mark) marked_text_ = a.blocks.front().mark;
    a.blocks.pop_front();
    block_pos_ = 0;
    a.changed.notify_all();
  }
  std::size_t take = std::min(n, block_.size() - block_pos_);
  std::memcpy(dst, block_.data() + block_pos_, take);
  block_pos_ += take;
  return take;
}

void ByteSource::stop_ahead() {
  if (!ahead_) return;
  {
    std::lock_guard lock(ahead_->m);
    ahead_->cancel = true;
    ahead_->changed.notify_all();
  }
  ahead_->thread.join();
  ahead_.reset();
}

}  // namespace mlpipe
