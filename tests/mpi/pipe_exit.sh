#!/usr/bin/env bash
# mlmr when the reader of its standard output goes away (`mpirun … | head`): the job stops
# within seconds, every rank included, and ends as a shell pipeline's program would, status
# 0 or 141 with nothing on standard error (Open MPI's mpirun used to abort and crash in its
# clean-up, status 139). While the reader stays, the whole output arrives in order; with
# -o the reader of standard output does not matter. (Under srun: slurm.sh.)
# Usage: pipe_exit.sh BIN_DIR
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
source "$(dirname "$0")/common.bash"
cd "$tmp"
# 60k records (5 MB, far more than a pipe holds), keys in runs of 9.
python3 -c '
import json
for i in range(60000): print(json.dumps({"doc": "d%d" % (i // 9), "i": i, "t": "x" * 40}))' >big.ndjson
head -1 big.ndjson >first

noise='Segmentation|backtrace|Signal:|signal|error|abort|MPI_ABORT|noticed|terminated|exit code'
# cut WHAT LIMIT_S FIRST -- command…: runs `command | head -1` under pipefail; the pipeline's
# status must be 0 or 141, head must get the line in file FIRST (any line: -), stderr must be
# empty of noise, and it must end within LIMIT_S seconds.
cut() {
  local what=$1 limit=$2 want=$3; shift 4
  local start end status
  start=$(date +%s.%N)
  status=0
  ("$@" 2>err | head -1 >got) || status=$?
  end=$(date +%s.%N)
  local took
  took=$(echo "$end - $start" | bc)
  if { [ $status -eq 0 ] || [ $status -eq 141 ]; } && [ -s got ] && { [ "$want" = - ] || cmp -s "$want" got; } && ! grep -Eiq "$noise" err &&
    [ "$(echo "$took < $limit" | bc)" = 1 ]; then
    echo "ok: $what (status $status, $(printf '%.1f' "$took") s)"
  else
    echo "FAIL: $what: status $status, $(printf '%.1f' "$took") s (limit $limit s), first line $(head -c 80 got)"
    head -5 err
    fail=1
  fi
}

# Rank 0 writes standard output while rank 1 still sends its part or waits in a collective.
cut "head -1 after mpirun -n 2, no keyed stage" 20 first -- mpi 2 '_cat' big.ndjson
cut "head -1 after mpirun -n 3, keyed stage" 20 - -- mpi 3 '_cat | _pairs --key doc' big.ndjson
# Every rank computes slowly (30000 x 1 ms, 15 s per rank to the end): each stops at its next
# partition once the reader has gone.
cut "head -1 while the ranks compute: they stop" 8 first -- \
  mpi 2 --threads 1 --partition-bytes 16K '_slow --ms 1' big.ndjson
# Without a launcher (one rank, standard output the pipe itself): killed by SIGPIPE, quietly.
cut "head -1 after mlmr alone" 20 first -- "$mlmr" '_cat' big.ndjson

# The reader stays: everything, in order, through a pipe.
mpi 2 --partition-bytes 256K '_cat' big.ndjson 2>err | cat >got.all
check "the whole output through a pipe" big.ndjson got.all
mpi 2 '_cat | _pairs --key doc' big.ndjson 2>err | cat >got.keyed
mpi 2 -o pairs.ndjson '_cat | _pairs --key doc' big.ndjson 2>err
check "the keyed output through a pipe = -o FILE" pairs.ndjson got.keyed

# -o DIR/: the reader of standard output leaving at once changes nothing.
status=0
(mpi 2 -o out.dir/ '_cat' big.ndjson 2>err | true) || status=$?
cat out.dir/part-* >got.dir 2>/dev/null || true
if [ $status -eq 0 ] && [ -e out.dir/_SUCCESS ] && cmp -s big.ndjson got.dir && [ ! -s err ]; then
  echo "ok: -o DIR with a reader of standard output that leaves"
else
  echo "FAIL: -o DIR: status $status"; head -5 err; fail=1
fi
exit $fail
