#!/usr/bin/env bash
# `make bench`: every benchmark, side by side with its peers, in one run.
# Each part prints its own table; the whole report also goes to bench/out/report.txt.
# This machine is noisy: parts take medians of several runs (BENCH_RUNS, default 5).
set -uo pipefail
bin=$(cd "${1:-build/bin}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/out"
export BENCH_RUNS=${BENCH_RUNS:-5}
{
  echo "mlpipe benchmarks — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, $(uname -m)"
  status=0
  for part in split compressed feat groups syntax classify reload serve xgboost_predict json_check train mltrain_mpi mlaas pairs pipeline essays mlmr plots; do
    [ -f "$here/$part.sh" ] || continue
    echo
    echo "=== $part"
    if [ "$part" = syntax ]; then  # takes the build folder (it builds its own driver)
      bash "$here/syntax.sh" "$bin/.." 40000 300 || { echo "bench $part: FAILED"; status=1; }
    elif [ "$part" = xgboost_predict ] || [ "$part" = json_check ]; then  # likewise
      bash "$here/$part.sh" "$bin/.." || { echo "bench $part: FAILED"; status=1; }
    else
      bash "$here/$part.sh" "$bin" || { echo "bench $part: FAILED"; status=1; }
    fi
  done
  exit $status
} 2>&1 | tee "$here/out/report.txt"
exit "${PIPESTATUS[0]}"
