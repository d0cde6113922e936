// Where the launcher of an MPI job (mpirun, srun) writes its ranks' standard output, when
// it runs on this rank's machine: the ranks' own standard output only goes to the launcher,
// which copies it to its standard output (see pipe_reader.h for why a rank looks there).
#pragma once

#include <sys/types.h>

#include <string>

namespace mlpipe {

// "/proc/PID/fd/1" of this process's launcher, or empty when it is not found on this
// machine. mpirun (Open MPI) starts the ranks of its own machine itself: it is the parent.
// srun (Slurm) is not an ancestor of its tasks (slurmstepd starts them); it is the process
// listening on the port it gives its tasks for messages to it (SLURM_SRUN_COMM_PORT).
std::string launcher_output();

// Whether the launcher's standard error is a terminal: a rank's own is a pipe to the
// launcher, which copies it there, so this says whether a person watches the job's stderr.
bool launcher_stderr_is_terminal();

// The process on this machine that listens on TCP `port` (IPv4 or IPv6), or 0: the
// socket's inode from /proc/net/tcp{,6}, then the process that holds it (among those this
// user may look into).
pid_t tcp_listener(unsigned port);

}  // namespace mlpipe
