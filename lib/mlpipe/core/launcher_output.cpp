#include "mlpipe/core/launcher_output.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace mlpipe {

namespace fs = std::filesystem;

namespace {

// The inode of the listening socket on `port` in one of /proc/net/tcp{,6}, or empty.
std::string listening_inode(const char* table, unsigned port) {
  std::ifstream in(table);
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
    std::istringstream fields(line);
    std::string sl, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
    fields >> sl >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode;
    const auto colon = local.rfind(':');
    constexpr const char* kListen = "0A";
    if (state == kListen && colon != std::string::npos && std::strtoul(local.c_str() + colon + 1, nullptr, 16) == port)
      return inode;
  }
  return {};
}

}  // namespace

pid_t tcp_listener(unsigned port) {
  std::string inode = listening_inode("/proc/net/tcp", port);
  if (inode.empty()) inode = listening_inode("/proc/net/tcp6", port);
  if (inode.empty()) return 0;
  const std::string socket = "socket:[" + inode + "]";
  std::error_code ec;
  for (const fs::directory_entry& proc : fs::directory_iterator("/proc", ec)) {
    const std::string name = proc.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::error_code fd_ec;  // a process that ended, or that this user may not look into
    for (const fs::directory_entry& fd : fs::directory_iterator(proc.path() / "fd", fd_ec)) {
      std::error_code link_ec;
      if (fs::read_symlink(fd.path(), link_ec).native() == socket) return pid_t(std::atol(name.c_str()));
    }
  }
  return 0;
}

std::string launcher_output() {
  const pid_t parent = ::getppid();
  std::string name;
  std::getline(std::ifstream(fmt::format("/proc/{}/comm", parent)), name);
  for (const char* launcher : {"mpirun", "mpiexec", "orterun", "prterun"})
    if (name == launcher) return fmt::format("/proc/{}/fd/1", parent);
  const char* srun_port = std::getenv("SLURM_SRUN_COMM_PORT");
  if (srun_port && std::getenv("SLURM_STEP_ID")) {
    const unsigned port = unsigned(std::strtoul(srun_port, nullptr, 10));
    if (const pid_t srun = port ? tcp_listener(port) : 0) return fmt::format("/proc/{}/fd/1", srun);
  }
  return {};
}

bool launcher_stderr_is_terminal() {
  std::string path = launcher_output();
  if (path.empty()) return false;
  path.back() = '2';  // /proc/PID/fd/2
  const int fd = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return false;
  const bool tty = isatty(fd) != 0;
  ::close(fd);
  return tty;
}

}  // namespace mlpipe
