#!/usr/bin/env bash
# The shipped models still score the held-out sets as their README says:
#  - each set's features.json, vocab.tsv, sidecars and link.pairs.json agree (one spec, one
#    vocabulary), and every sidecar holds a calibration and a threshold;
#  - the figures on the committed held-out sets (the IBM held-out motions, data/samples/ibm/
#    test.ndjson.gz, and the written test texts, data/samples/written/test), recomputed with
#    scripts/data/eval_genres.py, equal metrics.json, written by `make models`: a change in
#    mlsplit, mlfeat, mlclassify, mljoin or mllink that alters the features, scores or decisions
#    of the shipped models is caught here (CDCP's test split is not in the repository: its
#    figures are only in metrics.json);
#  - the models' README, the data READMEs and NOTICE name every source and license.
# Usage: models_heldout.sh BIN_DIR
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
bin=$(cd "$1" && pwd)
root=${MLPIPE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
M=$root/data/samples/models
py=/usr/bin/python3
[ -x "$py" ] || { echo "SKIP: $py is missing"; exit 77; }
[ -f /usr/share/wordnet/index.noun ] || [ -n "${MLPIPE_WORDNET:-}" ] || { echo "SKIP: WordNet is not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for f in "$M/README.md" "$root/NOTICE"; do
  for want in "CC BY-SA 3.0\|Attribution-ShareAlike 3.0" "Rinott" "Shnarch" "Open Database License" \
    "Database Contents License" "Attribution 4.0\|CC BY 4.0"; do
    grep -q "$want" "$f" || { echo "FAIL: $f does not name $want"; fail=1; }
  done
done
grep -q "CC BY-SA 3.0" "$root/data/samples/ibm/README.md" || { echo "FAIL: data/samples/ibm/README.md"; fail=1; }
grep -q "CC BY 4.0" "$root/data/samples/written/README.md" || { echo "FAIL: data/samples/written/README.md"; fail=1; }
"$py" "$root/scripts/data/argument_data.py" --bin "$bin" --tests-only "$tmp/data" 2>"$tmp/log" ||
  { echo "FAIL: argument_data.py"; cat "$tmp/log"; exit 1; }
for set in topic_free topic_aware; do
  dir=$M; [ $set = topic_free ] || dir=$M/topic
  for f in claim.model support.model thesis.model against.model link.model features.json vocab.tsv link.pairs.json; do
    [ -f "$dir/$f" ] || { echo "FAIL: $dir/$f is missing"; exit 1; }
  done
  for t in wikipedia written; do
    "$py" "$root/scripts/data/eval_genres.py" --bin "$bin" --models "$dir" --max-distance 20 --top 3 --top-right 1 \
      "$tmp/data/test-$t.ndjson" >"$tmp/$set.$t.json" || { echo "FAIL: eval_genres.py on $dir, $t"; exit 1; }
  done
  "$py" - "$dir" "$tmp" "$M/metrics.json" "$set" <<'PY' || fail=1
import json, os, sys
d, tmp, want_path, name = sys.argv[1:5]
bad = 0
def fail(msg):
    global bad
    print("FAIL: %s: %s" % (name, msg))
    bad += 1
spec = json.load(open(os.path.join(d, "features.json")))
for model in ("claim", "support", "thesis", "against", "link"):
    side = json.load(open(os.path.join(d, model + ".model.json")))
    if model != "link" and side.get("spec") != spec:
        fail(f"{model}.model.json holds another feature spec than features.json")
    if "calibration" not in side or "threshold" not in side:
        fail(f"{model}.model.json has no calibration or threshold")
pair_spec = json.load(open(os.path.join(d, "link.pairs.json")))
if json.load(open(os.path.join(d, "link.model.json"))).get("spec") != pair_spec:
    fail("link.model.json holds another pair spec than link.pairs.json")
if pair_spec.get("features") != spec:
    fail("link.pairs.json was made with another feature spec than features.json")
with open(os.path.join(d, spec["vocabulary"]["file"]), encoding="utf-8") as f:
    terms = sum(1 for line in f if line.split("\t", 1)[0].isdigit())
if terms != spec["vocabulary"]["terms"]:
    fail(f"vocab.tsv has {terms} terms, features.json says {spec['vocabulary']['terms']}")
want_all = json.load(open(want_path))["sets"][name]["heldout"]
for t in ("wikipedia", "written"):
    got = json.load(open(os.path.join(tmp, f"{name}.{t}.json")))
    want = want_all[t]
    for g, cell in want["sentences"].items():
        for task in ("claim", "support"):
            for k in ("predicted", "correct", "positives"):
                if got["sentences"][g][task][k] != cell[task][k]:
                    fail(f"{t} {g} {task} {k}: {got['sentences'][g][task][k]} now, {cell[task][k]} in metrics.json")
    for g, cell in want["thesis"].items():
        if abs(got["thesis"][g]["top1"] - cell["top1"]) > 1e-9:
            fail(f"{t} {g} thesis top-1: {got['thesis'][g]['top1']} now, {cell['top1']} in metrics.json")
    for v in ("joint", "gold_sides"):
        for g, cell in want["links"][v].items():
            for k in ("predicted", "correct", "precision_at_100"):
                if abs(got["links"][v][g][k] - cell[k]) > 1e-9:
                    fail(f"{t} {g} links ({v}) {k}: {got['links'][v][g][k]} now, {cell[k]} in metrics.json")
    a = got["sentences"]["all"]
    print("%s %-9s claim F1 %.3f support F1 %.3f thesis %.3f link F1 %.3f" % (
        name, t, a["claim"]["f1"], a["support"]["f1"], got["thesis"].get("all", {}).get("top1", 0),
        got["links"]["joint"]["all"]["f1"]))
sys.exit(1 if bad else 0)
PY
done
exit $fail
