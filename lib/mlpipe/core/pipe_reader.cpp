#include "mlpipe/core/pipe_reader.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

namespace mlpipe {

PipeReaderWatch::PipeReaderWatch(const std::string& path, int own_fd) {
  struct stat target {};
  if (::stat(path.c_str(), &target) != 0 || !S_ISFIFO(target.st_mode)) return;
  struct stat own {};
  if (own_fd >= 0 && ::fstat(own_fd, &own) == 0 && own.st_dev == target.st_dev && own.st_ino == target.st_ino) return;
  // The link opens as a named FIFO would: a write end without O_NONBLOCK would wait for a
  // reader, and with it the open fails (ENXIO) when there is none.
  fd_ = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0 && errno == ENXIO) gone_ = true;
}

PipeReaderWatch::~PipeReaderWatch() {
  if (fd_ >= 0) ::close(fd_);
}

bool PipeReaderWatch::reader_gone(int timeout_ms) {
  if (gone_ || fd_ < 0) return gone_;
  pollfd p{fd_, 0, 0};  // no events asked: POLLERR (no reader left) is reported anyway
  int n;
  while ((n = ::poll(&p, 1, timeout_ms)) < 0 && errno == EINTR) {
  }
  if (n > 0 && (p.revents & (POLLERR | POLLHUP | POLLNVAL))) gone_ = true;
  return gone_;
}

namespace {

void point_to_null(int fd) {
  int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null < 0) return;
  ::dup2(null, fd);
  ::close(null);
}

}  // namespace

OutputRelay::OutputRelay(const std::string& path, int fd, std::function<void()> on_reader_gone)
    : target_(path, fd), fd_(fd), on_reader_gone_(std::move(on_reader_gone)) {
  if (!target_.active()) return;
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) != 0) return;
  // This process's own open of the pipe: blocking writes wait for a slow reader, without
  // changing how the pipe's owner writes to it.
  if (target_.fd() >= 0) ::fcntl(target_.fd(), F_SETFL, ::fcntl(target_.fd(), F_GETFL) & ~O_NONBLOCK);
  ::dup2(ends[1], fd);
  ::close(ends[1]);
  thread_ = std::thread([this, from = ends[0]] { run(from); });
}

OutputRelay::~OutputRelay() { finish(); }

void OutputRelay::finish() {
  if (!thread_.joinable()) return;
  point_to_null(fd_);  // the relay's pipe loses its last writer: the thread sees the end
  thread_.join();
}

void OutputRelay::run(int from) {
  // A write to a pipe without a reader raises SIGPIPE in the writing thread: here it stays
  // blocked, EPIPE says it all, and the pending signal is taken below.
  sigset_t pipe_signal;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);

  bool gone = false;
  auto reader_went = [&] {
    gone = true;
    timespec now{0, 0};
    while (sigtimedwait(&pipe_signal, nullptr, &now) == SIGPIPE) {
    }
    if (on_reader_gone_) on_reader_gone_();
  };
  if (target_.reader_gone()) reader_went();
  const int to = target_.fd();
  char dropped[1 << 16];
  while (true) {
    if (gone) {  // keep taking what is written, so that writers never block or fail
      ssize_t n = ::read(from, dropped, sizeof dropped);
      if (n == 0 || (n < 0 && errno != EINTR)) break;
      continue;
    }
    pollfd p[2] = {{from, POLLIN, 0}, {to, 0, 0}};
    if (::poll(p, 2, -1) < 0) continue;  // EINTR
    if (p[1].revents & (POLLERR | POLLHUP | POLLNVAL)) {
      reader_went();
      continue;
    }
    if (!(p[0].revents & (POLLIN | POLLHUP))) continue;
    ssize_t n = ::splice(from, nullptr, to, nullptr, std::size_t(1) << 20, SPLICE_F_MOVE);
    if (n == 0) break;  // every writer has closed: all passed on
    if (n < 0 && errno != EINTR && errno != EAGAIN) reader_went();
  }
  ::close(from);
}

}  // namespace mlpipe
