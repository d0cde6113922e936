#include "mlpipe/mpi/agree.h"

#include <cstdio>

#include <fmt/format.h>

namespace mlpipe::mpi {

std::string format_job_error(const Error& e, int rank) {
  if (rank < 0) return format_error("mlmr", e);
  return fmt::format("mlmr: error: rank {}: {}", rank, describe(e));
}

void agree(const Comm& c, const std::function<void()>& step) {
  int code = 0;
  std::string message;
  bool usage = false;
  try {
    step();
  } catch (const Error& e) {
    usage = e.is_usage();
    code = usage ? int(Exit::usage) : int(Exit::failure);
    message = format_job_error(e, c.rank == 0 ? -1 : c.rank);
  }
  int mine = code ? c.rank : c.size, first = c.size;
  MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, c.comm);
  if (first == c.size) return;
  MPI_Bcast(&code, 1, MPI_INT, first, c.comm);
  if (c.rank == first) {
    fmt::print(stderr, "{}\n", message);
    if (usage) fmt::print(stderr, "Run 'mlmr --help' for the options.\n");
    std::fflush(stderr);
  }
  throw JobEnd{code};
}

}  // namespace mlpipe::mpi
