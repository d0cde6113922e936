#!/usr/bin/env bash
# Fuzzes the libFuzzer targets of fuzz/ one after the other, each for FUZZ_SECONDS (default
# 600), starting from its seed corpus and regressions, and prints per target the seconds it
# ran, its executions and whether it stayed clean.
#   usage: scripts/fuzz.sh BUILD_DIR [TARGET…]        (BUILD_DIR configured with -DMLPIPE_FUZZ=ON)
# Inputs that reach new code go to BUILD_DIR/fuzz-work/corpus/TARGET (never into the
# repository); a crash is written to BUILD_DIR/fuzz-work/crashes/TARGET/ and its log
# to BUILD_DIR/fuzz-work/TARGET.log. See docs/HACKING.md for turning it into a regression.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: scripts/fuzz.sh BUILD_DIR [TARGET…]}" && pwd)
shift
seconds=${FUZZ_SECONDS:-600}
work=$build/fuzz-work

# Inputs longer than this are not tried: records and small files, a whole model for the
# model parsers (seeds are cut to stay below it).
max_len() {
  case $1 in
    svm_file | model_text | xgboost_model) echo 32768 ;;
    stage_* | sentences | vocabulary | csv | libsvm_row) echo 8192 ;;
    *) echo 4096 ;;
  esac
}

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for f in "$root"/fuzz/*.cpp; do
    name=$(basename "$f" .cpp)
    [ "$name" = harness ] || targets+=("$name")
  done
fi

failed=0
printf '%-22s %8s %12s %9s  %s\n' target seconds executions "exec/s" result
for t in "${targets[@]}"; do
  bin=$build/fuzz/$t
  if [ ! -x "$bin" ]; then
    printf '%-22s %8s %12s %9s  %s\n' "$t" - - - "not built ($bin)"
    failed=1
    continue
  fi
  mkdir -p "$work/corpus/$t" "$work/crashes/$t"
  inputs=("$root/fuzz/corpus/$t")
  [ -d "$root/fuzz/regressions/$t" ] && inputs+=("$root/fuzz/regressions/$t")
  start=$(date +%s)
  "$bin" -max_total_time="$seconds" -max_len="$(max_len "$t")" -timeout=25 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$work/crashes/$t/" "$work/corpus/$t" "${inputs[@]}" \
    >"$work/$t.log" 2>&1
  status=$?
  ran=$(($(date +%s) - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log" | tail -1)
  execs=${execs:-0}
  rate=$((ran > 0 ? execs / ran : execs))
  if [ $status -eq 0 ]; then
    result=clean
  else
    failed=1
    crash=$(ls -t "$work/crashes/$t" 2>/dev/null | head -1)
    result="FAILED (status $status): $work/$t.log${crash:+, input $work/crashes/$t/$crash}"
  fi
  printf '%-22s %8s %12s %9s  %s\n' "$t" "$ran" "$execs" "$rate" "$result"
done
exit $failed
