// One rank's figures for mlmr --stats, and how they are printed. MPI-free.
#pragma once

#include <cstdint>
#include <string>

#include "mlpipe/mapreduce/exchange_counts.h"

namespace mlpipe::mapreduce {

// One rank's figures for --stats.
struct RankStats {
  std::size_t parts_done = 0, parts_skipped = 0, groups = 0, splits = 0, slices_here = 0, model_files = 0;
  std::uint64_t bytes_in = 0, model_bytes = 0, spilled = 0;
  double map_seconds = 0, keyed_seconds = 0, output_seconds = 0, total_seconds = 0;
  ExchangeCounts directory, routing, records, slices;
  std::string output_mode;  // file, dir or stdout
  std::uint64_t output_bytes = 0;
  std::uint64_t peak_rss_kb = 0;
};

// The two --stats lines of a rank (the figures, then the data movement, key=value).
std::string format_stats(int rank, const RankStats& s);

// This process's peak resident memory.
std::uint64_t peak_rss_kb();

}  // namespace mlpipe::mapreduce
