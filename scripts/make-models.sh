#!/usr/bin/env bash
# make-models.sh BIN_DIR [WORK_DIR] — train and measure the shipped argument-mining models.
#
#   bash scripts/make-models.sh build/bin          (what `make models` runs)
#
# Input: the labelled sentences in data/samples/ibm/ (made by scripts/prepare-ibm.py), split by
# motion in split.json. Trains two sets with scripts/train-argument-models.sh on the training
# motions (cross-validation folds hold whole motions):
#   data/samples/models/        topic-free: words, syntax, claim/evidence cues, shape, opinion
#   data/samples/models/topic/  the same and the topic group (records need a topic)
# then measures both on the held-out motions (scripts/data/eval_argument_models.py), runs the
# feature-group ablation (scripts/data/ablation.sh) and the scikit-learn baseline, and writes
# metrics.json and README.md. Shipped files are replaced only when every step succeeded.
# Deterministic: the same data and programs give the same models.
#
# Environment: BASELINE=0 skips the scikit-learn baseline, ABLATION=0 the ablation (the last
# figures are kept).
set -euo pipefail

die() { echo "make-models: $*" >&2; exit 1; }
say() { echo "make-models: $*" >&2; }
[ $# -ge 1 ] || die "usage: make-models.sh BIN_DIR [WORK_DIR]"
BIN=$(cd "$1" && pwd) || die "no such folder: $1"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${2:-$BIN/../models-work}
DATA=$ROOT/data/samples/ibm
OUT=$ROOT/data/samples/models
PY=/usr/bin/python3
HELP=$ROOT/scripts/data
MAX_DISTANCE=20
TOP=2
for f in train.ndjson.gz test.ndjson.gz split.json; do
  [ -f "$DATA/$f" ] || die "$DATA/$f is missing: run scripts/prepare-ibm.py"
done
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
NEW=$WORK/new  # the new shipped folder, installed at the end
rm -rf "$NEW" && mkdir -p "$NEW/topic"
gzip -dc "$DATA/train.ndjson.gz" >"$WORK/train.ndjson"
gzip -dc "$DATA/test.ndjson.gz" >"$WORK/test.ndjson"

say "topic-free models"
WORK=$WORK/free bash "$ROOT/scripts/train-argument-models.sh" --group motion --max-distance $MAX_DISTANCE \
  "$BIN" "$WORK/train.ndjson" "$NEW"
say "topic-aware models"
WORK=$WORK/topic bash "$ROOT/scripts/train-argument-models.sh" --group motion --max-distance $MAX_DISTANCE --topic \
  "$BIN" "$WORK/train.ndjson" "$NEW/topic"

say "held-out motions"
for set in free topic; do
  dir=$NEW; [ $set = free ] || dir=$NEW/topic
  $PY "$HELP/eval_argument_models.py" --bin "$BIN" --models "$dir" --max-distance $MAX_DISTANCE --top $TOP \
    "$WORK/test.ndjson" >"$WORK/heldout-$set.json"
done
if [ "${ABLATION:-1}" != 0 ]; then
  say "ablation (each feature group)"
  bash "$HELP/ablation.sh" "$BIN" "$WORK/train.ndjson" "$WORK/test.ndjson" "$WORK/ablation.json"
elif [ -f "$OUT/metrics.json" ]; then
  $PY -c 'import json,sys; json.dump(json.load(open(sys.argv[1]))["ablation"], open(sys.argv[2], "w"))' \
    "$OUT/metrics.json" "$WORK/ablation.json"
fi
if [ "${BASELINE:-1}" != 0 ] && $PY -c 'import sklearn' 2>/dev/null; then
  say "scikit-learn baseline on the same split"
  $PY "$ROOT/scripts/baseline-sklearn.py" --data "$DATA" --json "$WORK/baseline.json" >&2
elif [ -f "$OUT/baseline.json" ]; then
  cp "$OUT/baseline.json" "$WORK/baseline.json"
fi
$PY "$HELP/models_helper.py" metrics "$WORK" "$DATA/split.json" >"$NEW/metrics.json"
[ ! -f "$WORK/baseline.json" ] || cp "$WORK/baseline.json" "$NEW/baseline.json"
$PY "$HELP/models_helper.py" readme "$NEW/metrics.json" "$NEW/baseline.json" >"$NEW/README.md"

# Install: replace the shipped files only now that everything succeeded.
for f in $(cd "$NEW" && find . -type f); do
  mkdir -p "$(dirname "$OUT/$f")"
  cp "$NEW/$f" "$OUT/$f.tmp" && mv "$OUT/$f.tmp" "$OUT/$f"
done
say "models written to ${OUT#"$ROOT"/}"
