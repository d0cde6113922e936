#!/usr/bin/env bash
# The argument-mining pipeline end to end, reproducing the paper's first two tests here:
#  Test 1: end-to-end time for inputs of about 10k, 68k, 233k and 466k sentences (the paper's
#          DS1-DS4 sizes), built by repeating the benchmark corpus under new document names;
#          records/s and peak memory of each stage, pairs/s of mllink.
#  Test 2: the share of sentences reaching the join at 5%, 35%, 65% and 90% (by threshold),
#          with pair counts and time.
# Both also run under mlmr on 2 ranks of 1 thread (the same pipeline, -o DIR), when it is built,
# with the speed-up over the shell pipeline; the outputs are compared.
# Pairing is by document with a locality filter (--max-distance 10): without one, a
# book-length document makes tens of millions of pairs.
#
#   bash bench/pipeline.sh BIN_DIR        (BENCH_RUNS runs per figure, default 3; BENCH_SIZES to override)
set -euo pipefail
bin=$(cd "${1:?usage: bench/pipeline.sh BIN_DIR}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
M=$root/data/samples/models
py=/usr/bin/python3
runs=${BENCH_RUNS:-3}
sizes=${BENCH_SIZES:-"10000 68000 233000 466000"}
distance=10
for f in claim.model support.model thesis.model against.model link.model features.json; do
  [ -f "$M/$f" ] || { echo "pipeline.sh: $M/$f missing (make models)"; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
timer() { "$py" "$root/bench/timer.py" "$@"; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
have_mlmr=""
[ -x "$bin/mlmr" ] && command -v mpirun >/dev/null && have_mlmr=1
# mlmr_cmd PIPELINE FILE: the command timing PIPELINE (tool names, no paths) under mlmr on 2 ranks.
mlmr_cmd() {
  echo "PATH=$bin:\$PATH mpirun --oversubscribe --bind-to none -n 2 $bin/mlmr --threads 1 -o $work/mr/ '$1' $2"
}
# mlmr_row PIPELINE FILE SHELL_CMD SHELL_WALL: prints ' MLMR_WALL SPEEDUP' (or nothing) after
# checking that mlmr's parts are the shell pipeline's output.
mlmr_row() {
  [ -n "$have_mlmr" ] || return 0
  local wall _cpu _peak
  # mpirun reads standard input: keep it off the caller's list of input sets.
  read -r wall _cpu _peak < <(timer "$runs" "$(mlmr_cmd "$1" "$2")" </dev/null)
  if ! cmp -s <(bash -c "$3") <(cat "$work"/mr/part-*); then
    echo "bench pipeline: FAILED: mlmr's output differs from the shell pipeline's" >&2; exit 1
  fi
  printf " %9s %8.2fx" "$wall" "$(awk -v a="$4" -v b="$wall" 'BEGIN{print a/b}')"
}

"$bin/mlsplit" "$root"/bench/corpus/*.txt >"$work/corpus-sentences.ndjson"
(cd "$root/bench/corpus" && "$py" "$root/bench/make-docsets.py" . "$work/corpus-sentences.ndjson" "$work" $sizes) \
  >"$work/sets.txt"

# The README's pipeline: four sentence models, the thesis and sentence records, joint link decisions.
models="-m claim=$M/claim.model -m support=$M/support.model -m thesis=$M/thesis.model -m against=$M/against.model"
stages() {  # the pipeline after mlsplit, reading sentences on stdin
  echo "$bin/mlfeat --spec $M/features.json \
    | $bin/mlclassify --spec $M/features.json $models --keep any $1 \
    | $bin/mljoin --key doc --grouped --max-distance $distance --thesis --sentences $2 \
    | $bin/mllink -m $M/link.model --top 3 --top-right 1"
}

echo "Test 1: end to end, document-scope pairing with --max-distance $distance; medians of $runs runs"
echo "input: bench/corpus (4.2 MB of essays and addresses) repeated under new document names"
printf "%-9s %9s %9s %9s %9s %12s %9s%s\n" sentences docs wall_s cpu_s peak_MB sentences/s links \
  "${have_mlmr:+ mlmr2_wall vs_shell}"
mr_pipeline="mlsplit --ndjson | mlfeat --spec $M/features.json | mlclassify --spec $M/features.json \
$models --keep any | mljoin --key doc --grouped --max-distance $distance --thesis --sentences \
| mllink -m $M/link.model --top 3 --top-right 1"
while read -r set total copies; do
  cmd="$bin/mlsplit --ndjson $set | $(stages "" "")"
  read -r wall cpu peak < <(timer "$runs" "$cmd")
  links=$(bash -o pipefail -c "$cmd" | wc -l)
  docs=$(wc -l <"$set")
  printf "%-9s %9s %9s %9s %9s %12.0f %9s%s\n" "$total" "$docs" "$wall" "$cpu" "$peak" \
    "$(awk -v a="$total" -v b="$wall" 'BEGIN{print a/b}')" "$links" "$(mlmr_row "$mr_pipeline" "$set" "$cmd" "$wall")"
done <"$work/sets.txt"

# Each stage alone on the largest set's intermediate files: records/s and peak memory.
read -r big total _ < <(tail -1 "$work/sets.txt")
"$bin/mlsplit" --ndjson "$big" >"$work/s1"
"$bin/mlfeat" --spec "$M/features.json" "$work/s1" >"$work/s2"
# shellcheck disable=SC2086
"$bin/mlclassify" --spec "$M/features.json" $models --keep any "$work/s2" >"$work/s3"
"$bin/mljoin" --key doc --grouped --max-distance $distance --thesis --sentences "$work/s3" >"$work/s4"
echo
echo "Each stage alone on the $total-sentence set (input from a file, output discarded):"
printf "%-11s %10s %9s %9s %9s %12s\n" stage records wall_s cpu_s peak_MB records/s
stage_row() {  # stage_row NAME RECORDS_FILE COMMAND (records counted in RECORDS_FILE)
  local n
  n=$(wc -l <"$2")
  read -r wall cpu peak < <(timer "$runs" "$3")
  printf "%-11s %10s %9s %9s %9s %12.0f\n" "$1" "$n" "$wall" "$cpu" "$peak" "$(awk -v a="$n" -v b="$wall" 'BEGIN{print a/b}')"
}
stage_row "mlsplit" "$work/s1" "$bin/mlsplit --ndjson $big"
stage_row "mlfeat" "$work/s1" "$bin/mlfeat --spec $M/features.json $work/s1"
stage_row "mlclassify" "$work/s2" "$bin/mlclassify --spec $M/features.json $models --keep any $work/s2"
stage_row "mljoin" "$work/s3" "$bin/mljoin --key doc --grouped --max-distance $distance --thesis --sentences $work/s3"
stage_row "mllink" "$work/s4" "$bin/mllink -m $M/link.model --top 3 --top-right 1 $work/s4"
echo "(mlsplit's records are the sentences it writes; mllink's are pairs: its row is pairs/s)"

# Test 2: thresholds that let 5%, 35%, 65% and 90% of the sentences reach the join.
read -r mid total2 _ < <(sed -n 2p "$work/sets.txt")
"$bin/mlsplit" --ndjson "$mid" | "$bin/mlfeat" --spec "$M/features.json" >"$work/f2"
"$bin/mlclassify" --spec "$M/features.json" -m claim="$M/claim.model" -m support="$M/support.model" \
  --drop-features "$work/f2" >"$work/scored2"
echo
echo "Test 2: share of the $total2 sentences reaching the join (a sentence passes when its claim or"
echo "support score is above one threshold T), pairs formed and linked, time of classify | join | link"
printf "%-7s %10s %10s %10s %9s %9s %12s%s\n" share T reaching pairs links wall_s pairs/s \
  "${have_mlmr:+ mlmr2_wall vs_shell}"
for share in 5 35 65 90; do
  t=$("$py" -c '
import json, sys
m = sorted(max(r["scores"]["claim"], r["scores"]["support"]) for r in map(json.loads, open(sys.argv[1])))
k = int(len(m) * (1 - int(sys.argv[2]) / 100))
print(repr(m[min(k, len(m) - 1)] - 1e-12 if k < len(m) else m[-1]))' "$work/scored2" "$share")
  cls="$bin/mlclassify --spec $M/features.json -m claim=$M/claim.model -m support=$M/support.model --min claim=$t --min support=$t --keep any $work/f2"
  reaching=$(bash -c "$cls" | wc -l)
  pairs=$(bash -c "$cls | $bin/mljoin --key doc --grouped --max-distance $distance --left-min $t --right-min $t" | wc -l)
  cmd="$cls | $bin/mljoin --key doc --grouped --max-distance $distance --left-min $t --right-min $t | $bin/mllink -m $M/link.model"
  links=$(bash -o pipefail -c "$cmd" | wc -l)
  read -r wall cpu peak < <(timer "$runs" "$cmd")
  mr="mlclassify --spec $M/features.json -m claim=$M/claim.model -m support=$M/support.model --min claim=$t \
--min support=$t --keep any | mljoin --key doc --grouped --max-distance $distance --left-min $t --right-min $t \
| mllink -m $M/link.model"
  printf "%-7s %10.4f %10s %10s %9s %9s %12.0f%s\n" "$share%" "$t" "$reaching" "$pairs" "$links" "$wall" \
    "$(awk -v a="$pairs" -v b="$wall" 'BEGIN{print a/b}')" "$(mlmr_row "$mr" "$work/f2" "$cmd" "$wall")"
done
