#!/usr/bin/env bash
# ablation.sh BIN_DIR TRAIN.ndjson TEST.ndjson OUT.json — what each feature group adds.
#
# For claim and evidence, and for each feature set (the words alone; the words and one group;
# every group; every group but one), fits the vocabulary on TRAIN, trains a linear SVM with
# mltrain (C=0.03, balanced, threshold by best F1 over 5 folds grouped by motion: the shipped
# models' recipe without its C search) and scores TEST at that threshold. Writes one JSON object:
# {"claim":{"words":{precision,recall,f1,ap},…},"evidence":{…}}. Called by make-models.sh.
set -euo pipefail
BIN=$1 TRAIN=$2 TEST=$3 OUT=$4
HERE=$(cd "$(dirname "$0")" && pwd)
WORDS="--ngrams 2 --min-df 3 --max-features 20000 --weight tfidf"
ALL="claim-cues evidence-cues shape opinion syntax:pos=3,bits=16 topic"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

configs=("words|" "all|$ALL")
for g in $ALL; do configs+=("+${g%%:*}|$g"); done
for g in $ALL; do configs+=("all-${g%%:*}|$(echo " $ALL " | sed "s| $g | |")"); done

echo "{" >"$tmp/out.json"
first=1
for c in "${configs[@]}"; do
  name=${c%%|*}
  groups=${c#*|}
  opts=$WORDS
  for g in $groups; do opts="$opts --group $g"; done
  # shellcheck disable=SC2086
  "$BIN/mlfeat" $opts --fit "$tmp/v.tsv" --write-spec "$tmp/s.json" "$TRAIN" >"$tmp/train.f"
  "$BIN/mlfeat" --spec "$tmp/s.json" "$TEST" >"$tmp/test.f"
  for task in claim evidence; do
    "$BIN/mltrain" --label "$task" --positive 1 -t linear -c 0.03 --balanced --compact --cv 5 --group motion \
      --calibrate --threshold best-f1 -o "$tmp/$task.model" "$tmp/train.f" >/dev/null 2>&1
  done
  "$BIN/mlclassify" -m claim="$tmp/claim.model" -m evidence="$tmp/evidence.model" --drop-features "$tmp/test.f" \
    >"$tmp/scored"
  [ $first = 1 ] || echo "," >>"$tmp/out.json"
  first=0
  /usr/bin/python3 - "$name" "$tmp/scored" "$HERE" >>"$tmp/out.json" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[3])
name, path = sys.argv[1:3]
rows = [json.loads(l) for l in open(path)]
res = {}
for t in ("claim", "evidence"):
    y = [int(r[t]) for r in rows]
    d = [r["passed"][t] for r in rows]
    s = [r["scores"][t] for r in rows]
    tp = sum(1 for a, b in zip(y, d) if a and b)
    p = tp / max(1, sum(d)); rc = tp / max(1, sum(y))
    import evalmetrics
    res[t] = {"precision": p, "recall": rc, "f1": 2 * p * rc / (p + rc) if p + rc else 0.0,
              "ap": evalmetrics.average_precision(y, s)}
sys.stdout.write(json.dumps(name) + ":" + json.dumps(res))
PY
  echo "ablation: $name done" >&2
done
echo "}" >>"$tmp/out.json"
/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
out = {t: {k: v[t] for k, v in d.items()} for t in ("claim", "evidence")}
json.dump(out, open(sys.argv[2], "w"), indent=1)' "$tmp/out.json" "$OUT"
