// One key group, or one slice of a split key, through the keyed stage and the stages after
// it, with a fresh worker, its records fed in batches. MPI-free.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/mapreduce/held_output.h"
#include "mlpipe/mapreduce/key_plan.h"
#include "mlpipe/pipeline/job_stages.h"

namespace mlpipe::mapreduce {

// One group (or slice) of records through stages [keyed, end) of `job`, into `out`;
// `slice` null for a whole key. Adds the stages' counts to `counts` (a slice but the first
// leaves the keyed stage's records uncounted: every slice reads them all). Returns the
// error that stopped it (run on a worker thread, it cannot throw). MPI-free.
std::optional<Error> run_group(const pipeline::JobStages& job, const std::vector<std::string_view>& records, const char* data_end,
               std::string_view key, const Slice* slice, HeldOutput& out, std::vector<pipeline::StageCounts>& counts);

}  // namespace mlpipe::mapreduce
