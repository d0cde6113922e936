#!/usr/bin/env bash
# mltrain under mpirun: --grid, --compare and --cv on 1, 2 and 3 ranks print the same
# report and write the same model, sidecar and --oof, byte for byte, as a plain run (and
# with 2 threads per rank); standard input reaches rank 0; more ranks than trainings work;
# a bad record, a bad option and an error inside the trainings are reported once, with the
# plain run's exit status, and end every rank (each run is stopped after 120 s).
# Usage: mltrain.sh BIN_DIR
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
source "$(dirname "$0")/common.bash"
ldd "$bin/mltrain" | grep libmpi >/dev/null || { echo "skip: mltrain built without MPI"; exit 77; }
data=$root/tests/data/model
cd "$tmp"

# ranks N ARGS…: mltrain on N ranks; mpirun (and through it its ranks) ended after 120 s.
ranks() {
  local n=$1; shift
  timeout -k 5 120 mpirun --oversubscribe -n "$n" "$bin/mltrain" "$@"
}
# The seconds column of --compare's table is the one thing that may differ.
no_seconds() { sed -E '/^[0-9]+ /s/ +[0-9]+\.[0-9]+$//; s/  seconds$//'; }

# same WHAT ARGS…: a plain run writing plain.*, then 1, 2 and 3 ranks writing nN.*, the
# report, model, sidecar and out-of-fold file of each compared with the plain run's.
same() {
  local what=$1; shift
  "$bin/mltrain" --threads 1 "$@" -o plain.model --oof plain.oof | no_seconds >plain.out
  local n threads
  for n in 1 2 3; do
    for threads in 1 2; do
      [ "$n" = 1 ] && [ "$threads" = 2 ] && continue
      rm -f "n$n.model" "n$n.model.json" "n$n.oof"
      local status=0
      ranks "$n" --threads "$threads" "$@" -o "n$n.model" --oof "n$n.oof" 2>"n$n.err" | no_seconds >"n$n.out" ||
        status=${PIPESTATUS[0]}
      [ "$status" = 0 ] || { echo "FAIL: $what, $n ranks: status $status"; head -5 "n$n.err"; fail=1; continue; }
      check "$what, $n ranks x $threads threads: report" plain.out "n$n.out"
      check "$what, $n ranks x $threads threads: model" plain.model "n$n.model"
      check "$what, $n ranks x $threads threads: sidecar" plain.model.json "n$n.model.json"
      check "$what, $n ranks x $threads threads: --oof" plain.oof "n$n.oof"
    done
  done
}

same "--grid" --grid --grid-c -1:3:2 --grid-gamma -3:-1:1 --cv 3 "$data/iris.ndjson"
same "--compare" --compare --cv 3 "$data/cancer.ndjson"
same "--cv, calibrated, best-F1 threshold" --cv 5 --calibrate --threshold best-f1 "$data/cancer.ndjson"
same "--grid, linear (liblinear: serial trainings)" --grid --learner logistic --grid-c -3:3:1 --cv 4 \
  "$data/cancer.ndjson"
same "--cv, regression" --cv 5 --label y -s epsilon-svr -c 100 "$data/diabetes.ndjson"

# Standard input (mpirun gives it to rank 0 only).
"$bin/mltrain" --grid --grid-c 0:2:1 --grid-gamma -2:0:1 <"$data/iris.ndjson" >plain.out
ranks 2 --grid --grid-c 0:2:1 --grid-gamma -2:0:1 <"$data/iris.ndjson" >stdin.out 2>stdin.err
check "standard input, 2 ranks" plain.out stdin.out

# More ranks than trainings (2 folds on 4 ranks), and -o alone (no cross-validation to share).
"$bin/mltrain" --cv 2 -o plain.model "$data/iris.ndjson" >plain.out
ranks 4 --cv 2 -o many.model "$data/iris.ndjson" >many.out 2>many.err
check "4 ranks, 2 trainings: report" plain.out many.out
check "4 ranks, 2 trainings: model" plain.model many.model
"$bin/mltrain" -o plain.model "$data/iris.ndjson"
ranks 3 -o alone.model "$data/iris.ndjson" >alone.out 2>alone.err
check "-o only, 3 ranks: model" plain.model alone.model
[ -s alone.out ] && { echo "FAIL: -o only printed on stdout"; fail=1; }

# expect WHAT STATUS PATTERN ARGS…: on 3 ranks, the exit status of a plain run, one line
# of stderr matching, nothing on stdout, within the time limit.
expect() {
  local what=$1 want=$2 pattern=$3; shift 3
  local got=0 lines
  ranks 3 "$@" >out 2>err || got=$?
  lines=$(grep -c -- "$pattern" err || true)
  if [ "$got" -eq "$want" ] && [ "$lines" -eq 1 ] && [ ! -s out ]; then
    echo "ok: $what"
  else
    echo "FAIL: $what: status $got (want $want), $lines lines matching '$pattern' (want 1):"; head -5 err; fail=1
  fi
}
cp "$data/cancer.ndjson" bad.ndjson
sed -i '120s/.*/{"features": oops/' bad.ndjson
expect "bad record" 1 "^mltrain: error: bad.ndjson:120: " --grid --grid-c 0:1:1 --grid-gamma 0:1:1 bad.ndjson
expect "bad option" 2 "^mltrain: error: .*--bogus" --grid --bogus "$data/iris.ndjson"
expect "bad grid" 2 "^mltrain: error: --grid-c 'x'" --grid --grid-c x "$data/iris.ndjson"
expect "error inside the trainings" 2 "^mltrain: error: --weight cat: no class 'cat'" --weight cat=2 --cv 3 \
  "$data/cancer.ndjson"
ranks 2 --help >help.out 2>help.err
[ "$(grep -c '^Usage:' help.out)" = 1 ] && echo "ok: --help printed once" || { echo "FAIL: --help"; fail=1; }
exit $fail
