#!/usr/bin/env bash
# mlclassify --reload: how soon a running stream uses a model renamed into place, and what
# following the files costs a stream that never changes model.
#  - switch latency: time from the rename to the first output record scored by the new model
#    (median, min, max of BENCH_SWITCHES switches, default 9), for a paced stream (one record
#    per ms, --line-buffered) and a flooded one (records as fast as they are taken);
#  - throughput of --reload against none on 500,000 rows (--threads 1), as a ratio, with
#    default batches and with --line-buffered (a batch per record: the most looks at the files).
# Usage: bench/reload.sh BIN_DIR   (BENCH_RUNS runs each, median)
set -euo pipefail
bin=$(cd "${1:-build/bin}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
runs=${BENCH_RUNS:-5}
switches=${BENCH_SWITCHES:-9}
py=/usr/bin/python3
dim=65536 nnz=30 n=500000
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$py" "$here/model-data.py" rows "$work/rows" $n $dim $nnz 1
"$py" "$here/model-data.py" svm "$work/a.model" linear 2000 $dim $nnz 2
"$py" "$here/model-data.py" svm "$work/b.model" linear 2000 $dim $nnz 3

row() { printf '%-58s %12s %12s\n' "$@"; }
echo "switch latency, rename -> first record scored by the new model ($switches switches; ms)"
row "" "median" "min-max"
for mode in paced flood; do
  read -r med lo hi < <("$py" "$here/reload.py" "$bin/mlclassify" "$work/a.model" "$work/b.model" "$work/rows.ndjson" \
    "$switches" $mode)
  case $mode in
    paced) what="paced stream, 1 record/ms, --line-buffered" ;;
    flood) what="flooded stream, default batches" ;;
  esac
  row "$what" "$med" "$lo-$hi"
done

echo
echo "throughput on $n rows, --threads 1 (wall s, median of $runs; runs alternate, the machine is shared)"
row "" "seconds" "rows/s"
. "$here/lib.sh"  # median
rate() { awk -v n="$n" -v s="$1" 'BEGIN {printf "%.0f", n / s}'; }
once() {  # seconds of one run of mlclassify with these options
  local t0 t1
  t0=$(date +%s.%N)
  "$bin/mlclassify" --threads 1 "$@" -m m="$work/a.model" "$work/rows.ndjson" >/dev/null
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
for lb in "" "--line-buffered"; do
  : >"$work/base" && : >"$work/rel"
  for ((i = 0; i < runs; i++)); do
    # shellcheck disable=SC2086
    once $lb >>"$work/base"
    # shellcheck disable=SC2086
    once --reload $lb >>"$work/rel"
  done
  base=$(median <"$work/base") rel=$(median <"$work/rel")
  row "mlclassify ${lb:-(default batches)}" "$(printf %.3f "$base")" "$(rate "$base")"
  row "mlclassify --reload ${lb:-(default batches)}" "$(printf %.3f "$rel")" "$(rate "$rel")"
  row "  rows/s with --reload / without" "$(awk -v a="$base" -v b="$rel" 'BEGIN {printf "%.3f", a / b}')" ""
done
