#!/usr/bin/env bash
# Plots of the argument-mining pipeline under the shell and under mlmr, in the manner of the
# ParallelMARGOT paper's figures 7-9 (`make bench-plots`; also a part of `make bench`):
#  (a) time against input size: the benchmark corpus copied PLOT_SIZES times (1 2 4 8 12);
#  (b) time against the share of sentences reaching the join (PLOT_SHARES: 1 5 25 50 100 %,
#      by one threshold on the claim and evidence scores) on PLOT_SHARE_COPIES copies (2);
#  (c) time against ranks (PLOT_RANKS: 1 2 4) on PLOT_RANK_COPIES copies (4); ranks beyond the
#      CPUs are oversubscribed and the plot says so.
# Runs: the shell pipeline writing a file, mlmr on 1 and 2 ranks of 1 thread with -o FILE (an
# mlmr without one-file output writes part files there, which are concatenated); every mlmr
# output must be byte for byte the shell's. Each point is the median of PLOT_RUNS runs (1).
# Pipeline: the README's with --max-distance 10 and the models of data/samples/models.
# Data: bench/out/plot-{size,share,ranks}.tsv; plots: bench/out/plot-{size,share,ranks}.png
# (gnuplot; installed on demand with scripts/install-deps.sh bench when missing).
# At the default sizes it took 8 minutes on 2 shared CPUs (load average 6); less on an idle machine.
#
# Usage: bench/plots.sh BIN_DIR
set -euo pipefail
bin=$(cd "${1:-build/bin}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=$here/out
runs=${PLOT_RUNS:-1}
sizes=${PLOT_SIZES:-"1 2 4 8 12"}
shares=${PLOT_SHARES:-"1 5 25 50 100"}
share_copies=${PLOT_SHARE_COPIES:-2}
rank_counts=${PLOT_RANKS:-"1 2 4"}
rank_copies=${PLOT_RANK_COPIES:-4}
m=$root/data/samples/models
py=/usr/bin/python3
export PATH=$bin:$PATH
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
[ -x "$bin/mlmr" ] || { echo "bench plots: no $bin/mlmr (built without MPI)"; exit 1; }
for f in claim.model support.model link.model features.json; do
  [ -f "$m/$f" ] || { echo "bench plots: $m/$f missing (make models)"; exit 1; }
done
if ! command -v gnuplot >/dev/null; then
  bash "$root/scripts/install-deps.sh" bench || true
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
. "$here/lib.sh"  # median, mlmr_take_output
now() { date +%s.%N; }
cpus=$(nproc)

# pipeline THRESHOLD: the README pipeline; with a threshold, a sentence reaches the join when
# its claim or evidence score is above it (and takes that role in the join when its own is).
pipeline() {
  local classify="" join=""
  [ -n "${1:-}" ] && classify=" --min claim=$1 --min support=$1" join=" --left-min $1 --right-min $1"
  echo "mlsplit | mlfeat --spec $m/features.json | mlclassify --spec $m/features.json -m claim=$m/claim.model -m support=$m/support.model$classify --keep any | mljoin --key doc --max-distance 10$join | mllink -m $m/link.model"
}

# corpus COPIES: links the corpus COPIES times under new names; sets the array `inputs`.
corpus() {
  local dir=$work/in$1 c d
  inputs=()
  for c in $(seq 1 "$1"); do
    mkdir -p "$dir/c$c"
    for d in "$root"/bench/corpus/*.txt; do
      ln -sf "$d" "$dir/c$c/$(basename "$d")"
      inputs+=("$dir/c$c/$(basename "$d")")
    done
  done
}

# timed shell|RANKS PIPELINE: the median wall seconds of `runs` runs over `inputs`; the output
# of the shell pipeline stays in $work/shell.out, mlmr's must equal it.
timed() {
  local how=$1 p=$2 times=() t0 i with_inputs='mlsplit "${inputs[@]}"'
  for ((i = 0; i < runs; i++)); do
    rm -rf "$work/mlmr.o"
    t0=$(now)
    if [ "$how" = shell ]; then
      eval "${p/mlsplit/$with_inputs}" >"$work/shell.out"
    else
      mpirun --oversubscribe --bind-to none -n "$how" mlmr --threads 1 -o "$work/mlmr.o" "$p" "${inputs[@]}" </dev/null
    fi
    times+=("$(echo "$(now) - $t0" | bc)")
  done
  if [ "$how" != shell ]; then
    mlmr_take_output "$work/mlmr.o" "$work/mlmr.out"
    cmp -s "$work/shell.out" "$work/mlmr.out" ||
      { echo "bench plots: FAILED: mlmr on $how rank(s) differs from the shell pipeline" >&2; exit 1; }
  fi
  printf '%s\n' "${times[@]}" | median
}

echo "plots: the README pipeline (--max-distance 10), medians of $runs run(s); mlmr ranks of 1 thread, -o FILE"

# (a) Time against input size.
tsv=$out/plot-size.tsv
printf 'copies\tsentences\tshell_s\tmlmr1_s\tmlmr2_s\n' >"$tsv"
printf '%-7s %10s %9s %9s %9s\n' copies sentences shell_s mlmr1_s mlmr2_s
for c in $sizes; do
  corpus "$c"
  n=$(mlsplit "${inputs[@]}" | wc -l)
  p=$(pipeline "")
  s=$(timed shell "$p") r1=$(timed 1 "$p") r2=$(timed 2 "$p")
  printf '%s\t%s\t%s\t%s\t%s\n' "$c" "$n" "$s" "$r1" "$r2" >>"$tsv"
  printf '%-7s %10s %9.2f %9.2f %9.2f\n' "$c" "$n" "$s" "$r1" "$r2"
done

# (b) Time against the share of sentences reaching the join.
corpus "$share_copies"
mlsplit "${inputs[@]}" | mlfeat --spec "$m/features.json" |
  mlclassify --spec "$m/features.json" -m claim="$m/claim.model" -m support="$m/support.model" --drop-features \
    >"$work/scored"
total=$(wc -l <"$work/scored")
tsv=$out/plot-share.tsv
printf 'target_pct\treaching_pct\tthreshold\tlinks\tshell_s\tmlmr1_s\tmlmr2_s\n' >"$tsv"
echo
echo "share of the $total sentences ($share_copies copies) reaching the join:"
printf '%-7s %9s %10s %9s %9s %9s %9s\n' target reaching threshold links shell_s mlmr1_s mlmr2_s
for share in $shares; do
  # The threshold under which `share` % of the sentences have their larger score, and the
  # share above it.
  read -r t reaching < <("$py" -c '
import json, sys
m = sorted(max(r["scores"]["claim"], r["scores"]["support"]) for r in map(json.loads, open(sys.argv[1])))
k = min(len(m) - 1, max(0, round(len(m) * (1 - float(sys.argv[2]) / 100))))
t = m[k] - 1e-9
print(repr(t), "%.1f" % (100 * sum(x > t for x in m) / len(m)))' "$work/scored" "$share")
  p=$(pipeline "$t")
  s=$(timed shell "$p") r1=$(timed 1 "$p") r2=$(timed 2 "$p")
  links=$(wc -l <"$work/shell.out")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$share" "$reaching" "$t" "$links" "$s" "$r1" "$r2" >>"$tsv"
  printf '%-7s %8s%% %10.4f %9s %9.2f %9.2f %9.2f\n' "$share%" "$reaching" "$t" "$links" "$s" "$r1" "$r2"
done

# (c) Time against ranks.
corpus "$rank_copies"
n=$(mlsplit "${inputs[@]}" | wc -l)
p=$(pipeline "")
tsv=$out/plot-ranks.tsv
printf 'ranks\twall_s\tspeedup\toversubscribed\n' >"$tsv"
echo
echo "ranks of 1 thread on $rank_copies copies ($n sentences), $cpus CPUs; shell pipeline $(printf %.2f "$(timed shell "$p")") s:"
printf '%-6s %9s %8s\n' ranks wall_s speedup
one=""
for r in $rank_counts; do
  w=$(timed "$r" "$p")
  [ -n "$one" ] || one=$w
  over=0
  [ "$r" -gt "$cpus" ] && over=1
  printf '%s\t%s\t%s\t%s\n' "$r" "$w" "$(echo "$one / $w" | bc -l)" "$over" >>"$tsv"
  printf '%-6s %9.2f %7.2fx%s\n' "$r" "$w" "$(echo "$one / $w" | bc -l)" "$([ $over = 1 ] && echo " (oversubscribed: $r ranks on $cpus CPUs)")"
done

if ! command -v gnuplot >/dev/null; then
  echo "bench plots: no gnuplot (scripts/install-deps.sh bench installs it): data in $out/plot-*.tsv, no PNG"
  exit 0
fi
common="set terminal pngcairo size 900,560 noenhanced; set datafile separator '\t'; set grid; set key top left;
set ylabel 'wall seconds'; set format y '%g'; set yrange [0:*]"
gnuplot <<EOF
$common
set output '$out/plot-size.png'
set title 'Time against input size (README pipeline, --max-distance 10; $cpus CPUs; median of $runs)'
set xlabel 'sentences (bench/corpus copied 1..N times)'
set format x '%.0s%c'
set xrange [0:*]
plot '$out/plot-size.tsv' using 2:3 skip 1 with linespoints pt 7 title 'shell pipeline ($cpus CPUs per program)', \
     '' using 2:4 skip 1 with linespoints pt 5 title 'mlmr, 1 rank x 1 thread, -o FILE', \
     '' using 2:5 skip 1 with linespoints pt 9 title 'mlmr, 2 ranks x 1 thread, -o FILE'
EOF
gnuplot <<EOF
$common
set output '$out/plot-share.png'
set title 'Time against the share of sentences reaching the join ($total sentences; $cpus CPUs)'
set xlabel 'sentences reaching mljoin (%)'
plot '$out/plot-share.tsv' using 2:5 skip 1 with linespoints pt 7 title 'shell pipeline ($cpus CPUs per program)', \
     '' using 2:6 skip 1 with linespoints pt 5 title 'mlmr, 1 rank x 1 thread, -o FILE', \
     '' using 2:7 skip 1 with linespoints pt 9 title 'mlmr, 2 ranks x 1 thread, -o FILE'
EOF
gnuplot <<EOF
$common
set output '$out/plot-ranks.png'
set title 'Time against ranks ($n sentences; ranks of 1 thread on $cpus CPUs: beyond $cpus ranks they share CPUs)'
set xlabel 'MPI ranks'
set xtics 1
set y2label 'speed-up over 1 rank'
set y2tics
set yrange [0:*]
set y2range [0:*]
set label 1 'oversubscribed: more ranks than CPUs' at graph 0.55, graph 0.1
set arrow 1 from $cpus, graph 0 to $cpus, graph 1 nohead dt 2
plot '$out/plot-ranks.tsv' using 1:2 skip 1 with linespoints pt 7 title 'mlmr wall seconds', \
     '' using 1:3 skip 1 axes x1y2 with linespoints pt 5 dt 2 title 'speed-up over 1 rank'
EOF
echo "plots: $out/plot-size.png $out/plot-share.png $out/plot-ranks.png"
