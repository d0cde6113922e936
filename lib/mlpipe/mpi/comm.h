// The few MPI patterns mlmr (and mltrain under a launcher) use, over MPI_COMM_WORLD. The
// one file of mlpipe that includes mpi.h: what needs MPI includes this header.
#pragma once

#include <mpi.h>

#include <csignal>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/mapreduce/exchange_counts.h"

namespace mlpipe::mpi {

struct Comm {
  MPI_Comm comm = MPI_COMM_WORLD;
  int rank = 0;
  int size = 1;
};

// Initialises MPI for a program whose main thread alone calls it (MPI_THREAD_FUNNELED:
// worker threads compute, the main thread exchanges) and returns this rank's place.
Comm start_mpi(int& argc, char**& argv);
// MPI_Finalize: the process's last MPI call.
void finish_mpi();

// Broadcasts `bytes` from `root` (any size: sent in pieces below MPI's int counts).
void bcast_bytes(const Comm& c, std::string& bytes, int root);

// Every rank's `mine`, in rank order, on every rank.
std::vector<std::string> allgather_bytes(const Comm& c, const std::string& mine);

// True on every rank when `flag` is true on any.
bool any(const Comm& c, bool flag);

// Sends a stream of byte blocks from `from` to `to` (blocks of any size, in order); the
// receiver gets each through `receive`. Call on both ranks; an empty block ends the stream.
void send_stream(const Comm& c, int to, std::string_view block);
void end_stream(const Comm& c, int to);
void receive_stream(const Comm& c, int from, const std::function<void(std::string_view)>& receive);

// The same without waiting, for ranks that send to each other while they compute: each
// block (below 1 GiB; an empty one ends the stream) is posted on `request` (wait on it
// before `block` goes away), and the receiver takes the stream with receive_posted, which
// calls `idle` while nothing has arrived (so that a receiver can advance its own posts).
// Streams between two ranks arrive in the order they were posted.
void post_block(const Comm& c, int to, std::string_view block, MPI_Request& request);
void receive_posted(const Comm& c, int from, const std::function<void(std::string_view)>& receive,
                    const std::function<void()>& idle);

// Rounds of all-to-all exchange with bounded buffers. Each round, every rank's `produce`
// appends entries to out[dest] (one buffer per rank) until a buffer holds `per_dest_bytes`
// or it has nothing more; it returns true when it has nothing more. Every rank then gets
// each source's bytes through `consume(src, bytes)`. Rounds go on until every rank is done.
// Returns false when a stop was requested on some rank (`stop` set), after the round.
// Adds what this rank sent to `counts`.
bool exchange(const Comm& c, std::size_t per_dest_bytes,
              const std::function<bool(std::vector<std::string>& out, std::size_t per_dest_bytes)>& produce,
              const std::function<void(int src, std::string_view bytes)>& consume,
              const volatile std::sig_atomic_t* stop, mapreduce::ExchangeCounts& counts);

}  // namespace mlpipe::mpi
