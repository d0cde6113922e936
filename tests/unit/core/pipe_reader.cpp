#include "mlpipe/core/pipe_reader.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <string>

using namespace mlpipe;

namespace {

// A pipe owned by "another process": the test holds both ends and names the write end
// through /proc, as mlmr names its launcher's standard output.
struct ForeignPipe {
  int read_end = -1, write_end = -1;
  ForeignPipe() {
    int ends[2];
    REQUIRE(::pipe(ends) == 0);
    read_end = ends[0];
    write_end = ends[1];
  }
  ~ForeignPipe() {
    close_reader();
    ::close(write_end);
  }
  std::string path() const { return "/proc/self/fd/" + std::to_string(write_end); }
  void close_reader() {
    if (read_end >= 0) ::close(read_end);
    read_end = -1;
  }
  std::string read_some() {
    char buf[256];
    ssize_t n = ::read(read_end, buf, sizeof buf);
    return n > 0 ? std::string(buf, std::size_t(n)) : std::string();
  }
};

// A stand-in for standard output: a pipe whose reader the test keeps.
struct OwnOutput {
  int fd = -1, reader = -1;
  OwnOutput() {
    int ends[2];
    REQUIRE(::pipe(ends) == 0);
    reader = ends[0];
    fd = ends[1];
  }
  ~OwnOutput() {
    ::close(fd);
    ::close(reader);
  }
};

void write_text(int fd, const std::string& s) { REQUIRE(::write(fd, s.data(), s.size()) == ssize_t(s.size())); }

}  // namespace

TEST_CASE("a watch sees the reader of another process's pipe go away") {
  ForeignPipe pipe;
  OwnOutput own;
  PipeReaderWatch watch(pipe.path(), own.fd);
  REQUIRE(watch.active());
  CHECK_FALSE(watch.reader_gone());
  CHECK_FALSE(watch.reader_gone(10));
  pipe.close_reader();
  CHECK(watch.reader_gone(-1));
  CHECK(watch.reader_gone());
}

TEST_CASE("a watch is inactive for what is not a pipe or is the process's own output") {
  OwnOutput own;
  CHECK_FALSE(PipeReaderWatch("/dev/null", own.fd).active());
  CHECK_FALSE(PipeReaderWatch("/proc/self/fd/999999", own.fd).active());
  PipeReaderWatch same("/proc/self/fd/" + std::to_string(own.fd), own.fd);
  CHECK_FALSE(same.active());
  CHECK_FALSE(same.reader_gone(-1));  // returns at once
}

TEST_CASE("a pipe whose reader has already gone counts as gone") {
  ForeignPipe pipe;
  OwnOutput own;
  pipe.close_reader();
  PipeReaderWatch watch(pipe.path(), own.fd);
  CHECK(watch.active());
  CHECK(watch.reader_gone());
}

TEST_CASE("a relay passes output on in order, then drops it once the reader has gone") {
  ForeignPipe pipe;
  OwnOutput own;
  std::atomic<int> calls{0};
  {
    OutputRelay relay(pipe.path(), own.fd, [&] { ++calls; });
    REQUIRE(relay.active());
    write_text(own.fd, "one\n");
    CHECK(pipe.read_some() == "one\n");
    write_text(own.fd, "two\n");
    CHECK(pipe.read_some() == "two\n");
    pipe.close_reader();
    // Writing goes on succeeding, more than a pipe holds: nothing blocks, nothing fails.
    std::string block(1 << 16, 'x');
    for (int i = 0; i < 8; ++i) write_text(own.fd, block);
    relay.finish();
    CHECK(calls == 1);
  }
  // After finish the descriptor points to /dev/null.
  write_text(own.fd, "after\n");
  CHECK(calls == 1);
}

TEST_CASE("a relay's finish waits until everything written has been passed on") {
  ForeignPipe pipe;
  OwnOutput own;
  bool gone = false;
  OutputRelay relay(pipe.path(), own.fd, [&] { gone = true; });
  REQUIRE(relay.active());
  write_text(own.fd, "last words\n");
  relay.finish();
  CHECK(pipe.read_some() == "last words\n");
  CHECK_FALSE(gone);
}

TEST_CASE("a relay to a place that is not a pipe leaves the output alone") {
  OwnOutput own;
  int before = ::fcntl(own.fd, F_GETFD);
  OutputRelay relay("/dev/null", own.fd, [] {});
  CHECK_FALSE(relay.active());
  CHECK(::fcntl(own.fd, F_GETFD) == before);
  write_text(own.fd, "direct\n");
  char buf[16];
  CHECK(::read(own.reader, buf, sizeof buf) == 7);
}
