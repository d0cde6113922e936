#include "mlpipe/mpi/job_report.h"

#include <cstdio>

#include <fmt/format.h>

namespace mlpipe::mpi {

void report_skips(const Comm& c, const pipeline::JobStages& job, const std::vector<pipeline::StageCounts>& counts) {
  for (std::size_t i = 0; i < counts.size(); ++i)
    for (const Error& e : counts[i].skips)
      fmt::print(stderr, "mlmr: rank {}: {}: skipped: {}\n", c.rank, job.stages[i].name, describe(e));
  std::vector<std::uint64_t> mine, all(counts.size() * 2);
  for (const pipeline::StageCounts& s : counts) {
    mine.push_back(s.skipped);
    mine.push_back(s.records_in);
  }
  MPI_Reduce(mine.data(), all.data(), int(mine.size()), MPI_UINT64_T, MPI_SUM, 0, c.comm);
  if (c.rank != 0) return;
  for (std::size_t i = 0; i < counts.size(); ++i)
    if (all[2 * i])
      fmt::print(stderr, "mlmr: {}: skipped {} bad record{} of {}\n", job.stages[i].name, all[2 * i],
                 all[2 * i] == 1 ? "" : "s", all[2 * i + 1]);
}

void report_stats(const Comm& c, const mapreduce::RankStats& s) {
  std::string text = mapreduce::format_stats(c.rank, s);
  if (c.rank == 0) {
    fmt::print(stderr, "{}", text);
    for (int r = 1; r < c.size; ++r) receive_stream(c, r, [](std::string_view b) { fmt::print(stderr, "{}", b); });
  } else {
    send_stream(c, 0, text);
    end_stream(c, 0);
  }
}

}  // namespace mlpipe::mpi
