#include "mlpipe/core/threads.h"

#include <sched.h>

#include <algorithm>
#include <cstdlib>

namespace mlpipe {

namespace {
int env_count(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return 0;
  char* end = nullptr;
  long n = std::strtol(v, &end, 10);  // OMP_NUM_THREADS may be a list ("4,2"): take the first
  return (end != v && n > 0 && n < 4096) ? int(n) : 0;
}
}  // namespace

int default_threads() {
  int n = 1;
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) n = std::max(1, CPU_COUNT(&set));
  for (const char* var : {"SLURM_CPUS_PER_TASK", "OMP_NUM_THREADS"})
    if (int limit = env_count(var)) n = std::min(n, limit);
  return n;
}

}  // namespace mlpipe
