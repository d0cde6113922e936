#!/usr/bin/env bash
# libsvm's tools predict what mlclassify predicts from a model mltrain wrote with scaling:
#   svm-scale -r MODEL.range ROWS | svm-predict /dev/stdin MODEL OUT
# gives mlclassify --format libsvm's labels on every row, for each kernel and each --scale,
# on binary, multi-class, regression and sparse non-negative rows. Linear models fold their
# scaling into the weights and models without scaling need none: they get no range file, and
# svm-predict reads the raw rows. svm-scale prints scaled values with 6 significant digits;
# each case also says how far that moves the decision values (max |Δd|) against the decision
# value nearest to 0 (min |d|) for binary classifiers: a label can only differ when the
# first reaches the second. Regression values agree to 1e-4 of the largest.
# Argument 1: the directory of the programs. Exit 77: skipped (no libsvm-tools or jq).
set -euo pipefail
bin=$1
root=${MLPIPE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
data=$root/tests/data/model
command -v svm-scale >/dev/null && command -v svm-predict >/dev/null || { echo "libsvm-tools not installed"; exit 77; }
command -v jq >/dev/null || { echo "jq not installed"; exit 77; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0

cp "$data/cancer.libsvm" "$data/iris.libsvm" "$data/diabetes.libsvm" "$t/"
# Sparse, non-negative, in large units: only the positive values of cancer, times 1000.
awk '{ printf "%s", $1; for (i = 2; i <= NF; i++) { split($i, a, ":"); if (a[2] > 0) printf " %s:%g", a[1], a[2] * 1000 } print "" }' \
  "$data/cancer.libsvm" >"$t/sparse.libsvm"

check() {  # SET KERNEL SCALE [MLTRAIN-ARGS...]
  local set=$1 kernel=$2 scale=$3
  shift 3
  local name="$set $kernel --scale $scale" rows=$t/$set.libsvm m=$t/m.model
  rm -f "$m" "$m.json" "$m.range"
  "$bin/mltrain" --format libsvm -t "$kernel" --scale "$scale" "$@" -o "$m" "$rows" 2>"$t/train.err" ||
    { echo "FAIL: $name: mltrain"; cat "$t/train.err"; fail=1; return; }
  local regression=
  grep -q '^svm_type \(epsilon\|nu\)_svr' "$m" && regression=1
  # Ours: labels (values for regression), and decision values (scores).
  "$bin/mlclassify" --format libsvm --accuracy --label-out p -m m="$m" --drop-features "$rows" \
    >"$t/ours.ndjson" 2>"$t/ours.acc"
  if [ -n "$regression" ]; then jq -r '.scores.m' "$t/ours.ndjson" >"$t/ours"; else jq -r '.p.m' "$t/ours.ndjson" >"$t/ours"; fi
  # Theirs: through the range file when there is one; svm-predict's summary kept apart.
  local scaled=$rows
  if [ -f "$m.range" ]; then
    scaled=$t/scaled.libsvm
    svm-scale -r "$m.range" "$rows" >"$scaled" 2>/dev/null
  elif [ "$kernel" != linear ] && [ "$scale" != none ]; then
    echo "FAIL: $name: no range file beside a kernel model with scaling"; fail=1; return
  fi
  svm-predict "$scaled" "$m" "$t/theirs" >"$t/theirs.acc"
  local bad
  if [ -n "$regression" ]; then
    # Values, not labels: within 1e-4 of the largest (svm-scale's rounding, times the coefficients).
    bad=$(paste "$t/theirs" "$t/ours" | awk '{ d[NR] = $1 - $2; a = $1 < 0 ? -$1 : $1; if (a > top) top = a }
      END { if (top < 1) top = 1; for (i in d) if (d[i] > 1e-4 * top || -d[i] > 1e-4 * top) n++; print n + 0 }')
  else
    bad=$(paste "$t/theirs" "$t/ours" | awk '$1 != $2 { n++ } END { print n + 0 }')
  fi
  local rows_n
  rows_n=$(wc -l <"$t/theirs")
  # The cost of svm-scale's %g, for binary classifiers: the model without its sidecar on
  # svm-scale's rows against the model on the raw rows, decision values.
  local note=""
  if [ "$scaled" != "$rows" ] && [ -z "$regression" ] && grep -q '^nr_class 2$' "$m"; then
    mkdir -p "$t/bare" && cp "$m" "$t/bare/m.model"
    "$bin/mlclassify" --format libsvm -m m="$t/bare/m.model" --drop-features "$scaled" | jq -r '.scores.m' >"$t/bare.d"
    jq -r '.scores.m' "$t/ours.ndjson" >"$t/ours.d"
    note=$(paste "$t/bare.d" "$t/ours.d" | awk '{ d = $1 - $2; if (d < 0) d = -d; if (d > dmax) dmax = d;
      a = $2 < 0 ? -$2 : $2; if (NR == 1 || a < amin) amin = a } END { printf ", max |Δd| %.2g, min |d| %.2g", dmax, amin }')
  fi
  # --accuracy prints svm-predict's own lines (classification: the same line exactly).
  if [ -z "$regression" ] && ! diff -q "$t/theirs.acc" "$t/ours.acc" >/dev/null; then
    echo "FAIL: $name: --accuracy says '$(cat "$t/ours.acc")', svm-predict '$(cat "$t/theirs.acc")'"; fail=1
  fi
  if [ "$bad" != 0 ]; then
    echo "FAIL: $name: $bad of $rows_n rows differ"; fail=1
  else
    echo "ok: $name: $rows_n/$rows_n agree$([ -f "$m.range" ] && echo " (range file)")$note; $(head -1 "$t/ours.acc")"
  fi
}

for kernel in linear poly rbf sigmoid; do
  for scale in auto standard minmax none; do
    check cancer "$kernel" "$scale"
    check iris "$kernel" "$scale" -c 10
    check sparse "$kernel" "$scale"
    check diabetes "$kernel" "$scale" -s epsilon-svr -c 100
  done
done
exit $fail
