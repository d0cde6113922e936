// What mlmr reports on standard error at the end of a job: skipped records (each rank's
// first reasons, then the totals per stage from rank 0) and, with --stats, each rank's
// figures in rank order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mlpipe/mapreduce/rank_stats.h"
#include "mlpipe/mpi/comm.h"
#include "mlpipe/pipeline/job_stages.h"

namespace mlpipe::mpi {

// Collective.
void report_skips(const Comm& c, const pipeline::JobStages& job, const std::vector<pipeline::StageCounts>& counts);

// Collective: every rank's lines, in rank order, printed by rank 0.
void report_stats(const Comm& c, const mapreduce::RankStats& s);

}  // namespace mlpipe::mpi
