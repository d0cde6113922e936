#!/usr/bin/env bash
# ablation.sh BIN_DIR DATA_DIR WEIGHTS.json OUT.json — what each feature group adds, per genre.
#
# DATA_DIR is argument_data.py's output (train.ndjson, test-*.ndjson). For each feature set (the
# words alone; every group; every group but one; every group without the long-document copy),
# fits the vocabulary on the training sentences, trains the claim and support models as the
# shipped ones are trained (rows weighed by WEIGHTS, a linear SVM, threshold by best F1 over 3
# grouped folds) but with one C for all (2^-9, no search), and scores every held-out set at that
# threshold: F1 and AP per genre. Writes {"claim":{SET:{GENRE:{f1,ap}}},"support":{…}}.
# A report, not a choice: the shipped features were chosen before it ran.
set -euo pipefail
BIN=$1 DATA=$2 WEIGHTS=$3 OUT=$4
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
WORDS="--ngrams 2 --min-df 3 --max-features 20000 --weight tfidf"
ALL="claim-cues evidence-cues shape opinion syntax:pos=3,bits=16 position discourse wordnet"
LONG="--long-docs 40"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

configs=("words||" "all|$ALL|$LONG" "all-long-docs|$ALL|")
for g in $ALL; do configs+=("all-${g%%:*}|$(echo " $ALL " | sed "s| $g | |")|$LONG"); done

: >"$tmp/rows.ndjson"
for c in "${configs[@]}"; do
  IFS='|' read -r name groups long <<<"$c"
  opts="$WORDS $long"
  for g in $groups; do opts="$opts --group $g"; done
  # shellcheck disable=SC2086
  "$BIN/mlfeat" $opts --fit "$tmp/v.tsv" --write-spec "$tmp/s.json" "$DATA/train.ndjson" >"$tmp/train.f"
  models=()
  for task in claim support; do
    $PY "$HERE/training_rows.py" task-rows $task "$tmp/train.f" "$tmp/$task.rows" "$WEIGHTS" 2>/dev/null
    "$BIN/mltrain" --label y --positive 1 -l linear-svm -c 0.001953125 --compact --cv 3 --group group \
      --calibrate --threshold best-f1 --spec "$tmp/s.json" -o "$tmp/$task.model" "$tmp/$task.rows" >/dev/null 2>&1
    models+=(-m "$task=$tmp/$task.model")
  done
  for t in "$DATA"/test-*.ndjson; do
    "$BIN/mlfeat" --spec "$tmp/s.json" "$t" | "$BIN/mlclassify" "${models[@]}" --drop-features >"$tmp/scored"
    $PY - "$name" "$tmp/scored" "$HERE" >>"$tmp/rows.ndjson" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[3])
import evalmetrics
name, path = sys.argv[1:3]
rows = [json.loads(l) for l in open(path)]
# CDCP's comments and the written comments share a genre: CDCP's are named by their corpus.
label = lambda r: "cdcp" if r.get("corpus") == "cdcp" else r["genre"]
for g in sorted({label(r) for r in rows}):
    sel = [r for r in rows if label(r) == g]
    for t in ("claim", "support"):
        y = [int(r.get(t) or 0) for r in sel]
        d = [r["passed"][t] for r in sel]
        s = [r["scores"][t] for r in sel]
        tp = sum(1 for a, b in zip(y, d) if a and b)
        p = tp / max(1, sum(d)); rc = tp / max(1, sum(y))
        print(json.dumps({"set": name, "task": t, "genre": g, "f1": 2 * p * rc / (p + rc) if p + rc else 0.0,
                          "ap": evalmetrics.average_precision(y, s) if sum(y) else None}))
PY
  done
  echo "ablation: $name done" >&2
done
$PY - "$tmp/rows.ndjson" "$OUT" <<'PY'
import json, sys
out = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    out.setdefault(r["task"], {}).setdefault(r["set"], {})[r["genre"]] = {"f1": r["f1"], "ap": r["ap"]}
json.dump(out, open(sys.argv[2], "w"), indent=1)
PY
