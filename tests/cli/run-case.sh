#!/usr/bin/env bash
# Runs one command-line golden test: tests/cli/<tool>/<case>/ holds
#   cmd      the shell command, run in the case directory with the programs on PATH
#   stdin    (optional) its standard input
#   stdout   the exact expected standard output
#   stderr   (optional) the exact expected standard error
#   status   (optional) the expected exit status, default 0
# MLPIPE_UPDATE_GOLDEN=1 rewrites stdout/stderr/status from the actual run (review the diff!).
set -u
case_dir=$1
bin=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
export PATH="$bin:$PATH" SAMPLES="$root/data/samples" TESTDATA="$root/tests/data" LC_ALL=C.UTF-8
cd "$case_dir" || exit 1

out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
if [ -f stdin ]; then
  bash ./cmd <stdin >"$out" 2>"$err"
else
  bash ./cmd </dev/null >"$out" 2>"$err"
fi
status=$?

if [ "${MLPIPE_UPDATE_GOLDEN:-}" = 1 ]; then
  cp "$out" stdout
  if [ -s "$err" ] || [ -f stderr ]; then cp "$err" stderr; fi
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
if [ -f stderr ] && ! diff -u stderr "$err" >&2; then
  echo "stderr differs from $case_dir/stderr"
  fail=1
fi
if [ $fail -ne 0 ]; then
  echo "--- command:"; cat cmd
  echo "--- stderr:"; head -c 2000 "$err"
fi
exit $fail
