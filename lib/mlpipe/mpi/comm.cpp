#include "mlpipe/mpi/comm.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <thread>

#include <fmt/format.h>

#include "mlpipe/core/error.h"

namespace mlpipe::mpi {

namespace {
constexpr std::size_t kPiece = std::size_t(1) << 30;  // below INT_MAX
constexpr int kStreamTag = 17;
constexpr int kExchangeTag = 18;
constexpr int kPostedTag = 19;

// Receives blocks tagged `tag` from `from` until an empty one. With `idle`, waits by
// polling and calls it while nothing has arrived; without, blocks in MPI_Probe.
void receive_tagged(const Comm& c, int from, int tag, const std::function<void(std::string_view)>& receive,
                    const std::function<void()>* idle = nullptr) {
  std::string buf;
  while (true) {
    MPI_Status st;
    if (idle) {
      int arrived = 0;
      MPI_Iprobe(from, tag, c.comm, &arrived, &st);
      if (!arrived) {
        (*idle)();
        // Not a busy loop: on an oversubscribed node the sender needs this CPU.
        std::this_thread::sleep_for(std::chrono::microseconds(20));
        continue;
      }
    } else {
      MPI_Probe(from, tag, c.comm, &st);
    }
    int n = 0;
    MPI_Get_count(&st, MPI_BYTE, &n);
    buf.resize(std::size_t(n));
    MPI_Recv(buf.data(), n, MPI_BYTE, from, tag, c.comm, MPI_STATUS_IGNORE);
    if (n == 0) return;
    receive(buf);
  }
}
}  // namespace

Comm start_mpi(int& argc, char**& argv) {
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  Comm c;
  MPI_Comm_rank(c.comm, &c.rank);
  MPI_Comm_size(c.comm, &c.size);
  return c;
}

void finish_mpi() { MPI_Finalize(); }

void bcast_bytes(const Comm& c, std::string& bytes, int root) {
  std::uint64_t n = bytes.size();
  MPI_Bcast(&n, 1, MPI_UINT64_T, root, c.comm);
  bytes.resize(std::size_t(n));
  for (std::size_t at = 0; at < n; at += kPiece)
    MPI_Bcast(bytes.data() + at, int(std::min<std::uint64_t>(kPiece, n - at)), MPI_BYTE, root, c.comm);
}

std::vector<std::string> allgather_bytes(const Comm& c, const std::string& mine) {
  // Sizes first, then each rank's bytes as a broadcast from it: no int displacements to overflow.
  std::uint64_t n = mine.size();
  std::vector<std::uint64_t> sizes(std::size_t(c.size));
  MPI_Allgather(&n, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, c.comm);
  std::vector<std::string> all(std::size_t(c.size));
  for (int r = 0; r < c.size; ++r) {
    std::string& b = all[std::size_t(r)];
    if (r == c.rank) b = mine;
    b.resize(std::size_t(sizes[std::size_t(r)]));
    if (b.empty()) continue;
    for (std::size_t at = 0; at < b.size(); at += kPiece)
      MPI_Bcast(b.data() + at, int(std::min<std::size_t>(kPiece, b.size() - at)), MPI_BYTE, r, c.comm);
  }
  return all;
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
  receive_tagged(c, from, kStreamTag, receive);
}

void post_block(const Comm& c, int to, std::string_view block, MPI_Request& request) {
  if (block.size() > kPiece) throw Error(fmt::format("a posted block of {} bytes is over 1 GiB", block.size()));
  MPI_Isend(block.data(), int(block.size()), MPI_BYTE, to, kPostedTag, c.comm, &request);
}

void receive_posted(const Comm& c, int from, const std::function<void(std::string_view)>& receive,
                    const std::function<void()>& idle) {
  receive_tagged(c, from, kPostedTag, receive, &idle);
}

bool exchange(const Comm& c, std::size_t per_dest_bytes,
              const std::function<bool(std::vector<std::string>& out, std::size_t per_dest_bytes)>& produce,
              const std::function<void(int src, std::string_view bytes)>& consume,
              const volatile std::sig_atomic_t* stop, mapreduce::ExchangeCounts& counts) {
  const std::size_t n = std::size_t(c.size);
  // Counts are ints in MPI: keep what one rank sends to another in a round below 1 GiB.
  per_dest_bytes = std::clamp<std::size_t>(per_dest_bytes, 1, std::size_t(INT_MAX) / 2);
  std::vector<std::string> out(n), in(n);
  std::vector<int> send_counts(n), recv_counts(n);
  std::vector<MPI_Request> requests;
  bool done = false;
  while (true) {
    for (auto& o : out) o.clear();
    if (!done) done = produce(out, per_dest_bytes);
    for (std::size_t d = 0; d < n; ++d) {
      if (out[d].size() > std::size_t(INT_MAX))
        throw Error(fmt::format("a record of {} bytes is too large to shuffle", out[d].size()));
      send_counts[d] = int(out[d].size());
    }
    MPI_Alltoall(send_counts.data(), 1, MPI_INT, recv_counts.data(), 1, MPI_INT, c.comm);
    // Point to point between each pair of ranks: no concatenated send buffer, and what a
    // rank keeps for itself never goes through MPI.
    requests.clear();
    for (std::size_t s = 0; s < n; ++s) {
      if (int(s) == c.rank || recv_counts[s] == 0) continue;
      in[s].resize(std::size_t(recv_counts[s]));
      requests.emplace_back();
      MPI_Irecv(in[s].data(), recv_counts[s], MPI_BYTE, int(s), kExchangeTag, c.comm, &requests.back());
    }
    for (std::size_t d = 0; d < n; ++d) {
      if (int(d) == c.rank || send_counts[d] == 0) continue;
      requests.emplace_back();
      MPI_Isend(out[d].data(), send_counts[d], MPI_BYTE, int(d), kExchangeTag, c.comm, &requests.back());
      ++counts.messages;
      counts.bytes += std::uint64_t(send_counts[d]);
    }
    ++counts.rounds;
    if (!out[std::size_t(c.rank)].empty()) consume(c.rank, out[std::size_t(c.rank)]);
    MPI_Waitall(int(requests.size()), requests.data(), MPI_STATUSES_IGNORE);
    for (std::size_t s = 0; s < n; ++s) {
      if (int(s) == c.rank || recv_counts[s] == 0) continue;
      counts.bytes_in += std::uint64_t(recv_counts[s]);
      consume(int(s), in[s]);
    }
    // One reduction says both whether anyone has more and whether anyone must stop.
    int mine[2] = {done ? 0 : 1, (stop && *stop) ? 1 : 0}, all[2] = {0, 0};
    MPI_Allreduce(mine, all, 2, MPI_INT, MPI_MAX, c.comm);
    if (all[1]) return false;
    if (!all[0]) return true;
  }
}

}  // namespace mlpipe::mpi
