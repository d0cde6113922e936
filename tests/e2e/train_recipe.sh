#!/usr/bin/env bash
# scripts/train-argument-models.sh, the documented way to train the argument models on one's own
# labelled sentences, works end to end on a few hundred records (about 400 sentences of the texts
# written for mlpipe, turned into records by scripts/data/written_corpus.py; 3 grouped folds): it
# writes the claim, support, thesis, against and link models with calibrations and thresholds
# into the folder asked for (and nothing into the shipped models' folder), and the README pipeline
# runs with them. Also: the script is executable, --help prints its usage, a bad option is an
# error with status 2... and a few records too few to cross-validate are a clear error.
# Usage: train_recipe.sh BIN_DIR
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
bin=$(cd "$1" && pwd)
root=${MLPIPE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
py=/usr/bin/python3
recipe=$root/scripts/train-argument-models.sh
[ -x "$py" ] || { echo "SKIP: $py is missing"; exit 77; }
[ -f /usr/share/wordnet/index.noun ] || [ -n "${MLPIPE_WORDNET:-}" ] || { echo "SKIP: WordNet is not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

[ -x "$recipe" ] || { echo "FAIL: $recipe is not executable"; fail=1; }
"$recipe" --help >"$tmp/help" 2>&1 && grep -q "^train-argument-models.sh" "$tmp/help" ||
  { echo "FAIL: --help"; cat "$tmp/help"; fail=1; }
status=0
"$recipe" --bogus >/dev/null 2>"$tmp/err" || status=$?
[ $status -ne 0 ] && grep -q "unknown option --bogus" "$tmp/err" || { echo "FAIL: a bad option is not refused"; fail=1; }
status=0
"$recipe" "$bin" 2>"$tmp/err" || status=$?
[ $status -eq 2 ] || { echo "FAIL: missing arguments do not exit 2"; fail=1; }

before=$(cd "$root/data/samples/models" && find . -type f -newer "$root/Makefile" | wc -l)
files=("$root"/data/samples/written/train/*.txt)
"$py" "$root/scripts/data/written_corpus.py" records --bin "$bin" "${files[@]:0:36}" >"$tmp/train.ndjson" ||
  { echo "FAIL: written_corpus.py records"; exit 1; }
n=$(wc -l <"$tmp/train.ndjson")
[ "$n" -ge 300 ] && [ "$n" -le 700 ] || echo "note: $n training sentences"
WORK=$tmp/work bash "$recipe" --folds 3 --grid-c -6:-2:2 "$bin" "$tmp/train.ndjson" "$tmp/out" 2>"$tmp/log" ||
  { echo "FAIL: the recipe failed on $n records:"; tail -5 "$tmp/log"; exit 1; }
for f in features.json vocab.tsv link.pairs.json; do
  [ -s "$tmp/out/$f" ] || { echo "FAIL: $f was not written"; fail=1; }
done
for m in claim support thesis against link; do
  [ -s "$tmp/out/$m.model" ] || { echo "FAIL: $m.model was not written"; fail=1; continue; }
  grep -q '"calibration":{"method":"platt"' "$tmp/out/$m.model.json" && grep -q '"threshold":{' "$tmp/out/$m.model.json" ||
    { echo "FAIL: $m.model.json has no calibration or threshold"; fail=1; }
done
after=$(cd "$root/data/samples/models" && find . -type f -newer "$root/Makefile" | wc -l)
[ "$before" = "$after" ] || { echo "FAIL: the shipped models' folder changed"; fail=1; }
M=$tmp/out
"$bin/mlsplit" "$root"/data/samples/opinion/*.txt | "$bin/mlfeat" --spec "$M/features.json" |
  "$bin/mlclassify" -m claim="$M/claim.model" -m support="$M/support.model" -m thesis="$M/thesis.model" \
    -m against="$M/against.model" --keep any |
  "$bin/mljoin" --key doc --max-distance 20 --thesis --sentences |
  "$bin/mllink" -m "$M/link.model" --top 3 --top-right 1 >"$tmp/links" ||
  { echo "FAIL: the pipeline with the new models failed"; fail=1; }
grep -q '"thesis":true' "$tmp/links" || { echo "FAIL: the new models marked no thesis"; fail=1; }

# Too few to cross-validate: one document.
head -n 5 "$tmp/train.ndjson" >"$tmp/tiny.ndjson"
status=0
WORK=$tmp/work2 bash "$recipe" "$bin" "$tmp/tiny.ndjson" "$tmp/out2" 2>"$tmp/err" || status=$?
[ $status -ne 0 ] && grep -q "cross-validation needs at least 2" "$tmp/err" ||
  { echo "FAIL: one document is not refused clearly:"; cat "$tmp/err"; fail=1; }
[ $fail -eq 0 ] && echo "ok: trained on $n sentences; the pipeline with the new models kept $(grep -c '"support":{' "$tmp/links") links"
exit $fail
