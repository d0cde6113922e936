#!/usr/bin/env bash
# make-models.sh BIN_DIR [WORK_DIR] — train and measure the shipped argument-mining models.
#
#   CDCP_REPO=DIR IBM_EVIDENCE_REPO=DIR bash scripts/make-models.sh build/bin     (what `make models` runs)
#
# Data (scripts/data/argument_data.py): the IBM claims and evidence of data/samples/ibm/ (split by
# motion), the texts written for mlpipe in data/samples/written/ (train/ and test/), CDCP's public
# comments and IBM's evidence sentences. The last two are read from git repositories that are not
# part of mlpipe: CDCP_REPO is a clone of AGalassi/StructurePrediction18 and IBM_EVIDENCE_REPO one of
# Open-Argumentation/Canary (the commits are named in their importers, scripts/data/import_*.py);
# without them the models are trained without those corpora, and say so.
#
# Trains two sets with scripts/train-argument-models.sh, corpora weighed by
# data/samples/models/weights.json, every choice made by cross-validation on the training part:
#   data/samples/models/        topic-free: words, syntax, cues, shape, opinion, position,
#                               discourse, WordNet classes; claim, support, thesis, against, link
#   data/samples/models/topic/  the same and the topic group (records need a topic)
# then measures them on each held-out set (IBM's held-out motions, CDCP's test split, the written
# test texts; scripts/data/eval_genres.py) next to the models shipped before (PREVIOUS, a git
# revision; default 19b4400) and a scikit-learn baseline (scripts/baseline-genres.py), runs the
# feature-group ablation, and writes metrics.json and README.md. Shipped files are replaced only
# when every step succeeded.
#
# Environment: BASELINE=0 skips the scikit-learn baseline, ABLATION=0 the ablation, PREVIOUS=none
# the models shipped before (their last figures are kept); SKIP_TRAINING=1 measures and installs
# the models an earlier run left in WORK_DIR/new.
set -euo pipefail

die() { echo "make-models: error: $*" >&2; exit 1; }
say() { echo "make-models: $*" >&2; }
case ${1:-} in
  -h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  -*) echo "make-models: unknown option $1 (see --help)" >&2; exit 2 ;;
esac
[ $# -ge 1 ] || { echo "usage: make-models.sh BIN_DIR [WORK_DIR] (see --help)" >&2; exit 2; }
BIN=$(cd "$1" && pwd) || die "no such folder: $1"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${2:-$BIN/../models-work}
OUT=$ROOT/data/samples/models
PY=/usr/bin/python3
HELP=$ROOT/scripts/data
MAX_DISTANCE=20
TOP=3
TOP_RIGHT=1
PREVIOUS=${PREVIOUS:-19b4400}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
NEW=$WORK/new  # the new shipped folder, installed at the end
[ "${SKIP_TRAINING:-0}" != 0 ] || { rm -rf "$NEW" && mkdir -p "$NEW/topic"; }

say "data"
data_args=()
[ -z "${CDCP_REPO:-}" ] || data_args+=(--cdcp "$CDCP_REPO")
[ -z "${IBM_EVIDENCE_REPO:-}" ] || data_args+=(--ibm-evidence "$IBM_EVIDENCE_REPO")
$PY "$HELP/argument_data.py" --bin "$BIN" "${data_args[@]}" "$WORK/data"

train() {  # $1 out dir, $2 work name, more options
  local out=$1 name=$2
  shift 2
  WORK=$WORK/$name bash "$ROOT/scripts/train-argument-models.sh" --group group --max-distance $MAX_DISTANCE \
    --weights "$ROOT/data/samples/models/weights.json" --grid-c -12:-4:1 "$@" "$BIN" "$WORK/data/train.ndjson" "$out"
}
if [ "${SKIP_TRAINING:-0}" != 0 ]; then
  [ -f "$NEW/link.model" ] && [ -f "$NEW/topic/link.model" ] || die "SKIP_TRAINING: no models in $NEW"
  say "measuring the models already in $NEW"
else
  say "topic-free models"
  train "$NEW" free
  say "topic-aware models"
  train "$NEW/topic" topic --topic
fi

say "held-out sets"
mkdir -p "$WORK/eval"
evaluate() {  # $1 models, $2 name
  for t in "$WORK"/data/test-*.ndjson; do
    n=$(basename "$t" .ndjson)
    $PY "$HELP/eval_genres.py" --bin "$BIN" --models "$1" --max-distance $MAX_DISTANCE --top $TOP \
      --top-right $TOP_RIGHT "$t" >"$WORK/eval/$2.${n#test-}.json"
  done
}
evaluate "$NEW" free
evaluate "$NEW/topic" topic
if [ "$PREVIOUS" != none ]; then
  say "the models shipped at $PREVIOUS"
  rm -rf "$WORK/previous" && mkdir -p "$WORK/previous"
  for f in features.json vocab.tsv claim.model claim.model.json evidence.model evidence.model.json link.model \
    link.model.json link.pairs.json; do
    git -C "$ROOT" show "$PREVIOUS:data/samples/models/$f" >"$WORK/previous/$f" ||
      die "cannot read data/samples/models/$f at $PREVIOUS (set PREVIOUS=none to skip)"
  done
  evaluate "$WORK/previous" previous
elif [ -f "$OUT/metrics.json" ]; then
  $PY -c 'import json,sys; m=json.load(open(sys.argv[1])); [json.dump(v, open(sys.argv[2]+"/previous."+k+".json","w")) for k,v in m["previous"].items()]' \
    "$OUT/metrics.json" "$WORK/eval"
fi
if [ "${BASELINE:-1}" != 0 ]; then
  say "scikit-learn baseline on the same training sentences"
  $PY "$ROOT/scripts/baseline-genres.py" --data "$WORK/data" >"$WORK/eval/baseline.json"
elif [ -f "$OUT/baseline.json" ]; then
  cp "$OUT/baseline.json" "$WORK/eval/baseline.json"
fi
if [ "${ABLATION:-1}" != 0 ]; then
  say "ablation (each feature group)"
  bash "$HELP/ablation.sh" "$BIN" "$WORK/data" "$ROOT/data/samples/models/weights.json" "$WORK/eval/ablation.json"
elif [ -f "$OUT/metrics.json" ]; then
  $PY -c 'import json,sys; json.dump(json.load(open(sys.argv[1]))["ablation"], open(sys.argv[2], "w"))' \
    "$OUT/metrics.json" "$WORK/eval/ablation.json"
fi
$PY "$HELP/models_helper.py" metrics "$WORK" >"$NEW/metrics.json"
[ ! -f "$WORK/eval/baseline.json" ] || cp "$WORK/eval/baseline.json" "$NEW/baseline.json"
cp "$ROOT/data/samples/models/weights.json" "$NEW/weights.json"
$PY "$HELP/models_helper.py" readme "$NEW/metrics.json" >"$NEW/README.md"

# Install: replace the shipped files only now that everything succeeded; the files of the models
# shipped before that the new set does not have (evidence.model) go.
for f in $(cd "$NEW" && find . -type f); do
  mkdir -p "$(dirname "$OUT/$f")"
  cp "$NEW/$f" "$OUT/$f.tmp" && mv "$OUT/$f.tmp" "$OUT/$f"
done
for old in evidence.model evidence.model.json topic/evidence.model topic/evidence.model.json; do
  rm -f "$OUT/$old"
done
say "models written to ${OUT#"$ROOT"/}"
