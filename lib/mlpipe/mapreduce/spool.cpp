#include "mlpipe/mapreduce/spool.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/output.h"
#include "mlpipe/core/read_at.h"
#include "mlpipe/core/record.h"
#include "mlpipe/mapreduce/raw_bytes.h"

namespace mlpipe::mapreduce {

Spool::Spool(const std::string& dir) {
  std::string name = dir + "/mlmr-spool.XXXXXX";
  fd_ = ::mkstemp(name.data());
  if (fd_ < 0) throw Error(dir, 0, fmt::format("cannot create a scratch file: {} (set --tmpdir)", std::strerror(errno)));
  ::unlink(name.c_str());
}

Spool::~Spool() {
  if (map_) ::munmap(map_, map_len_);
  if (fd_ >= 0) ::close(fd_);
}

void Spool::write(std::string_view bytes) {
  if (map_) throw Error("internal: write to a mapped spool");
  write_all(fd_, bytes, "scratch file");
  size_ += bytes.size();
}

std::string Spool::path() const { return fmt::format("/proc/self/fd/{}", fd_); }

std::string_view Spool::map() {
  if (!map_) {
    write(std::string(kJsonPadding, ' '));
    size_ -= kJsonPadding;
    map_len_ = std::size_t(size_) + kJsonPadding;
    map_ = ::mmap(nullptr, map_len_, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (map_ == MAP_FAILED) {
      map_ = nullptr;
      throw Error(fmt::format("cannot map a scratch file of {} bytes: {}", map_len_, std::strerror(errno)));
    }
  }
  return {static_cast<const char*>(map_), std::size_t(size_)};
}

void Spool::read(std::uint64_t at, std::size_t n, std::string& out) const {
  out.resize(n);
  if (!read_exactly_at(fd_, at, out.data(), n))
    throw Error(fmt::format("cannot read a scratch file: {}", errno ? std::strerror(errno) : "short"));
}

void Spool::clear() {
  if (map_) throw Error("internal: clear of a mapped spool");
  if (::ftruncate(fd_, 0) != 0) throw Error(fmt::format("cannot truncate a scratch file: {}", std::strerror(errno)));
  if (::lseek(fd_, 0, SEEK_SET) < 0) throw Error(fmt::format("cannot rewind a scratch file: {}", std::strerror(errno)));
  size_ = 0;
}

void put_entry(std::string& buf, const Tag& tag, std::string_view key, std::string_view data) {
  put_raw(buf, tag.part);
  put_raw(buf, tag.index);
  put_raw(buf, std::uint32_t(key.size()));
  buf.append(key);
  put_raw(buf, std::uint64_t(data.size()));
  buf.append(data);
}

bool get_entry(std::string_view buf, std::size_t& pos, EntryView& e) {
  if (pos >= buf.size()) return false;
  e.tag.part = get_raw<std::uint64_t>(buf, pos);
  e.tag.index = get_raw<std::uint64_t>(buf, pos);
  std::uint32_t klen = get_raw<std::uint32_t>(buf, pos);
  e.key = buf.substr(pos, klen);
  pos += klen;
  std::uint64_t dlen = get_raw<std::uint64_t>(buf, pos);
  e.data = buf.substr(pos, std::size_t(dlen));
  pos += std::size_t(dlen);
  return true;
}

std::uint64_t stable_hash(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace mlpipe::mapreduce
