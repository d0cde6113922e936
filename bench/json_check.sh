#!/bin/sh
# What checking every record costs: mlpipe's one-pass check and index of each NDJSON record
# against simdjson's on-demand top-level index (what mlpipe did before it checked whole
# records) and simdjson's DOM parse, on the records the pipeline's stages read: sentences
# with features and scores (mlsplit | mlfeat --spec | mlclassify over the sample essays,
# repeated). One thread; median of BENCH_RUNS passes.
# usage: bench/json_check.sh [BUILD_DIR] [COPIES]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
copies=${2:-40}
M=$here/data/samples/models
cmake --build "$build" --target json_check >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=$build/bin
"$bin/mlsplit" "$here"/data/samples/essays/*.txt | "$bin/mlfeat" --spec "$M/features.json" |
  "$bin/mlclassify" -m claim="$M/claim.model" -m support="$M/support.model" >"$work/one.ndjson"
i=0
while [ $i -lt "$copies" ]; do cat "$work/one.ndjson"; i=$((i + 1)); done >"$work/records.ndjson"
"$bin/json_check" "$work/records.ndjson" "${BENCH_RUNS:-5}"
