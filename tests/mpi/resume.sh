#!/usr/bin/env bash
# -o DIR --resume: a run killed with SIGKILL, or stopped by SIGUSR1 (Slurm's warning signal),
# leaves committed partitions; a rerun with --resume skips them and ends with the same
# output as an uninterrupted run. With and without a keyed stage. A job is signalled once the
# files it has committed say it is far enough: the test watches its directory and looks again
# at each file the job writes.
# Usage: resume.sh BIN_DIR
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
source "$(dirname "$0")/common.bash"
source "$root/tests/lib/wait.bash"
make_inputs
cd "$tmp"
head -400 a.ndjson >in.ndjson
opts=(--threads 1 --partition-bytes 2K)

# Partitions committed in out/: pre-NNNNN files before the keyed stage, else the lines of
# the part files' journals.
committed() {
  if [ "$kind" = keyed ]; then { ls out/_work/pre-* 2>/dev/null || true; } | { grep -vc '\.tmp\.' || true; }
  else { cat out/_work/journal-* 2>/dev/null || true; } | { grep -c . || true; }; fi
}
at_least() { [ "$("$2")" -ge "$1" ]; }  # at_least N COUNT: the count COUNT prints is N or more
# start COMMAND…: the job in the background (job), the test's directory watched (its
# node-local scratch left out).
start() {
  watch_dir "$tmp" '/scratch(/|$)'
  "$@" &
  job=$!
}
# Waits until at least N partitions are committed (at most 20 s).
wait_for() { until_within 20 at_least "$1" committed; }
# finish: the job's exit status in $status; the directory no longer watched.
finish() {
  unwatch
  status=0
  wait $job || status=$?
}

for pipeline in '_slow --ms 25 | _model -m model.txt' '_slow --ms 25 | _pairs --key doc | _model -m model.txt'; do
  case $pipeline in *_pairs*) kind=keyed ;; *) kind=stateless ;; esac
  mpi 2 "${opts[@]}" -o full/ "$pipeline" in.ndjson || { echo "FAIL: uninterrupted run"; fail=1; }
  cat full/part-* >expected

  # SIGKILL of a rank once some partitions are committed.
  rm -rf out
  start mpirun --oversubscribe -n 2 "$mlmr" "${opts[@]}" -o out/ "$pipeline" in.ndjson 2>/dev/null
  wait_for 2 || echo "note: nothing committed before the kill"
  victim=$(ps --ppid $job -o pid=,comm= | awk '$2 == "mlmr" { print $1 }' | sed -n 2p)
  kill -9 "$victim"
  finish
  [ $status -ne 0 ] || { echo "FAIL: $kind: killed run exited 0"; fail=1; }
  [ -e out/_SUCCESS ] && { echo "FAIL: $kind: _SUCCESS after a killed run"; fail=1; }
  before=$(committed)
  mpi 2 "${opts[@]}" -o out/ --resume --stats "$pipeline" in.ndjson 2>stats || { echo "FAIL: $kind: resumed run"; fail=1; }
  skipped=$(sed -n 's/.*(skipped \([0-9]*\)).*/\1/p' stats | paste -sd+ | bc)
  cat out/part-* >got
  check "$kind: resumed after SIGKILL = uninterrupted ($before partitions committed, $skipped skipped)" expected got
  [ "$skipped" -ge 1 ] && [ "$skipped" -eq "$before" ] || { echo "FAIL: $kind: skipped $skipped of $before committed"; fail=1; }
  ls out | grep -q '\.tmp\.' && { echo "FAIL: $kind: temporary files left"; fail=1; }
  [ "$(ls out | grep -c '^part-')" = 2 ] || { echo "FAIL: $kind: not one part file per rank: $(ls out)"; fail=1; }

  # SIGUSR1 (forwarded by mpirun to every rank): finish the partition, commit, exit 75.
  rm -rf out
  start mpirun --oversubscribe -n 2 "$mlmr" "${opts[@]}" -o out/ "$pipeline" in.ndjson 2>usr1.err
  wait_for 2 || echo "note: nothing committed before the signal"
  kill -USR1 $job
  finish
  if [ $status -eq 75 ] && grep -q "rerun with --resume" usr1.err; then
    echo "ok: $kind: SIGUSR1 stops with status 75"
  else
    echo "FAIL: $kind: SIGUSR1: status $status"; cat usr1.err; fail=1
  fi
  mpi 2 "${opts[@]}" -o out/ --resume "$pipeline" in.ndjson || { echo "FAIL: $kind: resume after SIGUSR1"; fail=1; }
  cat out/part-* >got
  check "$kind: resumed after SIGUSR1 = uninterrupted" expected got
  [ -e out/_SUCCESS ] && [ ! -e out/_work ] || { echo "FAIL: $kind: no _SUCCESS or _work left"; fail=1; }
  rm -rf full out
done

# -o FILE: the parts wait in FILE.mlmr/ and resume like -o DIR/; FILE appears only when complete.
pipeline='_slow --ms 25 | _pairs --key doc | _model -m model.txt'
mpi 2 "${opts[@]}" -o full/ "$pipeline" in.ndjson
cat full/part-* >expected
rm -rf links.ndjson links.ndjson.mlmr
start mpirun --oversubscribe -n 2 "$mlmr" "${opts[@]}" -o links.ndjson "$pipeline" in.ndjson 2>usr1.err
file_pre() { { ls links.ndjson.mlmr/_work 2>/dev/null || true; } | { grep -c '^pre-[0-9]*$' || true; }; }
until_within 20 at_least 2 file_pre || echo "note: nothing committed before the signal"
kill -USR1 $job
finish
[ $status -eq 75 ] && [ ! -e links.ndjson ] && echo "ok: -o FILE: stopped with 75, no FILE yet" ||
  { echo "FAIL: -o FILE: SIGUSR1: status $status, $(ls)"; fail=1; }
mpi 2 "${opts[@]}" -o links.ndjson --resume --stats "$pipeline" in.ndjson 2>stats || { echo "FAIL: -o FILE: resumed run"; fail=1; }
check "-o FILE: resumed after SIGUSR1 = uninterrupted" expected links.ndjson
grep -q "(skipped [1-9]" stats && echo "ok: -o FILE: committed partitions skipped" || { echo "FAIL: -o FILE: nothing skipped"; fail=1; }
[ ! -e links.ndjson.mlmr ] || { echo "FAIL: -o FILE: parts directory left"; fail=1; }
rm -rf full links.ndjson

# SIGUSR1 once every partition is through phase A and both ranks have begun their part files
# in the keyed phase: the keyed stage's groups not yet begun are left out, no part file is
# committed, and --resume redoes the keyed phase.
pipeline='_cat | _pairs --key doc | _slow --ms 2'
mpi 2 "${opts[@]}" -o full/ "$pipeline" in.ndjson
cat full/part-* >expected
parts=$(grep -c '^partition' full/_manifest)
rm -rf out
start mpirun --oversubscribe -n 2 "$mlmr" "${opts[@]}" -o out/ "$pipeline" in.ndjson 2>usr1.err
kind=keyed
parts_begun() { { ls out 2>/dev/null || true; } | { grep -c '^part-' || true; }; }
until_within 30 at_least 2 parts_begun || { echo "FAIL: the keyed phase did not begin within 30 s"; fail=1; }
t0=$(date +%s.%N)
kill -USR1 $job
finish
took=$(echo "$(date +%s.%N) - $t0" | bc)
if [ $status -eq 75 ] && ! ls out/part-* >/dev/null 2>&1 && [ "$(echo "$took < 5" | bc)" = 1 ]; then
  echo "ok: SIGUSR1 in the keyed phase stops it at once ($(printf '%.1f' "$took") s), nothing committed"
else
  echo "FAIL: SIGUSR1 in the keyed phase: status $status after $took s, $(ls out)"; cat usr1.err; fail=1
fi
mpi 2 "${opts[@]}" -o out/ --resume "$pipeline" in.ndjson || { echo "FAIL: resume of a stopped keyed phase"; fail=1; }
cat out/part-* >got
check "keyed phase stopped, resumed = uninterrupted" expected got
rm -rf full out

# Part files are per rank: without a keyed stage, a resume must use the same number of ranks;
# with one (the part files are written at the end), any number.
rm -rf out
start mpirun --oversubscribe -n 2 "$mlmr" "${opts[@]}" -o out/ '_slow --ms 25 | _model -m model.txt' in.ndjson 2>/dev/null
kind=stateless wait_for 1 || echo "note: nothing committed before the signal"
kill -USR1 $job
finish
if mpi 3 "${opts[@]}" -o out/ --resume '_slow --ms 25 | _model -m model.txt' in.ndjson 2>err; then
  echo "FAIL: resumed a 2-rank run on 3 ranks"; fail=1
else
  grep -q "was written by 2 ranks" err && echo "ok: another rank count refused without a keyed stage" || { cat err; fail=1; }
fi
rm -rf out
pipeline='_slow --ms 25 | _pairs --key doc | _model -m model.txt'
mpi 2 "${opts[@]}" -o full/ "$pipeline" in.ndjson
cat full/part-* >expected
start mpirun --oversubscribe -n 3 "$mlmr" "${opts[@]}" -o out/ "$pipeline" in.ndjson 2>/dev/null
kind=keyed wait_for 2 || echo "note: nothing committed before the signal"
kill -USR1 $job
finish
mpi 2 "${opts[@]}" -o out/ --resume "$pipeline" in.ndjson || { echo "FAIL: keyed: 3-rank run resumed on 2"; fail=1; }
cat out/part-* >got
check "keyed: a 3-rank run resumed on 2 ranks = uninterrupted" expected got
[ "$(ls out | grep -c '^part-')" = 2 ] || { echo "FAIL: keyed: stale part files: $(ls out)"; fail=1; }

# SIGTERM and SIGINT (Ctrl-C) stop a job as SIGUSR1 does, with the resume hint: under mpirun,
# which passes both on as SIGTERM and then exits 1 whatever the ranks returned (Open MPI 4.1);
# without a launcher, mlmr itself ends with 75.
# Waits (at most 20 s) until -o links.ndjson has committed two partitions.
file_journal() { { cat links.ndjson.mlmr/_work/journal-* 2>/dev/null || true; } | { grep -c . || true; }; }
wait_for_file_parts() { until_within 20 at_least 2 file_journal || echo "note: nothing committed before the signal"; }
pipeline='_slow --ms 25 | _model -m model.txt'
mpi 2 "${opts[@]}" -o full/ "$pipeline" in.ndjson
cat full/part-* >expected
for sig in TERM INT; do
  rm -rf links.ndjson links.ndjson.mlmr
  start mpirun --oversubscribe -n 2 "$mlmr" "${opts[@]}" -o links.ndjson "$pipeline" in.ndjson 2>sig.err
  wait_for_file_parts
  kill -$sig $job
  finish
  if [ $status -ne 0 ] && [ ! -e links.ndjson ] && grep -q "rerun with --resume" sig.err; then
    echo "ok: SIG$sig to mpirun: stopped (status $status) with the resume hint"
  else
    echo "FAIL: SIG$sig to mpirun: status $status, $(ls)"; cat sig.err; fail=1
  fi
  mpi 2 "${opts[@]}" -o links.ndjson --resume "$pipeline" in.ndjson || { echo "FAIL: resume after SIG$sig"; fail=1; }
  check "resumed after SIG$sig = uninterrupted" expected links.ndjson
done
rm -rf links.ndjson links.ndjson.mlmr
start timeout 60 "$mlmr" "${opts[@]}" -o links.ndjson "$pipeline" in.ndjson 2>sig.err
wait_for_file_parts
kill -INT $job
finish
[ $status -eq 75 ] && grep -q "rerun with --resume" sig.err && echo "ok: SIGINT without a launcher: status 75 and the hint" ||
  { echo "FAIL: SIGINT without a launcher: status $status"; cat sig.err; fail=1; }
rm -rf full links.ndjson links.ndjson.mlmr

# --resume on another pipeline's directory is refused.
mpi 2 -o other/ '_cat' in.ndjson
rm other/_SUCCESS
if mpi 2 -o other/ --resume '_cat | _cat' in.ndjson 2>err; then
  echo "FAIL: resumed another pipeline's run"; fail=1
else
  grep -q "holds a run of another pipeline" err && echo "ok: another pipeline's directory refused" || { cat err; fail=1; }
fi
exit $fail
