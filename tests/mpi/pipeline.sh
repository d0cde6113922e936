#!/usr/bin/env bash
# The real argument-mining pipeline with the shipped models under mlmr on 1, 2 and 4 ranks
# gives the shell pipeline's bytes: text input, the models and the spec's vocabulary read by
# rank 0 and served to the other ranks, the shuffle by document.
# Usage: pipeline.sh BIN_DIR
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
source "$(dirname "$0")/common.bash"
mlmr=$bin/mlmr  # real stages only: the shipped program
M=$root/data/samples/models
cp "$root"/data/samples/essays/*.txt "$tmp/"
cd "$tmp"
docs=(*.txt)
# Split the documents into more files, so that every rank has text to read.
for f in "${docs[@]}"; do split -l 40 -d "$f" "part-${f%.txt}-" && rm "$f"; done
docs=(part-*)
stages=("mlfeat --spec $M/features.json"
  "mlclassify --spec $M/features.json -m claim=$M/claim.model -m support=$M/support.model --keep any"
  "mljoin --key doc" "mllink -m $M/link.model")
"$bin/mlsplit" "${docs[@]}" | ${stages[0]/mlfeat/$bin/mlfeat} | ${stages[1]/mlclassify/$bin/mlclassify} |
  ${stages[2]/mljoin/$bin/mljoin} | ${stages[3]/mllink/$bin/mllink} >shell
[ -s shell ] || { echo "FAIL: the shell pipeline found no links"; exit 1; }
pipeline="mlsplit | ${stages[0]} | ${stages[1]} | ${stages[2]} | ${stages[3]}"
for n in 1 2 4; do
  mpi $n "$pipeline" "${docs[@]}" >mr.$n
  check "shipped models, $n ranks ($(wc -l <mr.$n) links)" shell mr.$n
done
exit $fail
