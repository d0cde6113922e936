#!/usr/bin/env bash
# train-argument-models.sh — train the argument-mining models on your own labelled sentences.
#
#   scripts/train-argument-models.sh [options] BIN_DIR TRAIN.ndjson OUT_DIR
#
# TRAIN.ndjson: one record per sentence, as `mlsplit` writes them (doc, para, sent, para_sent,
# para_sents, doc_paras, doc_sents, text), plus its labels:
#   claim      1 when the sentence states a claim (a position, policy or value judgement), else 0
#   support    1 when it is offered for or against a claim (a reason, fact, example, study), else 0
#              (a field named evidence is read when there is no support field)
#   thesis     1 for the central claim of its document, else 0 (optional: without it no thesis
#              model is trained)
#   against    1 for a claim or support that argues against its document's thesis, 0 for one
#              that argues for it (optional: mllink writes each link's stance from it)
#   claim_ids  the ids of the claims the sentence states (array; [] for none)
#   supports   the ids of the claims it backs; attacks: those it argues against (arrays; optional)
#   topic      (with --topic) what the text argues about
#   GROUP      a field that keeps sentences together in cross-validation (--group; default: doc)
# A label that is absent or null leaves the row out of that model. A (claim, support) pair of
# one document is a link when the claim's claim_ids meet the support's supports or attacks.
# scripts/data/written_corpus.py turns annotated texts (data/samples/written/README.md) into
# such records.
#
# OUT_DIR receives features.json + vocab.tsv (mlfeat's spec and vocabulary), claim.model,
# support.model, thesis.model and against.model (sentence models; thesis and against when the
# data has them), link.model (+ link.pairs.json), each with its .json sidecar: C, the calibration and
# the threshold chosen by cross-validation whose folds keep a GROUP together. Intermediate files
# and CV tables go to $WORK (default: OUT_DIR/work). Files in OUT_DIR are replaced only when
# every step succeeded.
#
# Options:
#   --topic              add the topic group (records need a topic field at prediction too)
#   --group FIELD        cross-validation groups (default: doc)
#   --folds K            (5; fewer when there are fewer groups)
#   --max-distance N     link pairs at most N sentences apart in a document, as the pipeline (20)
#   --features "OPTS"    mlfeat options (default: the shipped models', see FEATURES below)
#   --grid-c LO:HI:STEP  log2 C values tried for every model (-10:0:1)
#   --weights FILE       weigh rows by corpus (JSON; see scripts/data/training_rows.py)
#   -h, --help
#
# A few hundred labelled sentences are enough to run; the models are only as good as the data.
set -euo pipefail

die() { echo "train-argument-models: error: $*" >&2; exit 1; }
say() { echo "train-argument-models: $*" >&2; }
usage() { sed -n '2,40p' "$0" | sed 's/^# \{0,1\}//'; }

TOPIC=0
GROUP=doc
FOLDS=5
MAX_DISTANCE=20
FEATURES="--ngrams 2 --min-df 3 --max-features 20000 --weight tfidf --group claim-cues --group evidence-cues --group shape --group opinion --group syntax:pos=3,bits=16 --group position --group discourse --group wordnet --long-docs 40"
GRID_C=-10:0:1
WEIGHTS=
while [ $# -gt 0 ]; do
  case $1 in
    --topic) TOPIC=1; shift ;;
    --group) [ $# -ge 2 ] || die "--group needs a FIELD"; GROUP=$2; shift 2 ;;
    --folds) [ $# -ge 2 ] || die "--folds needs K"; FOLDS=$2; shift 2 ;;
    --max-distance) [ $# -ge 2 ] || die "--max-distance needs N"; MAX_DISTANCE=$2; shift 2 ;;
    --features) [ $# -ge 2 ] || die "--features needs mlfeat options"; FEATURES=$2; shift 2 ;;
    --grid-c) [ $# -ge 2 ] || die "--grid-c needs LO:HI:STEP"; GRID_C=$2; shift 2 ;;
    --weights) [ $# -ge 2 ] || die "--weights needs a FILE"; WEIGHTS=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "train-argument-models: error: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -eq 3 ] || { echo "usage: train-argument-models.sh [options] BIN_DIR TRAIN.ndjson OUT_DIR (see --help)" >&2; exit 2; }
BIN=$(cd "$1" 2>/dev/null && pwd) || die "no such folder: $1"
TRAIN=$2
OUT=$3
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=/usr/bin/python3
ROWS="$PY $ROOT/scripts/data/training_rows.py"
[ -f "$TRAIN" ] || die "no such file: $TRAIN"
[ -z "$WEIGHTS" ] || [ -f "$WEIGHTS" ] || die "no such file: $WEIGHTS"
case $FOLDS in '' | *[!0-9]*) die "--folds: expected a whole number, got '$FOLDS'" ;; esac
for t in mlfeat mltrain mljoin mllink; do
  [ -x "$BIN/$t" ] || die "$BIN/$t is missing: build it first (make build)"
done
[ -x "$PY" ] || die "$PY is needed"
[ "$TOPIC" = 0 ] || FEATURES="$FEATURES --group topic"

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
W=${WORK:-$OUT/work}
mkdir -p "$W"
W=$(cd "$W" && pwd)
M=$W/models  # built here, moved to OUT when every step succeeded
rm -rf "$M" && mkdir -p "$M"

# Folds: no more than the groups there are (a few hundred sentences may be a dozen documents).
groups=$($PY -c 'import json,sys
print(len({json.dumps(json.loads(l).get(sys.argv[2])) for l in open(sys.argv[1]) if l.strip()}))' "$TRAIN" "$GROUP")
[ "$groups" -ge 2 ] || die "the records have $groups value(s) of '$GROUP': cross-validation needs at least 2 (--group FIELD)"
[ "$FOLDS" -le "$groups" ] || { say "$groups groups: $groups folds instead of $FOLDS"; FOLDS=$groups; }
BALANCE=--balanced
[ -z "$WEIGHTS" ] || BALANCE=  # the weights file sets the balance of classes per corpus

# One model, C chosen by grouped CV (best F1 of class 1), with its calibration, threshold and
# out-of-fold probabilities. $1 name, $2 rows, $3 label field, $4 group field; more mltrain
# options after.
fit() {
  local name=$1 rows=$2 label=$3 group=$4
  shift 4
  say "$name: mltrain -t linear --grid --grid-c $GRID_C --cv $FOLDS --group $group --calibrate --threshold best-f1"
  # shellcheck disable=SC2086
  "$BIN/mltrain" --label "$label" --positive 1 -l linear-svm --grid --grid-c "$GRID_C" --metric f1 --cv "$FOLDS" \
    --group "$group" --calibrate --threshold best-f1 --compact $BALANCE --oof "$W/$name.oof.ndjson" "$@" \
    -o "$M/$name.model" "$rows" >"$W/$name.train.txt" 2>&1 ||
    die "$name: mltrain failed (see $W/$name.train.txt)"
  say "$name: $(grep "^threshold:" "$W/$name.train.txt")"
}

# 1. Features: a vocabulary of word n-grams fitted on these sentences, and the groups.
say "features: mlfeat $FEATURES"
# shellcheck disable=SC2086
"$BIN/mlfeat" $FEATURES --fit "$M/vocab.tsv" --write-spec "$M/features.json" "$TRAIN" >"$W/train.f.ndjson"

# 2. Sentence models: claim and support always; the thesis, and against (the sentence argues
#    against its document's thesis: an opponent's view, an objection), when the data marks them.
sides=()
for task in claim support thesis against; do
  if ! $ROWS task-rows "$task" "$W/train.f.ndjson" "$W/$task.rows.ndjson" $WEIGHTS 2>"$W/$task.rows.txt"; then
    case $task in
      claim | support) die "$task: $(cat "$W/$task.rows.txt")" ;;
      *) say "$task: no labels, no $task model"; continue ;;
    esac
  fi
  if ! grep -q '"y":1' "$W/$task.rows.ndjson"; then
    case $task in
      claim | support) die "$task: no positive example" ;;
      *) say "$task: no positive example, no $task model"; continue ;;
    esac
  fi
  fit "$task" "$W/$task.rows.ndjson" y "$GROUP" --spec "$M/features.json"
  if [ "$task" = thesis ]; then
    # mljoin --thesis picks each document's best candidate among the sentences that pass: the
    # threshold lets through 95% of the true theses out of fold, rather than the best F1.
    read -r cost decision < <($PY - "$M/thesis.model.json" "$W/thesis.oof.ndjson" "$W/thesis.rows.ndjson" <<'PYEOF'
import json, sys
cost = json.load(open(sys.argv[1]))["params"]["cost"]
ys = [json.loads(l)["y"] for l in open(sys.argv[3]) if l.strip()]
pos = sorted(json.loads(l)["decision"] for l in open(sys.argv[2]) if l.strip() and ys[json.loads(l)["row"]])
print(cost, pos[int(0.05 * len(pos))])
PYEOF
)
    say "thesis: C=$cost, threshold at the 5th percentile of the theses' out-of-fold decision values: $decision"
    # shellcheck disable=SC2086
    "$BIN/mltrain" --label y --positive 1 -l linear-svm -c "$cost" --cv "$FOLDS" --group "$GROUP" --calibrate \
      --threshold "$decision" --compact $BALANCE --oof "$W/thesis.oof.ndjson" --spec "$M/features.json" \
      -o "$M/thesis.model" "$W/thesis.rows.ndjson" >"$W/thesis.train.txt" 2>&1 ||
      die "thesis: mltrain failed (see $W/thesis.train.txt)"
  fi
  sides+=("$task=$W/$task.oof.ndjson:$W/$task.rows.ndjson:$M/$task.model.json")
done

# 3. Link: the pairs the pipeline makes of the sides that passed out of fold (their scores are
#    out-of-fold probabilities), within --max-distance of one document, labelled 1 when the
#    support backs or argues against the claim: the link model learns whether the whole link is
#    right, sides included. Its vectors hold the pair features and side scores only
#    (--pair-only): the sides' own words tie a link model to the training topics.
$ROWS oof-sides "$W/train.f.ndjson" "$W/train.sides.ndjson" "${sides[@]}"
"$BIN/mljoin" --key doc --right support --max-distance "$MAX_DISTANCE" --slim --keep "$GROUP" --keep claim_ids \
  --keep backs --keep corpus "$W/train.sides.ndjson" |
  "$BIN/mllink" --right support --side-scores claim,support --features-only --pair-only --crossed \
    --label-overlap claim_ids,backs \
    --feature-spec "$M/features.json" --write-spec "$M/link.pairs.json" >"$W/link.pairs.ndjson"
pairs=$(grep -c . "$W/link.pairs.ndjson" || true)
[ "$pairs" -gt 0 ] || die "no link training pairs (no claim and support within $MAX_DISTANCE sentences?)"
grep -q '"label":1' "$W/link.pairs.ndjson" || die "no linked pair among the $pairs the join made"
if [ -n "$WEIGHTS" ]; then
  $ROWS weigh-pairs "$W/link.pairs.ndjson" "$W/link.rows.ndjson" "$WEIGHTS"
else
  cp "$W/link.pairs.ndjson" "$W/link.rows.ndjson"
fi
say "link: $pairs pairs, $(grep -c '"label":1' "$W/link.pairs.ndjson") linked"
fit link "$W/link.rows.ndjson" label "claim.$GROUP" --spec "$M/link.pairs.json"

# 4. Install: replace files in OUT only now that everything succeeded.
for f in "$M"/*; do
  cp "$f" "$OUT/.$(basename "$f").tmp" && mv "$OUT/.$(basename "$f").tmp" "$OUT/$(basename "$f")"
done
say "models written to $OUT"
