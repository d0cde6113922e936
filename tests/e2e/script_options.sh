#!/usr/bin/env bash
# The shipped scripts answer like the programs: -h and --help print their usage on stdout and exit
# 0 (nothing on stderr); an unknown option is an error on stderr that names it, with status 2.
# Usage: script_options.sh BIN_DIR
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
root=${MLPIPE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
checked=0
for script in cron/mlpipe-cron.sh cron/mlpipe-retrain.sh slurm/mlmr.sbatch slurm/local-cluster.sh \
              train-argument-models.sh make-models.sh; do
  path=$root/scripts/$script
  for opt in -h --help; do
    status=0
    bash "$path" $opt >"$tmp/out" 2>"$tmp/err" || status=$?
    if [ $status -ne 0 ] || [ "$(wc -l <"$tmp/out")" -lt 3 ] || [ -s "$tmp/err" ]; then
      echo "FAIL: $script $opt: status $status, $(wc -l <"$tmp/out") lines on stdout, stderr: $(head -c 200 "$tmp/err")"
      fail=1
    fi
  done
  grep -qi 'usage\|^ *\(sbatch \|.*\.sh \)' "$tmp/out" || { echo "FAIL: $script --help shows no usage line"; fail=1; }
  status=0
  bash "$path" --no-such-option >"$tmp/out" 2>"$tmp/err" || status=$?
  if [ $status -ne 2 ] || ! grep -q -- '--no-such-option' "$tmp/err" || [ -s "$tmp/out" ]; then
    echo "FAIL: $script --no-such-option: status $status, stderr: $(head -c 200 "$tmp/err")"
    fail=1
  fi
  checked=$((checked + 1))
done
[ $fail -eq 0 ] && echo "script_options: $checked scripts answer -h, --help and an unknown option"
exit $fail
