#pragma once

namespace mlpipe {

// The default for --threads: the CPUs this process may run on (its affinity mask),
// lowered by SLURM_CPUS_PER_TASK and OMP_NUM_THREADS when those are set.
int default_threads();

}  // namespace mlpipe
