#!/usr/bin/env bash
# mlclassify against its peers on the same models and rows, as ratios of rows/s:
#  - svm-predict on a linear model with 30,000 support vectors (mlclassify collapses it to
#    one weight vector at load; target >= 100x), and the paper's Test 3: prediction time
#    for linear models with 7k, 18k and 30k support vectors;
#  - liblinear's predict and scikit-learn on the same linear model (collapsed);
#  - svm-predict on an RBF model (target >= 1.5x on one thread; 2 threads).
# Models and rows are synthetic (bench/model-data.py): sparse rows like hashed text.
# Usage: bench/classify.sh BIN_DIR   (BENCH_RUNS runs each, median)
set -euo pipefail
bin=$(cd "${1:-build/bin}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
runs=${BENCH_RUNS:-5}
py=/usr/bin/python3
dim=65536 nnz=30
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v svm-predict >/dev/null || { echo "svm-predict not installed (libsvm-tools)"; exit 1; }

gen() { "$py" "$here/model-data.py" "$@"; }
gen rows "$work/big" 200000 $dim $nnz 1      # mlclassify, liblinear, sklearn
head -200 "$work/big.libsvm" >"$work/small.libsvm"   # svm-predict on linear models: slow
head -200 "$work/big.ndjson" >"$work/small.ndjson"
head -1000 "$work/big.libsvm" >"$work/rbf-small.libsvm"
head -10000 "$work/big.ndjson" >"$work/rbf.ndjson"
for n in 7000 18000 30000; do gen svm "$work/linear$n.model" linear $n $dim $nnz $n; done
gen svm "$work/rbf.model" rbf 2000 $dim $nnz 3
gen liblinear "$work/linear30000.model" "$work/linear30000.liblinear" $dim

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"  # median
secs() {  # median seconds of a command (its output to /dev/null)
  local i t0 t1
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s.%N)
    "$@" >/dev/null
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l
  done | median
}
rate() { awk -v n="$1" -v s="$2" 'BEGIN {printf "%.0f", n / s}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1fx", a / b}'; }
row() { printf '%-62s %10s %12s\n' "$@"; }

echo "rows: sparse, $nnz of $dim features; linear models: collapsed by mlclassify at load"
row "" "seconds" "rows/s"

# --- linear, 30k SVs: svm-predict on 200 rows (it takes ~10 ms a row), the others on 200,000
sp=$(secs svm-predict "$work/small.libsvm" "$work/linear30000.model" /dev/null)
sp_rate=$(rate 200 "$sp")
row "svm-predict, linear 30k SV, 200 rows" "$sp" "$sp_rate"
ml=$(secs "$bin/mlclassify" --threads 1 -m m="$work/linear30000.model" "$work/big.ndjson")
ml_rate=$(rate 200000 "$ml")
row "mlclassify --threads 1, linear 30k SV, 200,000 rows" "$ml" "$ml_rate"
ml2=$(secs "$bin/mlclassify" --threads 2 -m m="$work/linear30000.model" "$work/big.ndjson")
row "mlclassify --threads 2, linear 30k SV, 200,000 rows" "$ml2" "$(rate 200000 "$ml2")"
ll=$(secs liblinear-predict "$work/big.libsvm" "$work/linear30000.liblinear" /dev/null)
ll_rate=$(rate 200000 "$ll")
row "liblinear predict, same model collapsed, 200,000 rows" "$ll" "$ll_rate"
read -r sk_load sk_pred < <("$py" - "$work/big.libsvm" "$work/linear30000.liblinear.npy" "$runs" <<'PY'
import statistics, sys, time
import numpy as np
from sklearn.datasets import load_svmlight_file
from sklearn.svm import LinearSVC
path, wpath, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
w = np.load(wpath)
loads, preds = [], []
for _ in range(max(1, runs // 2)):
    t0 = time.perf_counter()
    X, y = load_svmlight_file(path, n_features=len(w) - 1)
    t1 = time.perf_counter()
    clf = LinearSVC()
    clf.coef_, clf.intercept_, clf.classes_ = w[None, :-1], np.array([w[-1]]), np.array([-1, 1])
    clf.predict(X)
    t2 = time.perf_counter()
    loads.append(t1 - t0)
    preds.append(t2 - t1)
print(statistics.median(loads), statistics.median(preds))
PY
)
sk_all=$(echo "$sk_load + $sk_pred" | bc -l)
row "scikit-learn LinearSVC.predict (same w), load + predict" "$(printf %.3f "$sk_all")" "$(rate 200000 "$sk_all")"
row "scikit-learn LinearSVC.predict alone (rows in memory)" "$(printf %.3f "$sk_pred")" "$(rate 200000 "$sk_pred")"

# Labels agree with svm-predict's.
svm-predict "$work/small.libsvm" "$work/linear30000.model" "$work/theirs" >/dev/null
"$bin/mlclassify" -m m="$work/linear30000.model" "$work/small.ndjson" | jq -r 'if .scores.m > 0 then 1 else -1 end' >"$work/ours"
agree=$(paste "$work/theirs" "$work/ours" | awk '$1 == $2' | wc -l)

# --- RBF, 2,000 SVs: svm-predict on 1,000 rows, mlclassify on 10,000
rs=$(secs svm-predict "$work/rbf-small.libsvm" "$work/rbf.model" /dev/null)
r1=$(secs "$bin/mlclassify" --threads 1 -m m="$work/rbf.model" "$work/rbf.ndjson")
r2=$(secs "$bin/mlclassify" --threads 2 -m m="$work/rbf.model" "$work/rbf.ndjson")
rs_rate=$(rate 1000 "$rs") r1_rate=$(rate 10000 "$r1") r2_rate=$(rate 10000 "$r2")
row "svm-predict, RBF 2k SV, 1,000 rows" "$rs" "$rs_rate"
row "mlclassify --threads 1, RBF 2k SV, 10,000 rows" "$r1" "$r1_rate"
row "mlclassify --threads 2, RBF 2k SV, 10,000 rows" "$r2" "$r2_rate"

# --- Test 3: time to predict 2,000 rows (model load included) against #SV
echo
echo "Test 3 (prediction time, 200 rows, load included; median of $runs):"
printf '%-12s %14s %14s %10s\n' "SVs" "svm-predict s" "mlclassify s" "ratio"
for n in 7000 18000 30000; do
  a=$(secs svm-predict "$work/small.libsvm" "$work/linear$n.model" /dev/null)
  b=$(secs "$bin/mlclassify" --threads 1 -m m="$work/linear$n.model" "$work/small.ndjson")
  printf '%-12s %14.3f %14.3f %10s\n' "$n" "$a" "$b" "$(ratio "$a" "$b")"
done

echo
echo "ratios (rows/s):"
echo "  mlclassify vs svm-predict, linear 30k SV: $(ratio "$ml_rate" "$sp_rate") (target >= 100x); labels agree on $agree/200"
echo "  mlclassify vs liblinear predict:          $(ratio "$ml_rate" "$ll_rate")"
echo "  mlclassify vs scikit-learn load+predict:  $(ratio "$ml_rate" "$(rate 200000 "$sk_all")")"
echo "  mlclassify vs svm-predict, RBF, 1 thread: $(ratio "$r1_rate" "$rs_rate") (target >= 1.5x); 2 threads: $(ratio "$r2_rate" "$rs_rate")"
