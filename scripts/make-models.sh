#!/usr/bin/env bash
# make-models.sh BIN_DIR [WORK_DIR] — train the shipped claim, evidence and link models.
#
#   bash scripts/make-models.sh build/bin          (what `make models` runs)
#
# Input: the labelled sentences in data/samples/ibm/ (made by scripts/prepare-ibm.py), split by
# motion in split.json. Output: data/samples/models/{features.json, vocab.tsv, claim.model,
# evidence.model, link.model (+ .json sidecars), link.pairs.json, README.md}, replaced only when
# every step succeeded. Intermediate files, held-out scores and metrics.json stay in WORK_DIR
# (default: BIN_DIR/../models-work) for scripts/baseline-sklearn.py and for inspection.
# Deterministic: the same data and programs give the same models.
#
# Environment: FOLDS (5), GRID_C (claim/evidence C values), LINK_GRID_C, POS_WEIGHTS,
# MAX_FEATURES (20000), BASELINE=0 to skip the scikit-learn baseline.
set -euo pipefail

die() { echo "make-models: $*" >&2; exit 1; }
[ $# -ge 1 ] || die "usage: make-models.sh BIN_DIR [WORK_DIR]"
BIN=$(cd "$1" && pwd) || die "no such folder: $1"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${2:-$BIN/../models-work}
DATA=$ROOT/data/samples/ibm
OUT=$ROOT/data/samples/models
PY=/usr/bin/python3
HELP=$ROOT/scripts/data
FOLDS=${FOLDS:-5}
GRID_C=${GRID_C:-0.01,0.02,0.03,0.05,0.1}
LINK_GRID_C=${LINK_GRID_C:-0.03,0.1,0.3,1}
POS_WEIGHTS=${POS_WEIGHTS:-balanced}
MAX_FEATURES=${MAX_FEATURES:-20000}
FEATURES="--ngrams 2 --min-df 3 --max-features $MAX_FEATURES --weight tfidf"

for t in mlfeat mltrain mlclassify mljoin mllink; do
  [ -x "$BIN/$t" ] || die "$BIN/$t is missing: build it first (make build)"
done
[ -x "$PY" ] || die "$PY is needed"
for f in train.ndjson.gz test.ndjson.gz split.json; do
  [ -f "$DATA/$f" ] || die "$DATA/$f is missing: run scripts/prepare-ibm.py"
done

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
M=$WORK/models          # the new models, moved to $OUT at the end
rm -rf "$M" && mkdir -p "$M"
say() { echo "make-models: $*" >&2; }

gzip -dc "$DATA/train.ndjson.gz" >"$WORK/train.ndjson"
gzip -dc "$DATA/test.ndjson.gz" >"$WORK/test.ndjson"

# 1. Features: a vocabulary of word 1-2-grams (Snowball stems) fitted on the training motions.
say "features: mlfeat $FEATURES"
# shellcheck disable=SC2086
"$BIN/mlfeat" $FEATURES --fit "$M/vocab.tsv" --write-spec "$M/features.json" \
  "$WORK/train.ndjson" >"$WORK/train.f.ndjson"
"$BIN/mlfeat" --spec "$M/features.json" "$WORK/test.ndjson" >"$WORK/test.f.ndjson"

# 2. Claim and evidence: C (and class weight) by grouped CV over training motions, then train.
declare -A COST WEIGHT
for task in claim evidence; do
  say "$task: grouped $FOLDS-fold CV over training motions, C in {$GRID_C}"
  $PY "$HELP/grouped_cv.py" --bin "$BIN" --label "$task" --group motion --folds "$FOLDS" \
    --cost "$GRID_C" --pos-weight "$POS_WEIGHTS" --name "$task" --oof "$WORK/$task.oof.json" \
    "$WORK/train.f.ndjson" >"$WORK/$task.cv.json"
  COST[$task]=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["best"]["cost"])' "$WORK/$task.cv.json")
  WEIGHT[$task]=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["best"]["pos_weight"])' "$WORK/$task.cv.json")
  wopt=(--balanced)
  [ "${WEIGHT[$task]}" = balanced ] || wopt=(--weight "1=${WEIGHT[$task]}")
  say "$task: mltrain -t linear -c ${COST[$task]} ${wopt[*]}"
  "$BIN/mltrain" --label "$task" --positive 1 -t linear -c "${COST[$task]}" "${wopt[@]}" --compact \
    --spec "$M/features.json" -o "$M/$task.model" "$WORK/train.f.ndjson"
done

# Held-out sentence scores.
"$BIN/mlclassify" -m claim="$M/claim.model" -m evidence="$M/evidence.model" --spec "$M/features.json" \
  "$WORK/test.f.ndjson" >"$WORK/test.scored.ndjson"

# 3. Link: gold claim x gold evidence sentences of one motion; the sides carry out-of-fold scores.
$PY "$HELP/models_helper.py" add-scores "$WORK/train.f.ndjson" "$WORK/train.oof.ndjson" \
  claim="$WORK/claim.oof.json" evidence="$WORK/evidence.oof.json"
"$BIN/mljoin" --key motion --left-field claim --right-field evidence "$WORK/train.oof.ndjson" \
  | "$BIN/mllink" --features-only --label-overlap claim_ids,supports --drop-sides \
      --feature-spec "$M/features.json" --write-spec "$M/link.pairs.json" >"$WORK/link.train.ndjson"
say "link: $(wc -l <"$WORK/link.train.ndjson") training pairs; grouped CV, C in {$LINK_GRID_C}"
$PY "$HELP/grouped_cv.py" --bin "$BIN" --label label --group key --folds "$FOLDS" \
  --cost "$LINK_GRID_C" --pos-weight "$POS_WEIGHTS" --name link "$WORK/link.train.ndjson" >"$WORK/link.cv.json"
COST[link]=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["best"]["cost"])' "$WORK/link.cv.json")
WEIGHT[link]=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["best"]["pos_weight"])' "$WORK/link.cv.json")
wopt=(--balanced)
[ "${WEIGHT[link]}" = balanced ] || wopt=(--weight "1=${WEIGHT[link]}")
say "link: mltrain -t linear -c ${COST[link]} ${wopt[*]}"
"$BIN/mltrain" --label label --positive 1 -t linear -c "${COST[link]}" "${wopt[@]}" --compact \
  --spec "$M/link.pairs.json" -o "$M/link.model" "$WORK/link.train.ndjson"

# Held-out link scores: gold candidate pairs, sides scored by the claim and evidence models.
"$BIN/mljoin" --key motion --left-field claim --right-field evidence "$WORK/test.scored.ndjson" \
  | "$BIN/mllink" -m "$M/link.model" --all >"$WORK/test.pairs.ndjson"
# The whole pipeline with its defaults on the held-out motions (key: motion, as on this corpus).
"$BIN/mlclassify" -m claim="$M/claim.model" -m evidence="$M/evidence.model" --keep any "$WORK/test.f.ndjson" \
  | "$BIN/mljoin" --key motion | "$BIN/mllink" -m "$M/link.model" >"$WORK/test.linked.ndjson"

# 4. Metrics.
$PY - "$WORK" "$DATA/split.json" "$FEATURES" "$HELP" <<'EOF'
import json, os, subprocess, sys
work, split_path, features, helpdir = sys.argv[1:5]
helper = [sys.executable, os.path.join(helpdir, "models_helper.py")]
def run(*a):
    return json.loads(subprocess.run(helper + list(a), check=True, stdout=subprocess.PIPE).stdout)
held = run("eval-sentences", os.path.join(work, "test.scored.ndjson"), "claim", "evidence")
held["link"] = run("eval-pairs", os.path.join(work, "test.pairs.ndjson"))
pipe = run("eval-pipeline", os.path.join(work, "test.linked.ndjson"), os.path.join(work, "test.ndjson"))
split = json.load(open(split_path))
count = lambda p: sum(1 for l in open(p) if l.strip())
link_pos = sum(json.loads(l)["label"] for l in open(os.path.join(work, "link.train.ndjson")))
cv = {k: json.load(open(os.path.join(work, k + ".cv.json"))) for k in ("claim", "evidence", "link")}
out = {"features": features, "heldout": held, "pipeline": pipe, "cv": cv,
       "training": {"train_motions": len(split["train"]), "test_motions": len(split["test"]),
                    "train_sentences": count(os.path.join(work, "train.ndjson")),
                    "test_sentences": count(os.path.join(work, "test.ndjson")),
                    "link_pairs": count(os.path.join(work, "link.train.ndjson")), "link_positives": link_pos}}
json.dump(out, open(os.path.join(work, "metrics.json"), "w"), indent=1)
EOF

BASE=
if [ "${BASELINE:-1}" != 0 ] && $PY -c 'import sklearn' 2>/dev/null; then
  say "scikit-learn baseline on the same split"
  $PY "$ROOT/scripts/baseline-sklearn.py" --data "$DATA" --mlpipe "$WORK/metrics.json" --json "$WORK/baseline.json" \
    | tee "$WORK/comparison.txt" >&2
  BASE=$WORK/baseline.json
elif [ -f "$OUT/baseline.json" ]; then
  BASE=$OUT/baseline.json  # keep the last baseline figures
fi
[ -z "$BASE" ] || [ "$BASE" = "$OUT/baseline.json" ] || cp "$BASE" "$M/baseline.json"
$PY "$HELP/models_helper.py" readme "$WORK/metrics.json" ${BASE:+"$BASE"} >"$M/README.md"
cp "$WORK/metrics.json" "$M/metrics.json"
[ "$BASE" != "$OUT/baseline.json" ] || cp "$BASE" "$M/baseline.json"

# 5. Install: replace the shipped files only now that everything succeeded.
mkdir -p "$OUT"
for f in "$M"/*; do
  cp "$f" "$OUT/.$(basename "$f").tmp" && mv "$OUT/.$(basename "$f").tmp" "$OUT/$(basename "$f")"
done
say "models written to ${OUT#"$ROOT"/}:"
ls -l "$OUT" >&2
