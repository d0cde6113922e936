#include "mlpipe/mpi/comm.h"

#include <algorithm>
#include <climits>

#include <fmt/format.h>

#include "mlpipe/core/error.h"

namespace mlpipe::mr {

namespace {
constexpr std::size_t kPiece = std::size_t(1) << 30;  // below INT_MAX
constexpr int kStreamTag = 17;
}  // namespace

void bcast_bytes(const Comm& c, std::string& bytes, int root) {
  std::uint64_t n = bytes.size();
  MPI_Bcast(&n, 1, MPI_UINT64_T, root, c.comm);
  bytes.resize(std::size_t(n));
  for (std::size_t at = 0; at < n; at += kPiece)
    MPI_Bcast(bytes.data() + at, int(std::min<std::uint64_t>(kPiece, n - at)), MPI_BYTE, root, c.comm);
}

bool any(const Comm& c, bool flag) {
  int in = flag ? 1 : 0, out = 0;
  MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_MAX, c.comm);
  return out != 0;
}

void send_stream(const Comm& c, int to, std::string_view block) {
  for (std::size_t at = 0; at < block.size(); at += kPiece) {
    std::size_t n = std::min(kPiece, block.size() - at);
    MPI_Send(block.data() + at, int(n), MPI_BYTE, to, kStreamTag, c.comm);
  }
}

void end_stream(const Comm& c, int to) { MPI_Send(nullptr, 0, MPI_BYTE, to, kStreamTag, c.comm); }

void receive_stream(const Comm& c, int from, const std::function<void(std::string_view)>& receive) {
  std::string buf;
  while (true) {
    MPI_Status st;
    MPI_Probe(from, kStreamTag, c.comm, &st);
    int n = 0;
    MPI_Get_count(&st, MPI_BYTE, &n);
    buf.resize(std::size_t(n));
    MPI_Recv(buf.data(), n, MPI_BYTE, from, kStreamTag, c.comm, MPI_STATUS_IGNORE);
    if (n == 0) return;
    receive(buf);
  }
}

bool exchange(const Comm& c, std::size_t per_dest_bytes,
              const std::function<bool(std::vector<std::string>& out, std::size_t per_dest_bytes)>& produce,
              const std::function<void(int src, std::string_view bytes)>& consume,
              const volatile std::sig_atomic_t* stop) {
  const std::size_t n = std::size_t(c.size);
  // Counts are ints in MPI-3: keep what one rank receives in a round below 2 GiB.
  per_dest_bytes = std::clamp<std::size_t>(per_dest_bytes, 1, (std::size_t(INT_MAX) / 2) / n);
  std::vector<std::string> out(n);
  std::string in;
  std::vector<int> send_counts(n), recv_counts(n), send_displs(n), recv_displs(n);
  std::string send;
  bool done = false;
  while (true) {
    for (auto& o : out) o.clear();
    if (!done) done = produce(out, per_dest_bytes);
    std::size_t total = 0;
    for (std::size_t d = 0; d < n; ++d) {
      if (out[d].size() > std::size_t(INT_MAX) / 2)
        throw Error(fmt::format("a record of {} bytes is too large to shuffle", out[d].size()));
      send_counts[d] = int(out[d].size());
      send_displs[d] = int(total);
      total += out[d].size();
    }
    send.clear();
    send.reserve(total);
    for (auto& o : out) send += o;
    MPI_Alltoall(send_counts.data(), 1, MPI_INT, recv_counts.data(), 1, MPI_INT, c.comm);
    std::size_t rtotal = 0;
    for (std::size_t s = 0; s < n; ++s) {
      recv_displs[s] = int(rtotal);
      rtotal += std::size_t(recv_counts[s]);
    }
    in.resize(rtotal);
    MPI_Alltoallv(send.data(), send_counts.data(), send_displs.data(), MPI_BYTE, in.data(), recv_counts.data(),
                  recv_displs.data(), MPI_BYTE, c.comm);
    for (std::size_t s = 0; s < n; ++s)
      if (recv_counts[s] > 0) consume(int(s), std::string_view(in).substr(std::size_t(recv_displs[s]), std::size_t(recv_counts[s])));
    // One reduction says both whether anyone has more and whether anyone must stop.
    int mine[2] = {done ? 0 : 1, (stop && *stop) ? 1 : 0}, all[2] = {0, 0};
    MPI_Allreduce(mine, all, 2, MPI_INT, MPI_MAX, c.comm);
    if (all[1]) return false;
    if (!all[0]) return true;
  }
}

}  // namespace mlpipe::mr
