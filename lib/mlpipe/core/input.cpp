#include "mlpipe/core/input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "mlpipe/core/byte_source.h"
#include "mlpipe/core/decompress.h"
#include "mlpipe/core/error.h"
#include "mlpipe/core/frame_scan.h"

namespace mlpipe {

std::string display_name(const std::string& name) { return name == "-" ? "<stdin>" : name; }

namespace {

int open_input(const std::string& name) {
  if (name == "-") return STDIN_FILENO;
  int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(name, 0, fmt::format("cannot open: {}", std::strerror(errno)));
  return fd;
}

// Reads up to `n` bytes; -1 never escapes (errors throw), 0 is end of input.
std::size_t read_some(int fd, const std::string& name, char* dst, std::size_t n) {
  while (true) {
    ssize_t got = ::read(fd, dst, n);
    if (got >= 0) return std::size_t(got);
    if (errno == EINTR) continue;
    throw Error(name, 0, fmt::format("read failed: {}", std::strerror(errno)));
  }
}

}  // namespace

LineReader::LineReader(std::string name, InputLimits limits) : own_display_(display_name(name)), limits_(limits) {
  fd_ = open_input(name);
  source_ = std::make_unique<ByteSource>(fd_, display_, fd_ != STDIN_FILENO);
}

LineReader::LineReader(const std::string& path, const std::string* display, ByteRange range, InputLimits limits)
    : display_(display), path_(path), limits_(limits), end_(range.end) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw Error(*display_, 0, fmt::format("cannot open: {}", std::strerror(errno)));
  // The file's first bytes say whether it is compressed; a range starts at a frame then.
  const Compression format = compression_of_file(fd_);
  source_ = std::make_unique<ByteSource>(fd_, display_, true, range.begin, format);
  if (format != Compression::none) {
    frames_ = true;
    range_begin_ = range.begin;
    end_ = UINT64_MAX;
    if (range.end != UINT64_MAX) source_->mark_at(range.end);
    if (range.begin > 0) skip_partial_line();
    return;
  }
  if (range.begin == 0) return;
  offset_ = begin_ = range.begin;
  // A line that starts before the range belongs to the range before: unless the byte
  // before `begin` ends a line, skip to the next line start.
  char before = 0;
  if (::pread(fd_, &before, 1, off_t(range.begin - 1)) == 1 && before == '\n') return;
  skip_partial_line();
}

// Drops the bytes up to the next line start: the end of a line that belongs to the range
// before. In a compressed range that is always done (the text before the frame is not at
// hand): a line that starts exactly at the range's first byte belongs to the range before,
// which reads on to its end.
void LineReader::skip_partial_line() {
  while (true) {
    const char* b = pending_.data() + pending_pos_;
    std::size_t avail = pending_.size() - pending_pos_;
    const char* nl = static_cast<const char*>(std::memchr(b, '\n', avail));
    consume(nl ? std::size_t(nl - b) + 1 : avail);
    if (nl) skipped_newline_ = true;
    if (nl || !fill()) break;
  }
  begin_ = offset_;
}

LineReader::~LineReader() = default;

// Whether the line starting at offset_ is this reader's (see ByteRange).
bool LineReader::owns_line_at_offset() const { return frames_ ? offset_ <= end_ : offset_ < end_; }

// Appends one read's worth of bytes to pending_. Returns false at end of input (or at an
// error of the input, which next() reports once the whole lines before it are out).
bool LineReader::fill() {
  if (eof_) return false;
  if (pending_pos_ > 0) {
    pending_.erase(0, pending_pos_);
    pending_pos_ = 0;
  }
  std::size_t chunk = limits_.batch_bytes;
  std::size_t old = pending_.size();
  pending_.resize(old + chunk);
  std::size_t got = 0;
  try {
    got = source_->read(pending_.data() + old, chunk);
  } catch (const Error& e) {
    failure_.emplace(e);
  }
  pending_.resize(old + got);
  if (frames_ && source_->marked_text()) end_ = *source_->marked_text();
  if (got == 0) eof_ = true;
  return got > 0;
}

std::uint64_t LineReader::line_base() {
  std::uint64_t lines = 0;
  std::string buf(std::size_t(1) << 20, '\0');
  if (frames_) {
    // The lines of the frames before the range, and the one it skipped.
    ByteSource text(fd_, display_, false, 0, compression_of_file(fd_));
    text.stop_at(range_begin_);
    try {
      for (std::size_t n; range_begin_ > 0 && (n = text.read(buf.data(), buf.size())) > 0;)
        lines += std::uint64_t(std::count(buf.data(), buf.data() + n, '\n'));
    } catch (const Error&) {
      // Only for a message: the error being reported is the one that matters.
    }
    return lines + (skipped_newline_ ? 1 : 0);
  }
  for (std::uint64_t at = 0; at < begin_;) {
    std::size_t want = std::size_t(std::min<std::uint64_t>(buf.size(), begin_ - at));
    ssize_t got = ::pread(fd_, buf.data(), want, off_t(at));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    lines += std::uint64_t(std::count(buf.data(), buf.data() + got, '\n'));
    at += std::uint64_t(got);
  }
  return lines;
}

bool LineReader::next(Batch& batch) {
  batch.clear();
  // Offsets into batch.buffer; Records get their views once the buffer stops growing.
  struct Span {
    std::size_t off, len;
    std::uint64_t line;
    bool too_long;
  };
  std::vector<Span> spans;

  while (spans.size() < limits_.batch_records && batch.buffer.size() < limits_.batch_bytes) {
    std::size_t avail = pending_.size() - pending_pos_;
    const char* begin = pending_.data() + pending_pos_;
    const char* nl = static_cast<const char*>(std::memchr(begin, '\n', avail));

    if (skipping_long_) {  // drop the rest of a too-long line as it arrives
      if (!nl) {
        consume(avail);
        if (!fill()) break;
        continue;
      }
      consume(std::size_t(nl - begin) + 1);
      skipping_long_ = false;
      continue;
    }
    if (!owns_line_at_offset()) break;  // the next line starts past this reader's range

    if (!nl) {
      if (avail > limits_.max_record_bytes) {
        // Too long to hold: report it as one record and never buffer the rest.
        spans.push_back({batch.buffer.size(), 0, ++line_, true});
        consume(avail);
        skipping_long_ = true;
        continue;
      }
      if (!eof_) {
        // With lines in hand, return them rather than wait on a quiet pipe.
        if (!spans.empty() && !source_->ready()) break;
        fill();
        continue;
      }
      if (avail == 0 || failure_) break;  // (a line cut short by a failing input is no record)
      nl = begin + avail;  // the last line has no newline
    }

    std::size_t len = std::size_t(nl - begin);
    ++line_;
    if (len > limits_.max_record_bytes) {
      spans.push_back({batch.buffer.size(), 0, line_, true});
    } else {
      std::size_t content = len;
      if (content > 0 && begin[content - 1] == '\r') --content;  // CRLF
      // Blank lines carry no record but still count as lines.
      bool blank = true;
      for (std::size_t i = 0; i < content && blank; ++i) blank = begin[i] == ' ' || begin[i] == '\t';
      if (!blank) {
        spans.push_back({batch.buffer.size(), content, line_, false});
        batch.buffer.append(begin, content);
        batch.buffer.push_back('\n');
      }
    }
    batch.bytes += len + 1;
    consume(std::min(len + 1, avail));
  }

  if (spans.empty() && failure_) {
    // The whole lines before it are out: now the input's error, at the line it reached.
    Error e = *failure_;
    failure_.reset();
    throw Error(e.file(), line_ + 1, e.what());
  }
  batch.buffer.reserve(batch.buffer.size() + kJsonPadding);
  const char* base = batch.buffer.data();
  const std::size_t cap = batch.buffer.capacity();
  batch.records.reserve(spans.size());
  for (const Span& s : spans) {
    Record r;
    r.data = std::string_view(base + s.off, s.len);
    r.readable = cap - s.off;
    r.source = display_;
    r.line = s.line;
    r.too_long = s.too_long;
    batch.records.push_back(r);
  }
  return !batch.records.empty();
}

TextReader::TextReader(std::vector<std::string> paths, std::vector<std::string> names, int threads,
                       TextPieces pieces)
    : paths_(std::move(paths)), names_(std::move(names)), pieces_(std::move(pieces)) {
  const std::size_t t = std::size_t(std::max(1, threads));
  group_bytes_ = t * (std::size_t(4) << 20);
  group_files_ = t * 16;
  pieces_.bytes = std::max<std::size_t>(pieces_.bytes, 1);
}

TextReader::~TextReader() { close_open(); }

void TextReader::close_open() { open_.reset(); }

namespace {

// Whether `path` is read in pieces: standard input and anything else of unknown size, or a
// regular file larger than a piece.
bool read_in_pieces(const std::string& path, std::size_t piece_bytes) {
  if (path == "-") return true;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return false;  // open_input says what is wrong
  return !S_ISREG(st.st_mode) || std::uint64_t(st.st_size) > piece_bytes;
}

std::unique_ptr<ByteSource> open_source(const std::string& path, const std::string* display) {
  int fd = open_input(path);
  return std::make_unique<ByteSource>(fd, display, fd != STDIN_FILENO);
}

// Reads the text of `source` to its end, or until it holds more than
// `limit` bytes.
std::string read_text(ByteSource& source, std::size_t limit = SIZE_MAX) {
  const int fd = source.fd();
  std::string text;
  std::size_t chunk = std::size_t(1) << 20;
  // A regular file is read in one go: every resize zero-fills `chunk` bytes, which for many
  // small documents cost more than splitting them.
  struct stat st;
  const bool sized = !source.compressed() && fd != STDIN_FILENO && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (sized) {
    chunk = std::size_t(st.st_size) + 1;
    text.reserve(chunk + (std::size_t(64) << 10));  // room for the read that sees the end
  }
  while (text.size() <= limit) {
    std::size_t old = text.size();
    text.resize(old + chunk);
    std::size_t got = source.read(text.data() + old, chunk);
    text.resize(old + got);
    if (got == 0) break;
    if (sized) chunk = std::size_t(64) << 10;  // the file grew while read: go on in small steps
  }
  return text;
}

}  // namespace

bool TextReader::next(Batch& batch) {
  batch.clear();
  texts_.clear();
  if (open_) return next_piece(batch);
  std::size_t first = next_;
  while (next_ < paths_.size() && texts_.size() < group_files_ && batch.bytes < group_bytes_) {
    if (pieces_.cut && read_in_pieces(paths_[next_], pieces_.bytes)) {
      if (!texts_.empty()) break;  // the group so far first; the long document in the next batches
      open_document(next_++);
      return next_piece(batch);
    }
    std::unique_ptr<ByteSource> source = open_source(paths_[next_], &names_[next_]);
    if (pieces_.cut && source->compressed()) {
      // Its size is known once read: a document longer than a piece goes on in pieces.
      std::string text = read_text(*source, pieces_.bytes);
      if (text.size() > pieces_.bytes) {
        open_document(next_++, std::move(source));
        pending_ = std::move(text);
        if (!texts_.empty()) break;
        return next_piece(batch);
      }
      text.reserve(text.size() + kJsonPadding);
      texts_.push_back(std::move(text));
    } else {
      texts_.push_back(read_text(*source));
      texts_.back().reserve(texts_.back().size() + kJsonPadding);
    }
    ++next_;
    batch.bytes += texts_.back().size();
  }
  for (std::size_t k = 0; k < texts_.size(); ++k) {
    Record r;
    r.data = texts_[k];
    r.readable = texts_[k].capacity();
    r.source = &names_[first + k];
    r.is_text = true;
    batch.records.push_back(r);
  }
  return !batch.records.empty();
}

// Starts reading document `index` in pieces, from `source` if it is already open.
void TextReader::open_document(std::size_t index, std::unique_ptr<ByteSource> source) {
  open_index_ = index;
  open_ = source ? std::move(source) : open_source(paths_[index], &names_[index]);
  open_eof_ = false;
  pending_.clear();
  next_offset_ = 0;
  piece_info_ = TextPiece{};
  piece_info_.last = false;
}

bool TextReader::next_piece(Batch& batch) {
  const std::string& display = names_[open_index_];
  // Read until a piece's worth is there and the stage can cut it, or to the end.
  std::size_t cut = 0;
  std::size_t want = pieces_.bytes;
  while (true) {
    while (!open_eof_ && pending_.size() < want) {
      const std::size_t old = pending_.size();
      const std::size_t step = std::max(want - old, std::size_t(64) << 10);
      pending_.resize(old + step);  // (a resize that only shrinks or refills keeps the capacity)
      std::size_t got;
      try {
        got = open_->read(pending_.data() + old, step);
      } catch (...) {
        close_open();
        throw;
      }
      pending_.resize(old + got);
      if (got == 0) open_eof_ = true;
    }
    if (open_eof_) {
      cut = pending_.size();
      break;
    }
    cut = pieces_.cut(pending_);
    if (cut > 0) break;
    want = pending_.size() * 2;  // no place to cut yet (one long paragraph): read on
  }
  // The piece keeps the buffer; what follows the cut moves to the other one.
  piece_.swap(pending_);
  pending_.assign(piece_, cut, std::string::npos);
  piece_.resize(cut);
  piece_.reserve(cut + kJsonPadding);

  piece_info_.offset = next_offset_;
  piece_info_.first = next_offset_ == 0;
  next_offset_ += cut;
  piece_info_.last = open_eof_ && pending_.empty();
  if (piece_info_.last) close_open();
  Record r;
  r.data = piece_;
  r.readable = piece_.capacity();
  r.source = &display;
  r.is_text = true;
  r.piece = &piece_info_;
  batch.records.push_back(r);
  batch.bytes = cut;
  return true;
}

std::string read_whole_file(const std::string& name) {
  std::string display = display_name(name);
  int fd = open_input(name);
  std::string text;
  std::size_t chunk = std::size_t(1) << 20;
  // A regular file is read in one go: every resize zero-fills `chunk` bytes, which for many
  // small documents cost more than splitting them.
  struct stat st;
  const bool sized = fd != STDIN_FILENO && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (sized) {
    chunk = std::size_t(st.st_size) + 1;
    text.reserve(chunk + (std::size_t(64) << 10));  // room for the read that sees the end
  }
  while (true) {
    std::size_t old = text.size();
    text.resize(old + chunk);
    std::size_t got;
    try {
      got = read_some(fd, display, text.data() + old, chunk);
    } catch (...) {
      if (fd != STDIN_FILENO) ::close(fd);
      throw;
    }
    text.resize(old + got);
    if (got == 0) break;
    if (sized) chunk = std::size_t(64) << 10;  // the file grew while read: go on in small steps
  }
  if (fd != STDIN_FILENO) ::close(fd);
  text.reserve(text.size() + kJsonPadding);
  return text;
}

}  // namespace mlpipe
