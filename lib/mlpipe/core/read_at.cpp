#include "mlpipe/core/read_at.h"

#include <unistd.h>

#include <cerrno>

namespace mlpipe {

bool read_exactly_at(int fd, std::uint64_t at, void* dst, std::size_t n) {
  auto* p = static_cast<char*>(dst);
  while (n > 0) {
    ssize_t got = ::pread(fd, p, n, off_t(at));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      if (got == 0) errno = 0;
      return false;
    }
    p += got;
    at += std::uint64_t(got);
    n -= std::size_t(got);
  }
  return true;
}

}  // namespace mlpipe
