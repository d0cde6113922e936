// Writing to, and watching, a pipe that another process writes to, and noticing when its
// reader goes away.
//
// An MPI rank's standard output is a pipe (or a terminal) to its launcher, which copies it
// to the launcher's own standard output: when the reader there goes away
// (`mpirun … | head`), only the launcher sees EPIPE, and Open MPI's mpirun aborts the job
// and crashes after a few such writes. A rank next to the launcher can reach the launcher's
// standard output through /proc/PID/fd/1: opening that link opens the pipe itself, and a
// pipe that has lost its last reader reports an error to poll() on any write end.
#pragma once

#include <functional>
#include <string>
#include <thread>

namespace mlpipe {

// Reports when the reader of the pipe `path` names has gone.
class PipeReaderWatch {
 public:
  // Inactive when `path` is not a pipe or cannot be opened, or when it is the pipe `own_fd`
  // writes to (writing there reports EPIPE itself). Opening never blocks; a pipe whose
  // reader has already gone counts as gone.
  PipeReaderWatch(const std::string& path, int own_fd);
  ~PipeReaderWatch();
  PipeReaderWatch(const PipeReaderWatch&) = delete;
  PipeReaderWatch& operator=(const PipeReaderWatch&) = delete;

  bool active() const { return fd_ >= 0 || gone_; }

  // True once the pipe has no reader. timeout_ms: 0 checks, -1 waits until it happens (an
  // inactive watch returns false at once).
  bool reader_gone(int timeout_ms = 0);

  // The open write end (for OutputRelay), or -1.
  int fd() const { return fd_; }

 private:
  int fd_ = -1;  // a write end of the pipe; the watch itself writes nothing to it
  bool gone_ = false;
};

// Sends what this process writes to `fd` (standard output) straight into the pipe `path`
// names, instead of through the process that owns that pipe. When the pipe's reader goes
// away, what is written to `fd` from then on is dropped (writing never fails) and
// `on_reader_gone` runs once, on the relay's thread.
class OutputRelay {
 public:
  // Inactive (fd left as it is) when the watch of `path` would be (see PipeReaderWatch).
  OutputRelay(const std::string& path, int fd, std::function<void()> on_reader_gone);
  ~OutputRelay();  // finish()
  OutputRelay(const OutputRelay&) = delete;
  OutputRelay& operator=(const OutputRelay&) = delete;

  bool active() const { return thread_.joinable(); }

  // Ends the relay: closes `fd` (points it to /dev/null) and waits until everything written
  // to it has been passed on or dropped.
  void finish();

 private:
  void run(int from);

  PipeReaderWatch target_;
  int fd_;
  std::function<void()> on_reader_gone_;
  std::thread thread_;
};

}  // namespace mlpipe
