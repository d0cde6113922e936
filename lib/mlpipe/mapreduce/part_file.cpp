#include "mlpipe/mapreduce/part_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/input.h"
#include "mlpipe/core/output.h"

namespace mlpipe::mapreduce {

namespace {
constexpr std::size_t kBuffer = std::size_t(4) << 20;

int open_or_throw(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(path, 0, fmt::format("cannot open for writing: {}", std::strerror(errno)));
  return fd;
}
}  // namespace

std::map<std::size_t, std::uint64_t> read_journal(const std::string& journal) {
  struct stat st;
  if (::stat(journal.c_str(), &st) != 0) return {};
  return parse_journal(read_whole_file(journal));
}

std::map<std::size_t, std::uint64_t> parse_journal(std::string_view text) {
  std::map<std::size_t, std::uint64_t> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) break;  // no newline: torn by a crash
    std::istringstream line(std::string(text.substr(start, nl - start)));
    std::size_t part;
    std::uint64_t end;
    if (line >> part >> end) parts[part] = end;
    start = nl + 1;
  }
  return parts;
}

PartFile::PartFile(std::string path, std::string journal, bool resume)
    : path_(std::move(path)), journal_(std::move(journal)) {
  if (resume) committed_ = read_journal(journal_);
  for (const auto& [part, end] : committed_) size_ = std::max(size_, end);
  fd_ = open_or_throw(path_, O_WRONLY | O_CREAT);
  struct stat st;
  if (::fstat(fd_, &st) == 0 && std::uint64_t(st.st_size) < size_)
    throw Error(path_, 0,
                fmt::format("is shorter ({} bytes) than its journal says ({}): run without --resume", st.st_size, size_));
  journal_fd_ = open_or_throw(journal_, O_WRONLY | O_CREAT | O_APPEND);
  // A torn last journal line (a crash while writing it) goes, so the next line starts clean.
  std::uint64_t journal_keep = 0;
  if (resume) {
    std::string text = read_whole_file(journal_);
    std::size_t nl = text.rfind('\n');
    journal_keep = nl == std::string::npos ? 0 : nl + 1;
  }
  if (::ftruncate(fd_, off_t(size_)) != 0 || ::ftruncate(journal_fd_, off_t(journal_keep)) != 0)
    throw Error(path_, 0, fmt::format("cannot truncate: {}", std::strerror(errno)));
  if (::lseek(fd_, off_t(size_), SEEK_SET) < 0)
    throw Error(path_, 0, fmt::format("cannot seek: {}", std::strerror(errno)));
}

PartFile::~PartFile() {
  if (fd_ >= 0) ::close(fd_);
  if (journal_fd_ >= 0) ::close(journal_fd_);
}

void PartFile::flush() {
  write_all(fd_, buffer_, path_);
  buffer_.clear();
}

void PartFile::write(std::string_view bytes) {
  size_ += bytes.size();
  if (buffer_.size() + bytes.size() > kBuffer) flush();
  if (bytes.size() >= kBuffer)
    write_all(fd_, bytes, path_);
  else
    buffer_.append(bytes);
}

void PartFile::commit(std::size_t part) {
  flush();
  if (::fdatasync(fd_) != 0) throw Error(path_, 0, fmt::format("cannot sync: {}", std::strerror(errno)));
  write_all(journal_fd_, fmt::format("{} {}\n", part, size_), journal_);
  committed_[part] = size_;
}

}  // namespace mlpipe::mapreduce
