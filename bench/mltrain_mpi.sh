#!/usr/bin/env bash
# mltrain --grid spread over MPI ranks: the same RBF grid search (C × gamma, 5 folds) on 1
# rank and on 2 ranks of 1 thread each, wall time (median of BENCH_RUNS, at most 3) and the
# ratio; the two reports must be byte-identical.
#
# Data: scikit-learn's handwritten digits (1,797 rows × 64 pixels, 10 classes; BSD
# licence), from the Debian python3-sklearn package, as NDJSON {"x":[…],"label":N}.
# Grid: log2 C -1:9:2 × log2 gamma -13:-5:2 (30 points, 150 trainings), overridable with
# MLTRAIN_MPI_GRID_C / MLTRAIN_MPI_GRID_GAMMA.
#
# Usage: bench/mltrain_mpi.sh BIN_DIR
set -euo pipefail
bin=$(cd "${1:-build/bin}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
runs=${BENCH_RUNS:-3}
runs=$((runs < 3 ? runs : 3))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
command -v mpirun >/dev/null || { echo "bench mltrain_mpi: no mpirun"; exit 1; }
ldd "$bin/mltrain" | grep -q libmpi || { echo "bench mltrain_mpi: mltrain built without MPI"; exit 1; }
digits=/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz
[ -f "$digits" ] || { echo "bench mltrain_mpi: no $digits (Debian python3-sklearn)"; exit 1; }

/usr/bin/python3 - "$digits" "$work/digits.ndjson" <<'PY'
import gzip, json, sys
with gzip.open(sys.argv[1], "rt") as f, open(sys.argv[2], "w") as out:
    for line in f:
        v = [int(c) for c in line.strip().split(",")]
        out.write(json.dumps({"x": v[:-1], "label": v[-1]}, separators=(",", ":")) + "\n")
PY

grid=(--grid --cv 5 --grid-c "${MLTRAIN_MPI_GRID_C:--1:9:2}" --grid-gamma "${MLTRAIN_MPI_GRID_GAMMA:--13:-5:2}")
secs() {  # OUT COMMAND…: median wall seconds of $runs runs; the last run's report in OUT
  local out=$1 i t0 t1
  shift
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s.%N)
    "$@" >"$out"
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l
  done | median
}
# --bind-to none: the ranks' threads are placed by the kernel, as a plain run's are.
one=$(secs "$work/one.out" mpirun --bind-to none -n 1 "$bin/mltrain" --threads 1 "${grid[@]}" "$work/digits.ndjson")
two=$(secs "$work/two.out" mpirun --bind-to none -n 2 "$bin/mltrain" --threads 1 "${grid[@]}" "$work/digits.ndjson")
cmp -s "$work/one.out" "$work/two.out" || { echo "bench mltrain_mpi: the reports of 1 and 2 ranks differ"; exit 1; }
points=$(sed -n "s/^grid search: \([0-9]*\) points.*/\1/p" "$work/one.out")
printf '%-62s %10s\n' "" "seconds"
printf '%-62s %10.2f\n' "mltrain --grid ${points:-?} points x 5 folds, digits, 1 rank x 1 thread" "$one"
printf '%-62s %10.2f\n' "same, 2 ranks x 1 thread (mpirun -n 2)" "$two"
awk -v a="$one" -v b="$two" 'BEGIN {printf "ratio (1 rank / 2 ranks): %.2fx (reports byte-identical)\n", a / b}'
