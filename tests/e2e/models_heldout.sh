#!/usr/bin/env bash
# The shipped models still score the held-out motions as their README says:
#  - each set's features.json, vocab.tsv, sidecars and link.pairs.json agree (one spec, one
#    vocabulary), and every sidecar holds a calibration and a threshold;
#  - claim, evidence, link (gold pairs) and end-to-end figures, recomputed from the committed
#    test sentences (data/samples/ibm/test.ndjson.gz) with scripts/data/eval_argument_models.py,
#    equal metrics.json, written by `make models`: a change in mlfeat, mlclassify, mljoin or
#    mllink that alters the features, scores or decisions of the shipped models is caught here;
#  - both data READMEs carry the CC BY-SA 3.0 attribution.
# Usage: models_heldout.sh BIN_DIR
set -u
bin=$1
root=${MLPIPE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
M=$root/data/samples/models
D=$root/data/samples/ibm
py=/usr/bin/python3
[ -x "$py" ] || { echo "SKIP: $py is missing"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for f in "$M/README.md" "$D/README.md"; do
  grep -q "CC BY-SA 3.0" "$f" && grep -q "Rinott et al. 2015" "$f" ||
    { echo "FAIL: $f lacks the CC BY-SA 3.0 attribution"; fail=1; }
done
gzip -dc "$D/test.ndjson.gz" >"$tmp/test.ndjson"
for set in topic_free topic_aware; do
  dir=$M; [ $set = topic_free ] || dir=$M/topic
  for f in claim.model evidence.model link.model features.json vocab.tsv link.pairs.json; do
    [ -f "$dir/$f" ] || { echo "FAIL: $dir/$f is missing"; exit 1; }
  done
  "$py" "$root/scripts/data/eval_argument_models.py" --bin "$bin" --models "$dir" "$tmp/test.ndjson" >"$tmp/$set.json" ||
    { echo "FAIL: eval_argument_models.py on $dir"; exit 1; }
  "$py" - "$dir" "$tmp/$set.json" "$M/metrics.json" "$set" <<'PY' || fail=1
import json, os, sys
d, got_path, want_path, name = sys.argv[1:5]
bad = 0
def fail(msg):
    global bad
    print("FAIL: %s: %s" % (name, msg))
    bad += 1
spec = json.load(open(os.path.join(d, "features.json")))
for model in ("claim", "evidence", "link"):
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
got = json.load(open(got_path))
want = json.load(open(want_path))["sets"][name]["heldout"]
for task in ("claim", "evidence", "link"):
    for k in ("n", "positives", "predicted", "precision", "recall", "f1", "ap"):
        if abs(got[task][k] - want[task][k]) > 1e-6:
            fail(f"{task} {k}: {got[task][k]} now, {want[task][k]} in metrics.json")
    print("%s %-8s P %.3f R %.3f F1 %.3f AP %.3f" % (name, task, got[task]["precision"], got[task]["recall"],
                                                       got[task]["f1"], got[task]["ap"]))
for k in ("kept_pairs", "correct", "precision_at_100", "links_per_claim_max"):
    if abs(got["pipeline"][k] - want["pipeline"][k]) > 1e-6:
        fail(f"pipeline {k}: {got['pipeline'][k]} now, {want['pipeline'][k]} in metrics.json")
print("%s pipeline: %d links, %d correct" % (name, got["pipeline"]["kept_pairs"], got["pipeline"]["correct"]))
sys.exit(1 if bad else 0)
PY
done
exit $fail
