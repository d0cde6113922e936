#!/usr/bin/env bash
# mlmr's failures: usage errors reported once with exit 2 and no rank left running; a bad
# record on one rank reported with its rank, file and line, the job ending non-zero; a rank
# killed with SIGKILL ending the whole job within seconds.
# Usage: errors.sh BIN_DIR
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
source "$(dirname "$0")/common.bash"
source "$root/tests/lib/wait.bash"
make_inputs
cd "$tmp"

expect() {  # expect WHAT STATUS PATTERN -- command…: exit status and one stderr line matching
  local what=$1 want=$2 pattern=$3; shift 4
  local got=0 lines
  "$@" >out 2>err || got=$?
  lines=$(grep -c -- "$pattern" err || true)
  if [ "$got" -eq "$want" ] && [ "$lines" -eq 1 ]; then
    echo "ok: $what"
  else
    echo "FAIL: $what: status $got (want $want), $lines lines matching '$pattern' (want 1):"; head -5 err; fail=1
  fi
}

expect "unknown program" 2 "^mlmr: error: stage 2: unknown program 'nope'" -- mpi 4 '_cat | nope' a.ndjson
expect "bad stage option" 2 "^mlmr: error: stage 1 (_cat): .*--bogus" -- mpi 4 '_cat --bogus' a.ndjson
expect "input inside the pipeline" 2 "^mlmr: error: stage 1 (_cat): an input file is not a stage option" -- mpi 2 '_cat a.ndjson' a.ndjson
expect "empty stage" 2 "^mlmr: error: pipeline: empty stage" -- mpi 2 '_cat | | _cat' a.ndjson
expect "unterminated quote" 2 "^mlmr: error: pipeline: unterminated ' quote" -- mpi 2 "_cat '" a.ndjson
expect "bad mlmr option" 2 "^mlmr: error: .*--bogus" -- mpi 2 --bogus '_cat' a.ndjson
expect "no inputs" 2 "^mlmr: error: no input files" -- mpi 2 '_cat'
expect "--resume without -o" 2 "^mlmr: error: .*needs -o FILE or -o DIR/" -- mpi 2 --resume '_cat' a.ndjson
expect "--max-memory too small" 2 "^mlmr: error: --max-memory: must be at least 1M" -- mpi 2 --max-memory 10K '_cat' a.ndjson
expect "-o -" 2 "^mlmr: error: -o -: standard output is where mlmr writes without -o" -- mpi 2 -o - '_cat' a.ndjson
expect "two keyed stages" 2 "^mlmr: error: stage 2 (_count): mlmr runs one keyed stage" -- mpi 2 '_pairs | _count' a.ndjson
expect "CSV input under mlmr" 2 "^mlmr: error: mltrain: --format csv reads a header line" -- mpi 2 'mltrain --format csv --cv 3' a.ndjson
expect "missing input" 1 "^mlmr: error: missing.ndjson: cannot open" -- mpi 2 '_cat' missing.ndjson
expect "missing model" 1 "^mlmr: error: nomodel.txt: cannot open" -- mpi 2 '_model -m nomodel.txt' a.ndjson

# A bad record in the last partition (owned by the last rank): its file and line number
# (counted from the file's start, though the rank read from the middle).
cp a.ndjson bad.ndjson
sed -i '1480s/.*/{"doc": oops/' bad.ndjson
for n in 1 4; do
  last=$((n - 1))
  expect "bad record, $n ranks" 1 "^mlmr: error: rank $last: bad.ndjson:1480: invalid JSON" -- \
    mpi $n --partition-bytes 4K '_cat | _pairs' bad.ndjson
done
# After a shuffle, an error names the stage and the key.
printf '%s\n' '{"doc":"k","i":1}' '{"i":2}' >nokey.ndjson
expect "error after the shuffle" 1 "^mlmr: error: rank .: _pairs input for key .*:1: no field 'doc'" -- \
  mpi 2 '_cat | _pairs --key doc' nokey.ndjson
# --on-error=skip: counted once for the job.
expect "skipped records" 0 "^mlmr: _cat: skipped 1 bad record of" -- mpi 4 --partition-bytes 4K --on-error=skip '_cat' bad.ndjson
expect "skipped record's line" 0 "^mlmr: rank 3: _cat: skipped: bad.ndjson:1480: invalid JSON" -- \
  mpi 4 --partition-bytes 4K --on-error=skip '_cat' bad.ndjson

# SIGKILL of one rank: mpirun must end, non-zero, within seconds. The rank is killed once
# the job reads its input: every rank has passed MPI_Init then, and the slow stage has
# seconds of work left.
head -400 a.ndjson >slow.ndjson
mkdir in
mv slow.ndjson in/
WATCH_EVENTS=access watch_dir in
mpirun --oversubscribe -n 4 "$mlmr" --threads 1 --partition-bytes 2K '_slow --ms 30 | _pairs' in/slow.ndjson >/dev/null 2>kill.err &
job=$!
victim=
third_rank() {
  victim=$(ps --ppid $job -o pid=,comm= | awk '$2 == "mlmr" { print $1 }' | sed -n 3p)
  [ -n "$victim" ]
}
until_within 30 third_rank || { echo "FAIL: no third rank reading the input within 30 s"; kill -9 $job; exit 1; }
unwatch
start=$(date +%s)
kill -9 "$victim"
status=0
wait_within 15 $job || status=$?
took=$(($(date +%s) - start))
if [ $status -eq 124 ]; then
  echo "FAIL: mpirun still running 15 s after a rank was killed"; fail=1
elif [ $status -ne 0 ]; then
  echo "ok: a killed rank ends the job (status $status, ${took}s)"
else
  echo "FAIL: status 0 after a kill"; fail=1
fi
exit $fail
