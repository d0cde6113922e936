#!/usr/bin/env bash
# train-argument-models.sh — train claim, evidence and link models on your own labelled sentences.
#
#   bash scripts/train-argument-models.sh [options] BIN_DIR TRAIN.ndjson OUT_DIR
#
# TRAIN.ndjson: one record per sentence, as mlsplit writes them (doc, para, sent, text) plus
#   claim      1 when the sentence states a claim, else 0
#   evidence   1 when it is (part of) evidence, else 0
#   claim_ids  the ids of the claims the sentence states (array; [] for none)
#   supports   the ids of the claims its evidence supports (array; [] for none)
#   topic      (with --topic) what the text argues about, e.g. a debate motion
#   GROUP      a field that groups sentences for honest cross-validation (--group; default: doc)
# A (claim sentence, evidence sentence) pair of one document is a link when the claim's
# claim_ids and the evidence's supports share an id.
#
# OUT_DIR receives features.json + vocab.tsv (mlfeat's spec and vocabulary), claim.model,
# evidence.model and link.model (each with its .json sidecar: calibration and threshold chosen
# by grouped cross-validation) and link.pairs.json. Intermediate files and CV tables go to
# $WORK (default: OUT_DIR/work).
# The shipped models are never touched unless OUT_DIR is their folder.
#
# Options:
#   --topic              add the topic group (records need a topic field at prediction too)
#   --group FIELD        cross-validation groups (default: doc; the shipped models use motion)
#   --folds K            (5)
#   --max-distance N     link pairs at most N sentences apart in a document, as the pipeline (20)
#   --features "OPTS"    mlfeat options (default: the shipped models', see below)
#   --cost "C1,C2,…"     C values tried for claim and evidence (0.01,0.03,0.1)
#   --link-cost "…"      C values tried for the link model (0.01,0.1,1)
#   --crossed            give the link model mllink's crossed pair features (claim x evidence
#                        probability, distance buckets): a better ranking in grouped CV on the
#                        training motions (topic-free: AP 0.198 -> 0.232), but links then need
#                        both sides to be sure, and on text unlike the training data few remain
#                        (bench/essays.sh: 93 links instead of 366), so the shipped models go without
set -euo pipefail

die() { echo "train-argument-models: $*" >&2; exit 1; }
say() { echo "train-argument-models: $*" >&2; }

TOPIC=0
GROUP=doc
FOLDS=5
MAX_DISTANCE=20
FEATURES="--ngrams 2 --min-df 3 --max-features 20000 --weight tfidf --group claim-cues --group evidence-cues --group shape --group opinion --group syntax:pos=3,bits=16"
GRID_C=0.01,0.03,0.1
LINK_GRID_C=0.01,0.1,1
CROSSED=
while [ $# -gt 0 ]; do
  case $1 in
    --topic) TOPIC=1; shift ;;
    --group) GROUP=$2; shift 2 ;;
    --folds) FOLDS=$2; shift 2 ;;
    --max-distance) MAX_DISTANCE=$2; shift 2 ;;
    --features) FEATURES=$2; shift 2 ;;
    --cost) GRID_C=$2; shift 2 ;;
    --link-cost) LINK_GRID_C=$2; shift 2 ;;
    --crossed) CROSSED=--crossed; shift ;;
    -h|--help) sed -n '2,34p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) break ;;
  esac
done
[ $# -eq 3 ] || die "usage: train-argument-models.sh [options] BIN_DIR TRAIN.ndjson OUT_DIR (see --help)"
BIN=$(cd "$1" && pwd) || die "no such folder: $1"
TRAIN=$2
OUT=$3
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=/usr/bin/python3
HELP=$ROOT/scripts/data
[ -f "$TRAIN" ] || die "no such file: $TRAIN"
for t in mlfeat mltrain mlclassify mljoin mllink; do
  [ -x "$BIN/$t" ] || die "$BIN/$t is missing: build it first (make build)"
done
[ -x "$PY" ] || die "$PY is needed (for grouped cross-validation)"
[ "$TOPIC" = 0 ] || FEATURES="$FEATURES --group topic"

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
W=${WORK:-$OUT/work}
mkdir -p "$W"
W=$(cd "$W" && pwd)
M=$W/models  # built here, moved to OUT when every step succeeded
rm -rf "$M" && mkdir -p "$M"

# 1. Features: a vocabulary of word n-grams fitted on these sentences, and the groups.
say "features: mlfeat $FEATURES"
# shellcheck disable=SC2086
"$BIN/mlfeat" $FEATURES --fit "$M/vocab.tsv" --write-spec "$M/features.json" "$TRAIN" >"$W/train.f.ndjson"

# 2. Claim and evidence: C by grouped CV (ranked by F1, then AP), then the model with its
#    calibration and threshold from grouped out-of-fold values, and those values for step 3.
for task in claim evidence; do
  say "$task: grouped $FOLDS-fold CV by $GROUP, C in {$GRID_C}"
  $PY "$HELP/grouped_cv.py" --bin "$BIN" --label "$task" --group "$GROUP" --folds "$FOLDS" \
    --cost "$GRID_C" --pos-weight balanced --name "$task" "$W/train.f.ndjson" >"$W/$task.cv.json"
  cost=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["best"]["cost"])' "$W/$task.cv.json")
  say "$task: mltrain -t linear -c $cost --balanced --calibrate --threshold best-f1"
  "$BIN/mltrain" --label "$task" --positive 1 -t linear -c "$cost" --balanced --compact \
    --cv "$FOLDS" --group "$GROUP" --calibrate --threshold best-f1 --oof "$W/$task.oof.ndjson" \
    --spec "$M/features.json" -o "$M/$task.model" "$W/train.f.ndjson" >"$W/$task.train.txt" 2>&1 ||
    die "$task: mltrain failed (see $W/$task.train.txt)"
  say "$task: $(grep "^threshold:" "$W/$task.train.txt")"
done

# 3. Link: the pairs the pipeline makes (sides that passed out of fold, within --max-distance
#    of one document), and every gold claim x gold evidence pair there too, so that the model
#    learns to reject the false sides it will meet. Sides carry out-of-fold probabilities. The
#    vectors hold the pair features and side scores only (--pair-only): the sides' own words
#    tie a link model to the training topics.
$PY "$HELP/models_helper.py" oof-sides "$W/train.f.ndjson" "$W/train.sides.ndjson" \
  claim="$W/claim.oof.ndjson" evidence="$W/evidence.oof.ndjson" \
  claim.threshold="$M/claim.model.json" evidence.threshold="$M/evidence.model.json"
"$BIN/mljoin" --key doc --max-distance "$MAX_DISTANCE" --slim --keep "$GROUP" --keep claim_ids --keep supports \
  "$W/train.sides.ndjson" \
  | "$BIN/mllink" --features-only --pair-only $CROSSED --label-overlap claim_ids,supports \
      --feature-spec "$M/features.json" --write-spec "$M/link.pairs.json" >"$W/link.train.ndjson"
pairs=$(wc -l <"$W/link.train.ndjson")
[ "$pairs" -gt 0 ] || die "no link training pairs (no claim and evidence within $MAX_DISTANCE sentences?)"
say "link: $pairs training pairs; grouped CV by claim.$GROUP, C in {$LINK_GRID_C}"
$PY "$HELP/grouped_cv.py" --bin "$BIN" --label label --group "claim.$GROUP" --folds "$FOLDS" \
  --cost "$LINK_GRID_C" --pos-weight balanced --name link "$W/link.train.ndjson" >"$W/link.cv.json"
cost=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["best"]["cost"])' "$W/link.cv.json")
say "link: mltrain -t linear -c $cost --balanced --calibrate --threshold best-f1"
"$BIN/mltrain" --label label --positive 1 -t linear -c "$cost" --balanced --compact \
  --cv "$FOLDS" --group "claim.$GROUP" --calibrate --threshold best-f1 \
  --spec "$M/link.pairs.json" -o "$M/link.model" "$W/link.train.ndjson" >"$W/link.train.txt" 2>&1 ||
  die "link: mltrain failed (see $W/link.train.txt)"
say "link: $(grep "^threshold:" "$W/link.train.txt")"

# 4. Install: replace files in OUT only now that everything succeeded.
for f in "$M"/*; do
  cp "$f" "$OUT/.$(basename "$f").tmp" && mv "$OUT/.$(basename "$f").tmp" "$OUT/$(basename "$f")"
done
say "models written to $OUT"
