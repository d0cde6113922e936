#include "mlpipe/mpi/partition.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "mlpipe/core/error.h"

namespace mlpipe::mr {

std::vector<InputFile> stat_inputs(const std::vector<std::string>& paths) {
  std::vector<InputFile> files;
  for (const std::string& p : paths) {
    if (p == "-") throw Error::usage("mlmr reads input files, not standard input (give FILE… after the pipeline)");
    struct stat st;
    if (::stat(p.c_str(), &st) != 0) throw Error(p, 0, fmt::format("cannot open: {}", std::strerror(errno)));
    if (!S_ISREG(st.st_mode)) throw Error(p, 0, "not a regular file (mlmr splits files by size)");
    files.push_back({p, std::uint64_t(st.st_size), std::int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec});
  }
  return files;
}

std::uint64_t auto_partition_bytes(std::uint64_t total_bytes, int ranks) {
  const std::uint64_t lo = std::uint64_t(1) << 20, hi = std::uint64_t(256) << 20;
  return std::clamp<std::uint64_t>(total_bytes / (std::uint64_t(std::max(1, ranks)) * 4), lo, hi);
}

std::vector<Partition> plan_partitions(const std::vector<InputFile>& files, bool whole_files, std::uint64_t target) {
  target = std::max<std::uint64_t>(target, 1);
  std::vector<Partition> parts;
  Partition cur;
  auto close = [&] {
    if (!cur.pieces.empty()) parts.push_back(std::move(cur));
    cur = Partition{};
  };
  for (std::uint32_t f = 0; f < files.size(); ++f) {
    const std::uint64_t size = files[f].size;
    if (whole_files || size == 0) {
      cur.pieces.push_back({f, 0, size});
      cur.bytes += size;
      if (cur.bytes >= target) close();
      continue;
    }
    for (std::uint64_t at = 0; at < size;) {
      std::uint64_t take = std::min(size - at, target - cur.bytes);
      cur.pieces.push_back({f, at, at + take});
      cur.bytes += take;
      at += take;
      if (cur.bytes >= target) close();
    }
  }
  close();
  return parts;
}

std::vector<int> assign_owners(const std::vector<Partition>& parts, int ranks) {
  std::uint64_t total = 0;
  for (const Partition& p : parts) total += p.bytes;
  std::vector<int> owner(parts.size(), 0);
  std::uint64_t before = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    // The rank whose share of the bytes holds this partition's middle.
    long double mid = total ? (before + parts[i].bytes / 2.0L) / total : (i + 0.5L) / parts.size();
    owner[i] = std::min(ranks - 1, int(mid * ranks));
    if (i > 0) owner[i] = std::max(owner[i], owner[i - 1]);
    before += parts[i].bytes;
  }
  return owner;
}

namespace {

std::size_t pread_some(int fd, const std::string& name, char* dst, std::size_t n, std::uint64_t at) {
  while (true) {
    ssize_t got = ::pread(fd, dst, n, off_t(at));
    if (got >= 0) return std::size_t(got);
    if (errno == EINTR) continue;
    throw Error(name, 0, fmt::format("read failed: {}", std::strerror(errno)));
  }
}

}  // namespace

RangeReader::RangeReader(const std::string& path, const std::string* display, std::uint64_t begin, std::uint64_t end,
                         InputLimits limits)
    : path_(path), display_(display), begin_(begin), end_(end), pos_(begin), read_at_(begin), limits_(limits) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw Error(*display_, 0, fmt::format("cannot open: {}", std::strerror(errno)));
  if (begin_ > 0) {
    // The range owns the lines starting in it: unless the byte before it ends a line, the
    // first line belongs to the range before. Skip to the next line start.
    char before = 0;
    if (pread_some(fd_, *display_, &before, 1, begin_ - 1) == 1 && before != '\n') {
      while (true) {
        if (pending_pos_ == pending_.size() && !fill()) {
          done_ = true;
          break;
        }
        const char* b = pending_.data() + pending_pos_;
        std::size_t avail = pending_.size() - pending_pos_;
        const char* nl = static_cast<const char*>(std::memchr(b, '\n', avail));
        std::size_t skip = nl ? std::size_t(nl - b) + 1 : avail;
        pending_pos_ += skip;
        pos_ += skip;
        if (nl) break;
      }
      begin_ = pos_;
    }
  }
}

RangeReader::~RangeReader() {
  if (fd_ >= 0) ::close(fd_);
}

bool RangeReader::fill() {
  if (eof_) return false;
  if (pending_pos_ > 0) {
    pending_.erase(0, pending_pos_);
    pending_pos_ = 0;
  }
  std::size_t chunk = limits_.batch_bytes;
  std::size_t old = pending_.size();
  pending_.resize(old + chunk);
  std::size_t got = pread_some(fd_, *display_, pending_.data() + old, chunk, read_at_);
  pending_.resize(old + got);
  read_at_ += got;
  if (got == 0) eof_ = true;
  return got > 0;
}

bool RangeReader::next(Batch& batch) {
  batch.clear();
  struct Span {
    std::size_t off, len;
    std::uint64_t line;
    bool too_long;
  };
  std::vector<Span> spans;
  auto consume = [&](std::size_t n) {
    pending_pos_ += n;
    pos_ += n;
  };
  while (!done_ && spans.size() < limits_.batch_records && batch.buffer.size() < limits_.batch_bytes) {
    std::size_t avail = pending_.size() - pending_pos_;
    const char* begin = pending_.data() + pending_pos_;
    const char* nl = static_cast<const char*>(std::memchr(begin, '\n', avail));
    if (skipping_long_) {
      if (!nl) {
        consume(avail);
        if (!fill()) done_ = true;
        continue;
      }
      consume(std::size_t(nl - begin) + 1);
      skipping_long_ = false;
      continue;
    }
    if (pos_ >= end_) {
      done_ = true;
      break;
    }
    if (!nl) {
      if (avail > limits_.max_record_bytes) {
        spans.push_back({batch.buffer.size(), 0, ++line_, true});
        consume(avail);
        skipping_long_ = true;
        continue;
      }
      if (!eof_) {
        fill();
        continue;
      }
      if (avail == 0) {
        done_ = true;
        break;
      }
      nl = begin + avail;
    }
    std::size_t len = std::size_t(nl - begin);
    ++line_;
    if (len > limits_.max_record_bytes) {
      spans.push_back({batch.buffer.size(), 0, line_, true});
    } else {
      std::size_t content = len;
      if (content > 0 && begin[content - 1] == '\r') --content;
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

std::uint64_t RangeReader::line_base() {
  std::uint64_t lines = 0;
  std::string buf(std::size_t(1) << 20, '\0');
  for (std::uint64_t at = 0; at < begin_;) {
    std::size_t want = std::size_t(std::min<std::uint64_t>(buf.size(), begin_ - at));
    std::size_t got = pread_some(fd_, *display_, buf.data(), want, at);
    if (got == 0) break;
    lines += std::uint64_t(std::count(buf.data(), buf.data() + got, '\n'));
    at += got;
  }
  return lines;
}

}  // namespace mlpipe::mr
