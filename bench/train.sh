#!/usr/bin/env bash
# mltrain against svm-train (and liblinear-train) on the same data and parameters:
# training time as a ratio, and test accuracy of each model (by svm-predict, so both are
# judged by the same reader). Then mltrain --grid on 1 and 2 threads.
# Data are synthetic (bench/model-data.py): dense rows with a non-linear boundary for
# RBF, sparse text-like rows for linear models.
# Usage: bench/train.sh BIN_DIR   (BENCH_RUNS runs each, median; svm-train's linear run once)
set -euo pipefail
bin=$(cd "${1:-build/bin}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
runs=${BENCH_RUNS:-5}
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v svm-train >/dev/null || { echo "svm-train not installed (libsvm-tools)"; exit 1; }
runs3=$((runs < 3 ? runs : 3))

"$py" "$here/model-data.py" dense "$work/dense" 6000 10 1
head -4000 "$work/dense.ndjson" >"$work/dtrain.ndjson"; head -4000 "$work/dense.libsvm" >"$work/dtrain.libsvm"
tail -2000 "$work/dense.libsvm" >"$work/dtest.libsvm"
"$py" "$here/model-data.py" rows "$work/sparse" 8000 20000 30 2
head -6000 "$work/sparse.ndjson" >"$work/strain.ndjson"; head -6000 "$work/sparse.libsvm" >"$work/strain.libsvm"
tail -2000 "$work/sparse.libsvm" >"$work/stest.libsvm"

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
secs() {  # N COMMAND…: median seconds of N runs
  local n=$1 i t0 t1
  shift
  for ((i = 0; i < n; i++)); do
    t0=$(date +%s.%N)
    "$@" >/dev/null
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l
  done | median
}
acc() { svm-predict "$1" "$2" /dev/null | sed -n 's/^Accuracy = \([0-9.]*\)%.*/\1%/p'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3gx (%.3g times as fast)", a / b, b / a}'; }
row() { printf '%-58s %10s %10s\n' "$@"; }

row "" "seconds" "test acc."
a=$(secs "$runs3" svm-train -q -c 1 -g 0.1 "$work/dtrain.libsvm" "$work/svm-rbf.model")
row "svm-train RBF C=1 g=0.1, 4,000 dense rows" "$(printf %.3f "$a")" "$(acc "$work/dtest.libsvm" "$work/svm-rbf.model")"
# --scale none: the model is judged by svm-predict, which reads no sidecar (and svm-train does not scale).
b=$(secs "$runs3" "$bin/mltrain" --scale none -c 1 -g 0.1 -o "$work/ml-rbf.model" "$work/dtrain.ndjson")
row "mltrain RBF C=1 g=0.1 --scale none, same rows (NDJSON)" "$(printf %.3f "$b")" "$(acc "$work/dtest.libsvm" "$work/ml-rbf.model")"
c=$(secs 1 svm-train -q -t 0 "$work/strain.libsvm" "$work/svm-lin.model")
row "svm-train linear C=1, 6,000 sparse rows (once)" "$(printf %.3f "$c")" "$(acc "$work/stest.libsvm" "$work/svm-lin.model")"
d=$(secs "$runs3" "$bin/mltrain" -t linear -o "$work/ml-lin.model" "$work/strain.ndjson")
row "mltrain linear C=1 (--solver auto: liblinear), same rows" "$(printf %.3f "$d")" "$(acc "$work/stest.libsvm" "$work/ml-lin.model")"
e=$(secs "$runs3" liblinear-train -q -B 1 "$work/strain.libsvm" "$work/ll.model")
row "liblinear-train -B 1 (L2-loss dual), same rows" "$(printf %.3f "$e")" "$(liblinear-predict "$work/stest.libsvm" "$work/ll.model" /dev/null | sed -n 's/^Accuracy = \([0-9.]*\)%.*/\1%/p')"
head -2000 "$work/dtrain.ndjson" >"$work/grid.ndjson"
g1=$(secs 1 "$bin/mltrain" --threads 1 --grid --grid-c -1:5:2 --grid-gamma -5:-1:2 "$work/grid.ndjson")
g2=$(secs 1 "$bin/mltrain" --threads 2 --grid --grid-c -1:5:2 --grid-gamma -5:-1:2 "$work/grid.ndjson")
row "mltrain --grid (12 points x 5 folds, 2,000 rows), 1 thread" "$(printf %.3f "$g1")" ""
row "mltrain --grid, same, 2 threads" "$(printf %.3f "$g2")" ""
echo "ratios (time):"
echo "  mltrain vs svm-train, RBF:                 $(ratio "$b" "$a") (same solver; NDJSON parsing included)"
echo "  mltrain (liblinear) vs svm-train, linear:  $(ratio "$d" "$c")"
echo "  mltrain --grid, 2 threads vs 1:            $(ratio "$g2" "$g1")"
