#!/usr/bin/env bash
# The code's shape, as docs/HACKING.md states it, checked so that it stays:
# - no include climbs back inside a folder of lib/mlpipe/ (no cycle of components);
# - no function of a tool_*.cpp or stage_*.cpp is longer than 80 lines;
# - only mpi/comm.h includes <mpi.h>, and mapreduce/ (MPI-free) includes nothing of mpi/.
# Argument 1 (the programs' directory) is not used.
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
root=${MLPIPE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root"
fail=0

cycles=$(python3 scripts/dev/include-cycles.py lib/mlpipe) || { echo "FAIL: includes that climb back:"; echo "$cycles"; fail=1; }
lengths=$(python3 scripts/dev/function-lengths.py --max 80 lib/mlpipe/*/tool_*.cpp lib/mlpipe/*/stage_*.cpp 2>&1) ||
  { echo "FAIL: a tool or stage function is longer than 80 lines:"; echo "$lengths"; fail=1; }

mpi_includers=$(grep -rl '#include <mpi.h>' lib tools | sort | tr '\n' ' ')
[ "$mpi_includers" = "lib/mlpipe/mpi/comm.h " ] || { echo "FAIL: <mpi.h> included by: $mpi_includers"; fail=1; }
if grep -rn '#include "mlpipe/mpi/' lib/mlpipe/mapreduce; then echo "FAIL: mapreduce/ includes mpi/"; fail=1; fi

[ $fail -eq 0 ] && echo "ok: no include cycle, no tool or stage function over 80 lines, MPI in mpi/comm.h alone"
exit $fail
