#include "mlpipe/mapreduce/rank_stats.h"

#include <sys/resource.h>

#include <fmt/format.h>

namespace mlpipe::mapreduce {

std::string format_stats(int rank, const RankStats& s) {
  std::string line = fmt::format(
      "mlmr: stats: rank {}: partitions {} (skipped {}), input {:.1f} MB, phase A {:.3f} s, phase B {:.3f} s, "
      "records moved out {:.1f} MB in {:.1f} MB, key groups written {}, split keys {} (slices here {}), models {} "
      "files {:.1f} MB, output spilled {:.1f} MB, total {:.3f} s, peak RSS {:.1f} MB\n",
      rank, s.parts_done, s.parts_skipped, s.bytes_in / 1e6, s.map_seconds, s.keyed_seconds, s.records.bytes / 1e6,
      s.records.bytes_in / 1e6, s.groups, s.splits, s.slices_here, s.model_files, s.model_bytes / 1e6, s.spilled / 1e6,
      s.total_seconds, s.peak_rss_kb / 1024.0);
  auto ex = [](const char* name, const ExchangeCounts& e) {
    return fmt::format("{} rounds={} messages={} bytes={}", name, e.rounds, e.messages, e.bytes);
  };
  line += fmt::format("mlmr: stats: rank {}: exchange {}; {}; {}; slices messages={} bytes={}; output mode={} bytes={} "
                      "seconds={:.3f}\n",
                      rank, ex("directory", s.directory), ex("routing", s.routing), ex("records", s.records),
                      s.slices.messages, s.slices.bytes, s.output_mode, s.output_bytes, s.output_seconds);
  return line;
}

std::uint64_t peak_rss_kb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return std::uint64_t(ru.ru_maxrss);
}

}  // namespace mlpipe::mapreduce
