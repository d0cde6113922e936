// A rank's output, made in the global order, on its way to the target (see output_target.h):
// its part file, standard output (rank 0 writes, then the other ranks' spooled output in
// rank order), or, for -o FILE, the part file first and then one file written by every
// rank at its offset with MPI-IO.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "mlpipe/core/output.h"
#include "mlpipe/mapreduce/output_target.h"
#include "mlpipe/mapreduce/spool.h"
#include "mlpipe/mpi/comm.h"

namespace mlpipe::mpi {

class RankOutput {
 public:
  RankOutput(const Comm& c, const mapreduce::OutputTarget& target, const std::string& spool_dir);
  void write(std::string_view bytes);
  // This rank's part is complete: the part file is committed, or (standard output, a
  // collective) every rank's output reaches rank 0's standard output in rank order.
  void close();
  // The bytes this rank's part holds so far.
  std::uint64_t bytes() const { return bytes_; }

 private:
  const Comm& c_;
  std::uint64_t bytes_ = 0;
  std::optional<Output> out_;
  std::unique_ptr<mapreduce::Spool> spool_;
};

// Standard output, collective: rank 0 writes every other rank's spool after what it wrote
// itself, in rank order. `spool` is null on rank 0.
void gather_to_root(const Comm& c, Output* root, const mapreduce::Spool* spool);

// -o FILE, collective, after every part file is complete: the parts are written into one
// file at offsets from an exclusive scan of their sizes (MPI_File_write_at_all), which
// rank 0 renames to FILE once every rank has succeeded. Returns this rank's bytes written.
struct FileWriteCounts {
  std::uint64_t bytes = 0, rounds = 0;
  double seconds = 0;
};
FileWriteCounts write_one_file(const Comm& c, const mapreduce::OutputTarget& target,
                               std::size_t block_bytes = std::size_t(64) << 20);

}  // namespace mlpipe::mpi
