#include "mlpipe/core/file_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "mlpipe/core/error.h"

namespace mlpipe {

namespace {

class LocalFiles : public FileSource {
 public:
  std::string read(const std::string& path) const override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(path, 0, fmt::format("cannot open: {}", std::strerror(errno)));
    std::string text;
    struct stat st;
    // One read for a regular file; small steps for one that grows while read, or a pipe.
    std::size_t chunk = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? std::size_t(st.st_size) + 1 : 64 << 10;
    while (true) {
      std::size_t old = text.size();
      text.resize(old + chunk);
      ssize_t n = ::read(fd, text.data() + old, chunk);
      if (n < 0 && errno == EINTR) {
        text.resize(old);
        continue;
      }
      if (n < 0) {
        int e = errno;
        ::close(fd);
        throw Error(path, 0, fmt::format("cannot read: {}", std::strerror(e)));
      }
      text.resize(old + std::size_t(n));
      if (n == 0) break;
      chunk = 64 << 10;
    }
    ::close(fd);
    return text;
  }

  bool exists(const std::string& path) const override {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
  }
};

}  // namespace

const FileSource& local_files() {
  static const LocalFiles files;
  return files;
}

}  // namespace mlpipe
