#!/usr/bin/env bash
# mltrain --grid spread over MPI ranks: the same RBF grid search (C × gamma, 5 folds) on 1
# rank and on 2 ranks of 1 thread each, wall time (median of BENCH_RUNS, at most 3) and the
# ratio; the two reports must be byte-identical. The CPU time of the busiest rank is shown
# too: on a machine busy with other work the wall time also measures that work.
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
ldd "$bin/mltrain" | grep libmpi >/dev/null || { echo "bench mltrain_mpi: mltrain built without MPI"; exit 1; }
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
# measure N: runs $runs times on N ranks of 1 thread; prints the median wall seconds and the
# median CPU seconds of the busiest rank (what the run would take with a core per rank, on a
# machine shared with other work); the last report in $work/N.out.
# --bind-to none: the kernel places the ranks, as it places a plain run.
measure() {
  local n=$1 i t0 t1
  for ((i = 0; i < runs; i++)); do
    rm -f "$work"/cpu.*
    t0=$(date +%s.%N)
    mpirun --bind-to none -n "$n" sh -c 'exec /usr/bin/time -f "%U %S" -o "$0.$OMPI_COMM_WORLD_RANK" "$@"' \
      "$work/cpu" "$bin/mltrain" --threads 1 "${grid[@]}" "$work/digits.ndjson" >"$work/$n.out"
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l >>"$work/wall.$n"
    cat "$work"/cpu.* | awk '{ s = $1 + $2; if (s > m) m = s } END { print m }' >>"$work/busiest.$n"
  done
  echo "$(median <"$work/wall.$n") $(median <"$work/busiest.$n")"
}
read -r one one_cpu < <(measure 1)
read -r two two_cpu < <(measure 2)
cmp -s "$work/1.out" "$work/2.out" || { echo "bench mltrain_mpi: the reports of 1 and 2 ranks differ"; exit 1; }
points=$(sed -n "s/^grid search: \([0-9]*\) points.*/\1/p" "$work/1.out")
printf '%-60s %8s %12s\n' "" "seconds" "busiest CPU"
printf '%-60s %8.2f %12.2f\n' "mltrain --grid, ${points:-?} points x 5 folds, digits, 1 rank" "$one" "$one_cpu"
printf '%-60s %8.2f %12.2f\n' "same, 2 ranks x 1 thread (mpirun -n 2)" "$two" "$two_cpu"
awk -v a="$one" -v b="$two" -v c="$one_cpu" -v d="$two_cpu" 'BEGIN {
  printf "ratio 1 rank / 2 ranks: %.2fx wall, %.2fx by the busiest rank'"'"'s CPU (reports byte-identical)\n", a / b, c / d }'
