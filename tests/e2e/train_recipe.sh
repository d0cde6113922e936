#!/usr/bin/env bash
# scripts/train-argument-models.sh, the documented way to train claim, evidence and link models
# on one's own labelled sentences, works end to end on a small set (6,000 sentences of four
# training motions, 3 grouped folds, one C): it writes the three models with calibrations and
# thresholds into the folder asked for (and nothing into the shipped models' folder), and the
# README pipeline runs with them.
# Usage: train_recipe.sh BIN_DIR
set -u
bin=$(cd "$1" && pwd)
root=${MLPIPE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
py=/usr/bin/python3
[ -x "$py" ] || { echo "SKIP: $py is missing"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
before=$(cd "$root/data/samples/models" && find . -type f -newer "$root/Makefile" | wc -l)
gzip -dc "$root/data/samples/ibm/train.ndjson.gz" | head -n 6000 >"$tmp/train.ndjson"
bash "$root/scripts/train-argument-models.sh" --group motion --folds 3 --cost 0.1 --link-cost 0.1 \
  --features "--ngrams 1 --min-df 2 --max-features 3000 --weight tfidf --group claim-cues --group syntax:pos=2,bits=10" \
  "$bin" "$tmp/train.ndjson" "$tmp/out" 2>"$tmp/log" || { echo "FAIL: the recipe failed:"; tail -5 "$tmp/log"; exit 1; }
fail=0
for f in features.json vocab.tsv claim.model evidence.model link.model link.pairs.json \
         claim.model.json evidence.model.json link.model.json; do
  [ -s "$tmp/out/$f" ] || { echo "FAIL: $f was not written"; fail=1; }
done
for m in claim evidence link; do
  grep -q '"calibration":{"method":"platt"' "$tmp/out/$m.model.json" && grep -q '"threshold":{' "$tmp/out/$m.model.json" ||
    { echo "FAIL: $m.model.json has no calibration or threshold"; fail=1; }
done
after=$(cd "$root/data/samples/models" && find . -type f -newer "$root/Makefile" | wc -l)
[ "$before" = "$after" ] || { echo "FAIL: the shipped models' folder changed"; fail=1; }
M=$tmp/out
"$bin/mlsplit" "$root"/data/samples/essays/*.txt | "$bin/mlfeat" --spec "$M/features.json" |
  "$bin/mlclassify" -m claim="$M/claim.model" -m evidence="$M/evidence.model" --keep any |
  "$bin/mljoin" --key doc --max-distance 20 | "$bin/mllink" -m "$M/link.model" --top 2 >"$tmp/links" ||
  { echo "FAIL: the pipeline with the new models failed"; fail=1; }
echo "trained; the pipeline with the new models kept $(wc -l <"$tmp/links") links"
exit $fail
