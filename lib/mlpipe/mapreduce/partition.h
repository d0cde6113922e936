// Input partitions: how mlmr cuts its input files into units of work and gives them to
// ranks. MPI-free: every rank computes the same plan from the same file sizes.
//
// A partition is a run of consecutive pieces of the inputs, in input order: whole files
// for text input (mlsplit reads whole documents), byte ranges cut at line boundaries for
// NDJSON (a range [begin, end) holds the lines that *start* in it). A compressed NDJSON file
// is cut only between its frames (BGZF members, zstd frames: core/frame_scan.h), and one
// that has none (a plain gzip file) is a unit of its own. Partitions are numbered
// in input order, and rank r owns a contiguous run of them, so the concatenation of every
// partition's output in number order is the output of the whole input in order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mlpipe/core/input.h"
#include "mlpipe/core/record.h"

namespace mlpipe::mapreduce {

struct InputFile {
  std::string path;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  // A compressed file may be cut only at `cuts` (frame starts after 0, increasing).
  bool compressed = false;
  std::vector<std::uint64_t> cuts{};  // (an initializer, so that {path, size, mtime} needs no more)
};

// Stats every input, and finds where each compressed one may be cut (Error naming the file
// when it cannot be read).
std::vector<InputFile> stat_inputs(const std::vector<std::string>& paths);

struct Piece {
  std::uint32_t file = 0;
  std::uint64_t begin = 0, end = 0;  // bytes; lines starting in [begin, end)
};

struct Partition {
  std::vector<Piece> pieces;
  std::uint64_t bytes = 0;
};

// The partition size when none is given: about four partitions per rank (so that a rank
// that stops on a signal loses little work), between 1 MiB and 256 MiB.
std::uint64_t auto_partition_bytes(std::uint64_t total_bytes, int ranks);

// Cuts the inputs into partitions of about `target` bytes. With `whole_files` a file is
// never cut (small files are grouped). Every input, even an empty one, is in some partition.
std::vector<Partition> plan_partitions(const std::vector<InputFile>& files, bool whole_files, std::uint64_t target);

// The rank owning each partition: contiguous runs of about equal bytes, in rank order.
std::vector<int> assign_owners(const std::vector<Partition>& parts, int ranks);

}  // namespace mlpipe::mapreduce
