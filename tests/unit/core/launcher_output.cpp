#include "mlpipe/core/launcher_output.h"

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

using namespace mlpipe;

namespace {

// A socket of this process listening on a free port of the loopback interface.
struct Listener {
  int fd = -1;
  unsigned port = 0;
  explicit Listener(int family) {
    fd = ::socket(family, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_storage addr{};
    socklen_t len;
    if (family == AF_INET) {
      auto* a = reinterpret_cast<sockaddr_in*>(&addr);
      a->sin_family = AF_INET;
      a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      len = sizeof *a;
    } else {
      auto* a = reinterpret_cast<sockaddr_in6*>(&addr);
      a->sin6_family = AF_INET6;
      a->sin6_addr = in6addr_loopback;
      len = sizeof *a;
    }
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0) return;  // no IPv6 here
    REQUIRE(::listen(fd, 1) == 0);
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port = ntohs(family == AF_INET ? reinterpret_cast<sockaddr_in*>(&addr)->sin_port
                                   : reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
  }
  ~Listener() { ::close(fd); }
};

}  // namespace

TEST_CASE("the process listening on a port is found (IPv4 and IPv6)") {
  for (int family : {AF_INET, AF_INET6}) {
    Listener l(family);
    if (!l.port) continue;
    CHECK(tcp_listener(l.port) == ::getpid());
  }
}

TEST_CASE("a port nobody listens on has no listener") {
  unsigned port;
  {
    Listener l(AF_INET);
    port = l.port;
  }
  CHECK(tcp_listener(port) == 0);
}

TEST_CASE("without a launcher on this machine there is no launcher output") {
  // The test runs under ctest or a shell, not mpirun, and not as a Slurm task.
  ::unsetenv("SLURM_SRUN_COMM_PORT");
  CHECK(launcher_output().empty());
}
