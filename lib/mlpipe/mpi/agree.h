// Steps every rank runs where any rank may fail, and the job's one way of reporting it.
#pragma once

#include <functional>
#include <string>

#include "mlpipe/core/error.h"
#include "mlpipe/mpi/comm.h"

namespace mlpipe::mpi {

// Ends the job on every rank with this status, after the one report.
struct JobEnd {
  int code;
};

// "mlmr: error: [rank R: ]FILE:LINE: message": the one way mlmr reports an error. `rank`
// below 0 leaves the rank out (an error every rank would find alike, reported by rank 0).
std::string format_job_error(const Error& e, int rank);

// Runs `step` on every rank. When it fails anywhere, the lowest failing rank reports its
// error once (a usage error with the hint to --help) and every rank throws JobEnd with
// that rank's status.
void agree(const Comm& c, const std::function<void()>& step);

}  // namespace mlpipe::mpi
