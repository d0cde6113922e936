#!/usr/bin/env bash
# mlmr against the shell pipeline on the same input, all configurations in one run so that
# their ratios are same-run: the shell pipeline writing a file (each program on all CPUs);
# mlmr with -o FILE on 1 rank of all CPUs, 1 rank of 1 thread and 2 ranks of 1 thread (the
# rank scaling); on 2 ranks also -o DIR/ (part files) and standard output (> file). Wall time
# (median of BENCH_RUNS), sentences/s, peak memory (RSS) of the largest shell stage and of
# each mlmr rank (mlmr --stats), the ratios; every mlmr output must be byte for byte the
# shell pipeline's.
#
# Input: the benchmark corpus repeated COPIES times (default 12) under new names (so that
# documents, the join keys, stay distinct). Pipeline: $MLMR_BENCH_PIPELINE, else the README's
# argument-mining pipeline with --max-distance 10 and the models in data/samples/models/
# (claim, support, link) when present, else the same pipeline with the small test models of
# tests/data/pairs/ (about 1% of sentences reach the join).
#
# An mlmr that predates "-o FILE" writes a directory of part files for -o PATH: its rows are
# those files concatenated, and the script says so.
#
# The --stats lines of the -o FILE runs on 1 and 2 ranks go to bench/out/mlmr-stats-{1,2}rank.txt
# and bench/project.py projects them to many nodes (a model, printed after the tables).
#
# Then memory: the same pipeline without --max-distance (every claim of a document paired with
# every support sentence) over the corpus's essays copied MLMR_BENCH_MEMORY_COPIES times (4),
# 2 ranks, peak RSS per rank, killed after MLMR_BENCH_MEMORY_TIMEOUT seconds (600);
# MLMR_BENCH_NO_MEMORY=1 leaves it out, MLMR_BENCH_ONLY_MEMORY=1 runs only it, and
# MLMR_BENCH_MEMORY_LINK replaces mllink's --top 2 there (--all: every candidate pair is
# output, the case where what one key makes must spill). Then skewed keys (one document with
# most of the pairs): split vs --no-split; MLPIPE_BENCH_NO_SKEW=1 leaves it out.
#
# Usage: bench/mlmr.sh BIN_DIR [COPIES]
set -euo pipefail
bin=$(cd "${1:-build/bin}" && pwd)
copies=${2:-${MLMR_BENCH_COPIES:-12}}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
runs=${BENCH_RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PATH=$bin:$PATH
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
[ -x "$bin/mlmr" ] || { echo "bench mlmr: no $bin/mlmr (built without MPI)"; exit 1; }
mkdir -p "$here/out"

m=$root/data/samples/models
t=$root/tests/data/pairs
# The README pipeline; $1 is mljoin's locality filter ("" for none), $2 mllink's selection
# (default --top 2, the README's).
readme_pipeline() {
  echo "mlsplit | mlfeat --spec $m/features.json | mlclassify --spec $m/features.json -m claim=$m/claim.model -m support=$m/support.model --keep any | mljoin --key doc${1:+ $1} | mllink -m $m/link.model ${2:---top 2}"
}
if [ -n "${MLMR_BENCH_PIPELINE:-}" ]; then
  pipeline=$MLMR_BENCH_PIPELINE models="given by MLMR_BENCH_PIPELINE"
elif [ -e "$m/claim.model" ] && [ -e "$m/support.model" ] && [ -e "$m/link.model" ]; then
  pipeline=$(readme_pipeline "--max-distance 10")
  models="data/samples/models"
else
  pipeline="mlsplit | mlfeat --spec $t/feature-spec.json | mlclassify -m claim=$t/sentence.model -m support=$t/sentence.model --keep any | mljoin --key doc | mllink -m $t/link.model"
  models="tests/data/pairs (small test models)"
fi

# copies_of COUNT DIR FILE...: links COUNT copies of the files under DIR/cN/; prints their paths.
copies_of() {
  local count=$1 dir=$2 c d
  shift 2
  for c in $(seq 1 "$count"); do
    mkdir -p "$dir/c$c"
    for d in "$@"; do
      ln -sf "$d" "$dir/c$c/$(basename "$d")"
      echo "$dir/c$c/$(basename "$d")"
    done
  done
}
docs=("$root"/bench/corpus/*.txt)
mapfile -t inputs < <(copies_of "$copies" "$work/in" "${docs[@]}")
bytes=$(cat "${inputs[@]}" | wc -c)
sentences=$(mlsplit "${inputs[@]}" | wc -l)

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"  # median, mlmr_take_output, mlmr_rss, mlmr_option_default
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

# mlmr_run RANKS THREADS file|dir|stdout: one run; the output ends up in $work/mlmr.out and
# the --stats lines in $work/stats. "file" is -o PATH, "dir" -o PATH/ (part files), "stdout"
# standard output through mpirun's forwarding, redirected to a file.
mlmr_run() {
  local t0 t1 out=$work/mlmr.o
  rm -rf "$out" "$work/mlmr.out"
  local -a to=()
  case $3 in
    file) to=(-o "$out") ;;
    dir) to=(-o "$out/") ;;
  esac
  t0=$(now)
  if [ "$3" = stdout ]; then
    mpirun --oversubscribe --bind-to none -n "$1" mlmr --threads "$2" --stats "$pipeline" "${inputs[@]}" \
      >"$work/mlmr.out" 2>"$work/stats" </dev/null
  else
    mpirun --oversubscribe --bind-to none -n "$1" mlmr --threads "$2" --stats "${to[@]}" "$pipeline" "${inputs[@]}" \
      2>"$work/stats" </dev/null
  fi
  t1=$(now)
  if [ "$3" = file ] && [ -d "$out" ]; then echo parts >"$work/file-mode"; fi
  [ "$3" = stdout ] || mlmr_take_output "$out" "$work/mlmr.out"
  echo "$t1 - $t0" | bc
}

cpus=$(nproc)
if [ -z "${MLMR_BENCH_ONLY_MEMORY:-}" ]; then
  echo "mlmr vs the shell pipeline: $copies x bench/corpus = $((bytes / 1000000)) MB of text, $sentences sentences, models: $models"
  echo "pipeline: $pipeline"
  echo "median of $runs runs; peak RSS: shell = largest stage, mlmr = per rank; every mlmr output compared byte for byte (cmp) with the shell's"
  printf '%-40s %9s %10s %s\n' "run" "wall s" "sent/s" "peak RSS MB"
  rm -f "$work/file-mode"
  tsv=$here/out/mlmr.tsv
  printf 'run\tranks\tthreads\toutput\twall_s\tsentences_per_s\tpeak_rss_mb\n' >"$tsv"
  declare -A wall
  for config in shell "1 $cpus file" "1 1 file" "2 1 file" "2 1 dir" "2 1 stdout"; do
    times=()
    for _ in $(seq 1 "$runs"); do
      if [ "$config" = shell ]; then times+=("$(shell_run)"); else times+=("$(mlmr_run $config)"); fi
    done
    w=$(printf '%s\n' "${times[@]}" | median)
    wall[$config]=$w
    if [ "$config" = shell ]; then
      name="shell pipeline > file ($cpus CPUs each)" n=1 th=$cpus how=file
      rss=$(cat "$work"/rss.* | sort -n | tail -1 | awk '{ printf "%.0f", $1 / 1024 }')
    else
      read -r n th how <<<"$config"
      case $how in
        file) name="mlmr $n rank(s) x $th thread(s) -o FILE" ;;
        dir) name="mlmr $n rank(s) x $th thread(s) -o DIR/" ;;
        stdout) name="mlmr $n rank(s) x $th thread(s) > file" ;;
      esac
      rss=$(mlmr_rss <"$work/stats")
      if ! cmp -s "$work/shell.out" "$work/mlmr.out"; then
        echo "bench mlmr: FAILED: the output of mlmr ($name) is not byte for byte the shell pipeline's"; exit 1
      fi
      if [ "$how" = file ] && [ "$th" = 1 ]; then
        { echo "# bench/mlmr.sh $(date -u +%Y-%m-%dT%H:%MZ): $copies x bench/corpus, $sentences sentences, $bytes bytes"
          echo "# ranks=$n threads=$th output=-o FILE wall_s=$w output_bytes=$(wc -c <"$work/shell.out") shuffle_mb=$(mlmr_option_default "$bin" --shuffle-mb)"
          echo "# pipeline: $pipeline"
          cat "$work/stats"; } >"$here/out/mlmr-stats-${n}rank.txt"
      fi
    fi
    printf '%-40s %9.2f %10.0f %s\n' "$name" "$w" "$(echo "$sentences / $w" | bc -l)" "$rss"
    printf '%s\t%s\t%s\t%s\t%s\t%.0f\t%s\n' "$name" "$n" "$th" "$how" "$w" "$(echo "$sentences / $w" | bc -l)" "$rss" >>"$tsv"
  done
  [ -e "$work/file-mode" ] && echo "(this mlmr writes -o PATH as a directory of part files: the -o FILE rows are those parts concatenated)"
  ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }
  echo "2 vs 1 rank (1 thread each) with -o FILE: $(ratio "${wall[1 1 file]}" "${wall[2 1 file]}")x (target >= 1.8x)"
  echo "-o FILE, 1 rank x $cpus threads vs shell: $(ratio "${wall[shell]}" "${wall[1 $cpus file]}")x (target >= 1.0x)"
  echo "-o FILE vs standard output, 2 ranks: $(ratio "${wall[2 1 stdout]}" "${wall[2 1 file]}")x;" \
    "-o FILE vs -o DIR/, 2 ranks: $(ratio "${wall[2 1 dir]}" "${wall[2 1 file]}")x"
  echo "output: $(($(wc -c <"$work/shell.out") / 1000000)) MB, $(wc -l <"$work/shell.out") records"
  grep "rank 1:" "$work/stats" | sed 's/^/last 2-rank run: /' || true

  # Standard output of a rank passes through mpirun's forwarding
  # (mlmr's rank 0 skips it when mpirun runs on its machine and writes to a pipe).
  # The same output, the pipeline's, through a plain pipe, through mpirun -n 1, and out of mlmr
  # (its identity test stage) into a pipe.
  out_mb=$(( $(wc -c <"$work/mlmr.out") / 1000000 ))
  # The test stage is in mlmr's test build (build/test-bin/mlmr); an older mlmr had it in
  # itself, enabled by MLMR_TEST_TOOLS=1.
  mlmr_tests=$(cd "$bin/.." && pwd)/test-bin/mlmr
  [ -x "$mlmr_tests" ] || mlmr_tests=mlmr
  fwd() {
    local t0; t0=$(now)
    case $1 in
      mpirun) mpirun -n 1 cat "$work/mlmr.out" | cat >/dev/null ;;
      mlmr) MLMR_TEST_TOOLS=1 mpirun -n 1 "$mlmr_tests" --threads 1 _cat "$work/mlmr.out" | cat >/dev/null ;;
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

  # The per-phase counters of the 1- and 2-rank runs, projected to many nodes (a model).
  if [ -z "${MLMR_BENCH_NO_PROJECTION:-}" ]; then
    echo
    /usr/bin/python3 "$here/project.py" "$here/out/mlmr-stats-1rank.txt" "$here/out/mlmr-stats-2rank.txt" \
      --out "$here/out" || echo "bench mlmr: the projection failed"
  fi
fi

# Memory: no locality filter, so every claim of a document meets every support sentence of it
# (Hobbes's Leviathan alone makes millions of pairs per copy). Peak RSS of each rank is sampled
# every half second, so that a run cut by the time limit still reports it.
if [ -z "${MLMR_BENCH_NO_MEMORY:-}" ] && [ "$models" = data/samples/models ]; then
  echo
  mem_copies=${MLMR_BENCH_MEMORY_COPIES:-4}
  limit=${MLMR_BENCH_MEMORY_TIMEOUT:-600}
  # The nine essays beside the project when present (the case that needed 5-6 GB per rank
  # before output was bounded), else the essays of bench/corpus.
  essays=()
  essay_dir=${ESSAYS:-$root/../shared/data/essays}
  if compgen -G "$essay_dir/*.txt" >/dev/null; then
    essays=("$essay_dir"/*.txt) essay_from=$essay_dir
  else
    for d in "${docs[@]}"; do case $(basename "$d") in inaugural-*) ;; *) essays+=("$d") ;; esac; done
    essay_from=bench/corpus
  fi
  mapfile -t mem_inputs < <(copies_of "$mem_copies" "$work/mem" "${essays[@]}")
  mem_pipeline=$(readme_pipeline "" "${MLMR_BENCH_MEMORY_LINK:-}")
  max_memory=$(mlmr_option_default "$bin" --max-memory)
  echo "memory: the pipeline without --max-distance, mllink ${MLMR_BENCH_MEMORY_LINK:---top 2}, over the ${#essays[@]} essays of $essay_from x $mem_copies" \
    "($(mlsplit "${mem_inputs[@]}" | wc -l) sentences), 2 ranks x 1 thread, -o FILE, one run, at most $limit s"
  case $max_memory in
    absent) echo "--max-memory: this mlmr has no such option" ;;
    "") echo "--max-memory: default (mlmr --help shows no value)" ;;
    *) echo "--max-memory: default, $max_memory" ;;
  esac
  rm -rf "$work/mem.o"
  t0=$(now)
  timeout -k 30 "$limit" mpirun --oversubscribe --bind-to none -n 2 mlmr --threads 1 --stats -o "$work/mem.o" \
    "$mem_pipeline" "${mem_inputs[@]}" 2>"$work/mem.stats" </dev/null &
  job=$!
  # Samples the RSS of the job's mlmr processes; one "PID KB" line each, the highest seen.
  while kill -0 "$job" 2>/dev/null; do
    pids=$(pgrep -d, -x mlmr -P "$(pgrep -d, -P "$job" || echo 0)" || true)
    [ -n "$pids" ] && ps -o pid=,rss= -p "$pids" >>"$work/mem.rss" 2>/dev/null
    sleep 0.5
  done
  status=0
  wait "$job" || status=$?
  t1=$(now)
  sampled=$(awk '{ if ($2 > m[$1]) m[$1] = $2 } END { for (p in m) printf "%.0f\n", m[p] / 1024 }' "$work/mem.rss" 2>/dev/null |
    sort -rn | paste -sd' ')
  if [ "$status" = 124 ] || [ "$status" = 137 ]; then
    echo "memory: STOPPED after the limit of $limit s (not finished); highest RSS sampled per rank: ${sampled:-none} MB"
  elif [ "$status" != 0 ]; then
    echo "memory: mlmr failed (exit $status) after $(printf '%.1f' "$(echo "$t1 - $t0" | bc)") s:"; sed 's/^/  /' "$work/mem.stats" | tail -5
  else
    [ -e "$work/mem.o" ] && mlmr_take_output "$work/mem.o" "$work/mem.out"
    echo "memory: $(printf '%.1f' "$(echo "$t1 - $t0" | bc)") s, $(wc -l <"$work/mem.out") records;" \
      "peak RSS per rank (--stats): $(mlmr_rss <"$work/mem.stats") MB (sampled: ${sampled:-none} MB)"
    grep -E "stats: rank [0-9]+: (exchange|partitions)" "$work/mem.stats" | sed 's/^/  /' || true
  fi
fi

# Skew: one copy of the corpus, classified, joined per document with every pair linked.
# Hobbes's Leviathan alone holds about 72% of the candidate pairs, so without splitting the
# rank that writes it does most of the work; mlmr cuts it into row slices over the ranks.
if [ -z "${MLPIPE_BENCH_NO_SKEW:-}${MLMR_BENCH_ONLY_MEMORY:-}" ] && [ "$models" = data/samples/models ]; then
  echo
  mlsplit "${docs[@]}" | mlfeat --spec "$m/features.json" |
    mlclassify --spec "$m/features.json" -m claim="$m/claim.model" -m support="$m/support.model" --keep any \
      >"$work/classified.ndjson"
  skew="mljoin --key doc --slim | mllink -m $m/link.model"
  pairs=$(/usr/bin/python3 - "$work/classified.ndjson" <<'PY'
import collections, json, sys
rows, cols = collections.Counter(), collections.Counter()
for line in open(sys.argv[1]):
    r = json.loads(line)
    rows[r["doc"]] += r["scores"]["claim"] > 0
    cols[r["doc"]] += r["scores"]["support"] > 0
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
    mpirun --oversubscribe --bind-to none -n "$n" mlmr --threads "$th" --stats "$@" -o "$work/skew.dir/" "$skew" \
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
