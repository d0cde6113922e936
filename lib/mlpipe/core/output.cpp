#include "mlpipe/core/output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "mlpipe/core/error.h"

namespace mlpipe {

void write_all(int fd, std::string_view bytes, const std::string& name) {
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE) throw BrokenPipe{};
      throw Error(name, 0, fmt::format("write failed: {}", std::strerror(errno)));
    }
    p += n;
    left -= std::size_t(n);
  }
}

namespace {

// An existing target that is not a regular file (/dev/null, a FIFO, /dev/stdout) is written
// in place: renaming a temporary over it would replace the device or pipe with a file.
int open_in_place(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode)) return -1;
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw Error(path, 0, fmt::format("cannot open: {}", std::strerror(errno)));
  return fd;
}

// A temporary name in the target's directory, so that rename() stays atomic.
int open_temporary(const std::string& path, std::string& tmp_path) {
  tmp_path = path + ".tmp.XXXXXX";
  int fd = ::mkstemp(tmp_path.data());
  if (fd < 0) throw Error(path, 0, fmt::format("cannot create: {}", std::strerror(errno)));
  // mkstemp makes 0600 files; give outputs the usual permissions.
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  return fd;
}

void finish_file(int fd, const std::string& tmp_path, const std::string& path) {
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    int e = errno;
    ::unlink(tmp_path.c_str());
    throw Error(path, 0, fmt::format("write failed: {}", std::strerror(e)));
  }
  if (::rename(tmp_path.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp_path.c_str());
    throw Error(path, 0, fmt::format("cannot rename into place: {}", std::strerror(e)));
  }
}

}  // namespace

Output::Output(const std::string& path) {
  if (path.empty() || path == "-") {
    fd_ = STDOUT_FILENO;
    return;
  }
  path_ = path;
  fd_ = open_in_place(path_);
  if (fd_ < 0) fd_ = open_temporary(path_, tmp_path_);
}

Output::~Output() {
  if (!path_.empty() && !committed_) {
    ::close(fd_);
    if (!tmp_path_.empty()) ::unlink(tmp_path_.c_str());
  }
}

void Output::write(std::string_view bytes) { write_all(fd_, bytes, path_.empty() ? "<stdout>" : path_); }

void Output::commit() {
  if (committed_) return;
  committed_ = true;
  if (path_.empty()) return;
  if (tmp_path_.empty()) {
    if (::close(fd_) != 0) throw Error(path_, 0, fmt::format("write failed: {}", std::strerror(errno)));
    return;
  }
  finish_file(fd_, tmp_path_, path_);
}

void write_file_atomically(const std::string& path, std::string_view contents) {
  if (int fd = open_in_place(path); fd >= 0) {
    try {
      write_all(fd, contents, path);
    } catch (...) {
      ::close(fd);
      throw;
    }
    if (::close(fd) != 0) throw Error(path, 0, fmt::format("write failed: {}", std::strerror(errno)));
    return;
  }
  std::string tmp;
  int fd = open_temporary(path, tmp);
  try {
    write_all(fd, contents, path);
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  finish_file(fd, tmp, path);
}

}  // namespace mlpipe
