#!/usr/bin/env bash
# Runs one command-line golden test: tests/cli/<tool>/<case>/ holds
#   cmd      the shell command, run in the case directory with the programs on PATH
#   stdin    (optional) its standard input
#   stdout   the exact expected standard output
#   stderr   the exact expected standard error: an empty file when the case prints nothing
#            there. Required, so that no case can pass while its messages change unseen.
#   status   (optional) the expected exit status, default 0
# Each case gets a TMPDIR of its own (mktemp -d makes its directories there), removed
# afterwards. Paths under it are not the same from one run to the next, so in both outputs
# a directory made by mktemp -d reads TMP and TMPDIR itself reads TMPDIR: a message naming a
# temporary file is compared as it would read to the user, less the random part.
# MLPIPE_UPDATE_GOLDEN=1 rewrites stdout/stderr/status from the actual run (review the diff!).
set -euo pipefail
case_dir=$1
bin=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
export PATH="$bin:$PATH" SAMPLES="$root/data/samples" TESTDATA="$root/tests/data" LC_ALL=C.UTF-8
cd "$case_dir"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$work/stdout err=$work/stderr
export TMPDIR=$work/tmp
mkdir "$TMPDIR"
status=0
if [ -f stdin ]; then
  bash ./cmd <stdin >"$out" 2>"$err" || status=$?
else
  bash ./cmd </dev/null >"$out" 2>"$err" || status=$?
fi

# The fixed names for the temporary paths (see above); "." in a path matches itself too.
normalise() {
  sed -e "s|$TMPDIR/tmp\.[A-Za-z0-9]\{10\}|TMP|g" -e "s|$TMPDIR|TMPDIR|g" "$1" >"$1.n"
  mv "$1.n" "$1"
}
normalise "$out"
normalise "$err"

if [ "${MLPIPE_UPDATE_GOLDEN:-}" = 1 ]; then
  cp "$out" stdout
  cp "$err" stderr
  if [ "$status" -ne 0 ]; then echo "$status" >status; else rm -f status; fi
  exit 0
fi

fail=0
want_status=0
[ -f status ] && want_status=$(cat status)
if [ "$status" != "$want_status" ]; then
  echo "exit status $status, expected $want_status"
  fail=1
fi
if ! diff -u stdout "$out" >&2; then
  echo "stdout differs from $case_dir/stdout"
  fail=1
fi
if [ ! -f stderr ]; then
  echo "no $case_dir/stderr: every case says what it prints on stderr (an empty file for nothing);"
  echo "MLPIPE_UPDATE_GOLDEN=1 writes it from the run"
  fail=1
elif ! diff -u stderr "$err" >&2; then
  echo "stderr differs from $case_dir/stderr"
  fail=1
fi
if [ $fail -ne 0 ]; then
  echo "--- command:"; cat cmd
  echo "--- stderr:"; head -c 2000 "$err"
fi
exit $fail
