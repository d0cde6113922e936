#!/usr/bin/env bash
# The stages' files reach every rank through rank 0: rank 0 builds its stages from its own
# files and the other ranks are served the bytes it read. Here ranks other than 0 run in a
# directory without the files (Open MPI's --wdir per app context), and the models are named
# by relative paths without '/' or '.', so nothing but rank 0's reads can give them the files.
# Files a stage writes besides records (--write-spec) are written by rank 0 alone.
# Usage: files.sh BIN_DIR
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
source "$(dirname "$0")/common.bash"
mkdir "$tmp/r0" "$tmp/others"
cd "$tmp"
python3 - <<'PY'
import json
with open("in.ndjson", "w") as f:
    for i in range(600): f.write(json.dumps({"doc": "d%d" % (i // 7), "i": i}) + "\n")
PY
printf 'MODEL-9\nsecond line\n' >r0/mymodel
# Rank 0 in r0/, ranks 1 and 2 in others/, the same command line.
split_mpi() {
  timeout 120 mpirun --oversubscribe -n 1 --wdir "$tmp/r0" "$mlmr" "$@" : \
    -n 2 --wdir "$tmp/others" "$mlmr" "$@"
}
(cd r0 && tool _model -m mymodel <../in.ndjson) >shell1
split_mpi --partition-bytes 2K --stats '_model -m mymodel --write copy' "$tmp/in.ndjson" >mr1 2>stats1
check "a model only rank 0 can open, named without '/' or '.'" shell1 mr1
files=$(sed -n 's/.*rank 2: .*models \([0-9]*\) files.*/\1/p' stats1)
[ "$files" = 1 ] && echo "ok: --stats counts the file rank 2 was served" || { echo "FAIL: rank 2 files: '$files'"; cat stats1; fail=1; }
parts=$(sed -n 's/.*rank 2: partitions \([0-9]*\).*/\1/p' stats1)
[ "${parts:-0}" -gt 0 ] && echo "ok: rank 2 scored records" || { echo "FAIL: rank 2 had no partition"; fail=1; }
[ "$(cat r0/copy 2>/dev/null)" = MODEL-9 ] && [ ! -e others/copy ] && echo "ok: only rank 0 writes the stage's files" ||
  { echo "FAIL: written files: $(ls r0 others)"; fail=1; }
ls "$TMPDIR" | grep -q . && { echo "FAIL: scratch files left behind: $(ls "$TMPDIR")"; fail=1; }

# A model missing on rank 0 is reported once, by rank 0.
split_mpi '_model -m nothere' "$tmp/in.ndjson" >/dev/null 2>err && { echo "FAIL: a missing model ran"; fail=1; }
if [ "$(grep '^mlmr' err)" = "mlmr: error: nothere: cannot open: No such file or directory" ]; then
  echo "ok: a missing model, one error line"
else
  echo "FAIL: missing model:"; cat err; fail=1
fi

# The real pipeline, when the programs are built: the shipped models renamed without '.', the
# spec's vocabulary found beside it (a file no argument names), specs written by rank 0 only.
if [ -x "$bin/mlsplit" ] && [ -x "$bin/mllink" ]; then
  M=$root/data/samples/models
  for m in claim support link; do cp "$M/$m.model" "r0/${m}_model" && cp "$M/$m.model.json" "r0/${m}_model.json"; done
  cp "$M/features.json" r0/features && cp "$M/vocab.tsv" r0/
  essays=("$root"/data/samples/essays/*.txt)
  for f in "${essays[@]}"; do split -l 30 -d "$f" "$tmp/doc-$(basename "${f%.txt}")-"; done
  docs=("$tmp"/doc-*)
  pipeline="mlsplit | mlfeat --spec features --write-spec spec-out
    | mlclassify --spec features -m claim=claim_model -m support=support_model --keep any
    | mljoin --key doc | mllink -m link_model --all --write-spec pairs-out"
  (cd r0 && "$bin/mlsplit" "${docs[@]}" | "$bin/mlfeat" --spec features |
    "$bin/mlclassify" --spec features -m claim=claim_model -m support=support_model --keep any |
    "$bin/mljoin" --key doc | "$bin/mllink" -m link_model --all) >shell2
  [ -s shell2 ] || { echo "FAIL: the shell pipeline made no pairs"; fail=1; }
  split_mpi --stats "$pipeline" "${docs[@]}" >mr2 2>stats2
  check "the shipped models on 3 ranks, read by rank 0 alone ($(wc -l <mr2) scored pairs)" shell2 mr2
  # features (read by two stages, sent once), vocab.tsv, and three models with their sidecars
  files=$(sed -n 's/.*rank 1: .*models \([0-9]*\) files.*/\1/p' stats2)
  [ "$files" = 8 ] && echo "ok: 8 files broadcast" || { echo "FAIL: files broadcast: '$files'"; cat stats2; fail=1; }
  [ -s r0/spec-out ] && [ -s r0/pairs-out ] && [ ! -e others/spec-out ] && [ ! -e others/pairs-out ] &&
    echo "ok: --write-spec by rank 0 only" || { echo "FAIL: written specs: $(ls r0 others)"; fail=1; }
fi
exit $fail
