#!/usr/bin/env bash
# mlmr against the shell pipeline on the same input: the shell pipeline (each program on all
# CPUs), mlmr on 1 rank (all CPUs as threads), and mlmr on 1 and 2 ranks of 1 thread each
# (the rank scaling). Wall time (median of BENCH_RUNS), peak memory (RSS) of the largest
# shell stage and of each mlmr rank (mlmr --stats), and the ratios.
#
# Input: the benchmark corpus repeated COPIES times under new names (so that documents,
# the join keys, stay distinct); 19 copies are the 466k-sentence set of the pipeline
# benchmarks. Pipeline: $MLMR_BENCH_PIPELINE, else the full argument-mining pipeline with the
# models in data/samples/models/ (claim, evidence, link) when present, else the same pipeline
# with the small test models of tests/data/pairs/ (about 1% of sentences reach the join).
#
# Then the same on skewed keys (one document with most of the pairs): split vs --no-split.
#
# Usage: bench/mlmr.sh BIN_DIR [COPIES]
set -euo pipefail
bin=$(cd "${1:-build/bin}" && pwd)
copies=${2:-${MLMR_BENCH_COPIES:-19}}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
runs=${BENCH_RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PATH=$bin:$PATH
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
[ -x "$bin/mlmr" ] || { echo "bench mlmr: no $bin/mlmr (built without MPI)"; exit 1; }

m=$root/data/samples/models
t=$root/tests/data/pairs
if [ -n "${MLMR_BENCH_PIPELINE:-}" ]; then
  pipeline=$MLMR_BENCH_PIPELINE models="given by MLMR_BENCH_PIPELINE"
elif [ -e "$m/claim.model" ] && [ -e "$m/evidence.model" ] && [ -e "$m/link.model" ]; then
  pipeline="mlsplit | mlfeat --spec $m/features.json | mlclassify --spec $m/features.json -m claim=$m/claim.model -m evidence=$m/evidence.model --keep any | mljoin --key doc --max-distance 10 | mllink -m $m/link.model"
  models="data/samples/models"
else
  pipeline="mlsplit | mlfeat --spec $t/feature-spec.json | mlclassify -m claim=$t/sentence.model -m evidence=$t/sentence.model --keep any | mljoin --key doc | mllink -m $t/link.model"
  models="tests/data/pairs (small test models)"
fi

docs=("$root"/bench/corpus/*.txt)
inputs=()
for c in $(seq 1 "$copies"); do
  mkdir -p "$work/in/c$c"
  for d in "${docs[@]}"; do
    ln -s "$d" "$work/in/c$c/$(basename "$d")"
    inputs+=("$work/in/c$c/$(basename "$d")")
  done
done
bytes=$(cat "${inputs[@]}" | wc -c)
sentences=$(mlsplit "${inputs[@]}" | wc -l)

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"  # median
now() { date +%s.%N; }

# The shell pipeline, each stage under /usr/bin/time for its peak memory.
shell_run() {
  local cmd="" i=0 stage
  IFS='|' read -ra stages <<<"$pipeline"
  for stage in "${stages[@]}"; do
    [ $i -gt 0 ] && cmd+=" | "
    cmd+="/usr/bin/time -f %M -o $work/rss.$i $stage"
    [ $i -eq 0 ] && cmd+=' "${inputs[@]}"'
    i=$((i + 1))
  done
  local t0; t0=$(now)
  eval "$cmd" >"$work/shell.out"
  echo "$(now) - $t0" | bc
}

# mlmr: N ranks, T threads each, writing part files like the shell writes its file (standard
# output would pass through mpirun's forwarding, which costs more than the pipeline here);
# leaves the --stats lines in $work/stats and the parts, concatenated, in $work/mlmr.out.
mlmr_run() {
  local t0 t1
  rm -rf "$work/mlmr.dir"
  t0=$(now)
  mpirun --oversubscribe --bind-to none -n "$1" mlmr --threads "$2" --stats -o "$work/mlmr.dir" "$pipeline" \
    "${inputs[@]}" 2>"$work/stats"
  t1=$(now)
  cat "$work"/mlmr.dir/part-* >"$work/mlmr.out"
  echo "$t1 - $t0" | bc
}

cpus=$(nproc)
echo "mlmr vs the shell pipeline: $copies x bench/corpus = $((bytes / 1000000)) MB of text, $sentences sentences, models: $models"
echo "pipeline: $pipeline"
echo "median of $runs runs; peak RSS: shell = largest stage, mlmr = per rank"
printf '%-28s %9s %10s %s\n' "run" "wall s" "sent/s" "peak RSS MB"
declare -A wall
for config in shell "1 $cpus" "1 1" "2 1"; do
  times=()
  for _ in $(seq 1 "$runs"); do
    if [ "$config" = shell ]; then times+=("$(shell_run)"); else times+=("$(mlmr_run $config)"); fi
  done
  w=$(printf '%s\n' "${times[@]}" | median)
  wall[$config]=$w
  if [ "$config" = shell ]; then
    name="shell pipeline ($cpus CPUs each)"
    rss=$(cat "$work"/rss.* | sort -n | tail -1 | awk '{ printf "%.0f", $1 / 1024 }')
  else
    read -r n th <<<"$config"
    name="mlmr $n rank(s) x $th thread(s)"
    rss=$(sed -n 's/.*peak RSS \([0-9.]*\) MB.*/\1/p' "$work/stats" | awk '{ printf "%s%.0f", (NR > 1 ? " " : ""), $1 }')
    if ! cmp -s <(sort "$work/shell.out") <(sort "$work/mlmr.out"); then
      echo "bench mlmr: FAILED: mlmr ($config) made other records than the shell pipeline"; exit 1
    fi
  fi
  printf '%-28s %9.2f %10.0f %s\n' "$name" "$w" "$(echo "$sentences / $w" | bc -l)" "$rss"
done
echo "mlmr 1 rank x $cpus threads vs shell: $(echo "${wall[shell]} / ${wall[1 $cpus]}" | bc -l | xargs printf '%.2f')x"
echo "mlmr 2 ranks vs 1 rank (1 thread each): $(echo "${wall[1 1]} / ${wall[2 1]}" | bc -l | xargs printf '%.2f')x"
grep "rank 1:" "$work/stats" | sed 's/^/last 2-rank run: /' || true

# Why the runs above use -o DIR: standard output of a rank passes through mpirun's forwarding
# (mlmr's rank 0 skips it when mpirun runs on its machine and writes to a pipe).
# The same output, the pipeline's, through a plain pipe, through mpirun -n 1, and out of mlmr
# (its identity test stage) into a pipe.
out_mb=$(( $(wc -c <"$work/mlmr.out") / 1000000 ))
fwd() {
  local t0; t0=$(now)
  case $1 in
    mpirun) mpirun -n 1 cat "$work/mlmr.out" | cat >/dev/null ;;
    mlmr) MLMR_TEST_TOOLS=1 mpirun -n 1 mlmr --threads 1 _cat "$work/mlmr.out" | cat >/dev/null ;;
    *) cat "$work/mlmr.out" | cat >/dev/null ;;
  esac
  echo "$(now) - $t0" | bc
}
declare -A fw
for how in pipe mpirun mlmr; do
  times=()
  for _ in $(seq 1 "$runs"); do times+=("$(fwd $how)"); done
  fw[$how]=$(printf '%s\n' "${times[@]}" | median)
done
echo "standard output, $out_mb MB: plain pipe $(printf '%.2f' "${fw[pipe]}") s;" \
  "through mpirun $(printf '%.2f' "${fw[mpirun]}") s ($(echo "$out_mb / ${fw[mpirun]}" | bc -l | xargs printf '%.0f') MB/s," \
  "$(echo "${fw[mpirun]} / ${fw[pipe]}" | bc -l | xargs printf '%.1f')x slower);" \
  "out of mlmr -n 1 into a pipe $(printf '%.2f' "${fw[mlmr]}") s"

# Skew: one copy of the corpus, classified, joined per document with every pair linked.
# Hobbes's Leviathan alone holds about 72% of the candidate pairs, so without splitting the
# rank that writes it does most of the work; mlmr cuts it into row slices over the ranks.
if [ -z "${MLPIPE_BENCH_NO_SKEW:-}" ] && [ "$models" = data/samples/models ]; then
  echo
  mlsplit "${docs[@]}" | mlfeat --spec "$m/features.json" |
    mlclassify --spec "$m/features.json" -m claim="$m/claim.model" -m evidence="$m/evidence.model" --keep any \
      >"$work/classified.ndjson"
  skew="mljoin --key doc --slim | mllink -m $m/link.model"
  pairs=$(/usr/bin/python3 - "$work/classified.ndjson" <<'PY'
import collections, json, sys
rows, cols = collections.Counter(), collections.Counter()
for line in open(sys.argv[1]):
    r = json.loads(line)
    rows[r["doc"]] += r["scores"]["claim"] > 0
    cols[r["doc"]] += r["scores"]["evidence"] > 0
pairs = {d: rows[d] * cols[d] for d in rows}
top = max(pairs, key=pairs.get)
print(sum(pairs.values()), round(100 * pairs[top] / sum(pairs.values())), top.rsplit("/", 1)[-1])
PY
)
  read -r total share top <<<"$pairs"
  echo "skewed keys: '$skew' over $(wc -l <"$work/classified.ndjson") classified sentences, $total candidate pairs, $share% in one document ($top)"
  printf '%-34s %9s %s\n' "run" "wall s" "phase B s per rank"
  skew_shell() {
    local t0; t0=$(now)
    mljoin --key doc --slim "$work/classified.ndjson" | mllink -m "$m/link.model" >"$work/skew.shell"
    echo "$(now) - $t0" | bc
  }
  skew_mlmr() {  # RANKS THREADS [OPTIONS]
    local n=$1 th=$2 t0 t1; shift 2
    rm -rf "$work/skew.dir"
    t0=$(now)
    mpirun --oversubscribe --bind-to none -n "$n" mlmr --threads "$th" --stats "$@" -o "$work/skew.dir" "$skew" \
      "$work/classified.ndjson" 2>"$work/skew.stats"
    t1=$(now)
    cat "$work"/skew.dir/part-* >"$work/skew.mlmr"
    echo "$t1 - $t0" | bc
  }
  declare -A skw
  for config in shell "1 1" "2 1 --no-split" "2 1"; do
    times=()
    for _ in $(seq 1 "$runs"); do
      if [ "$config" = shell ]; then times+=("$(skew_shell)"); else times+=("$(skew_mlmr $config)"); fi
    done
    skw[$config]=$(printf '%s\n' "${times[@]}" | median)
    if [ "$config" = shell ]; then
      name="shell mljoin | mllink" phases=""
    else
      read -r n th opt <<<"$config"
      name="mlmr $n rank(s) x $th thread(s) ${opt:-}"
      phases=$(sed -n 's/.*phase B \([0-9.]*\) s.*/\1/p' "$work/skew.stats" | paste -sd' ')
      if ! cmp -s "$work/skew.shell" "$work/skew.mlmr"; then
        echo "bench mlmr: FAILED: mlmr ($config) on skewed keys differs from the shell pipeline"; exit 1
      fi
    fi
    printf '%-34s %9.2f %s\n' "$name" "${skw[$config]}" "$phases"
  done
  echo "skewed keys, 2 ranks: split vs --no-split: $(echo "${skw[2 1 --no-split]} / ${skw[2 1]}" | bc -l | xargs printf '%.2f')x;" \
    "split 2 ranks vs 1 rank: $(echo "${skw[1 1]} / ${skw[2 1]}" | bc -l | xargs printf '%.2f')x;" \
    "1 rank vs shell: $(echo "${skw[shell]} / ${skw[1 1]}" | bc -l | xargs printf '%.2f')x"
fi
