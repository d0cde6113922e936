#!/usr/bin/env bash
# The shipped models still score the held-out motions as their README says:
#  - features.json, vocab.tsv, the sidecars and link.pairs.json agree (one spec, one vocabulary);
#  - claim, evidence and link held-out precision/recall/F1/AP recomputed from the committed
#    test sentences (data/samples/ibm/test.ndjson.gz) equal metrics.json, written by
#    `make models` — so a change in mlfeat, mlclassify, mljoin or mllink that alters the
#    features or scores of the shipped models is caught here;
#  - both data READMEs carry the CC BY-SA 3.0 attribution.
# Usage: models_heldout.sh BIN_DIR
set -u
bin=$1
root=${MLPIPE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
M=$root/data/samples/models
D=$root/data/samples/ibm
py=/usr/bin/python3
for f in "$M/claim.model" "$M/evidence.model" "$M/link.model" "$M/features.json" "$M/vocab.tsv" \
         "$M/link.pairs.json" "$M/metrics.json" "$D/test.ndjson.gz"; do
  [ -f "$f" ] || { echo "FAIL: $f is missing"; exit 1; }
done
[ -x "$py" ] || { echo "SKIP: $py is missing"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

for f in "$M/README.md" "$D/README.md"; do
  grep -q "CC BY-SA 3.0" "$f" && grep -q "Rinott et al. 2015" "$f" ||
    { echo "FAIL: $f lacks the CC BY-SA 3.0 attribution"; fail=1; }
done

gzip -dc "$D/test.ndjson.gz" | "$bin/mlfeat" --spec "$M/features.json" |
  "$bin/mlclassify" --spec "$M/features.json" -m claim="$M/claim.model" -m evidence="$M/evidence.model" \
    >"$tmp/scored" || { echo "FAIL: mlfeat | mlclassify failed"; exit 1; }
"$bin/mljoin" --key motion --left-field claim --right-field evidence "$tmp/scored" |
  "$bin/mllink" -m "$M/link.model" --all >"$tmp/pairs" || { echo "FAIL: mljoin | mllink failed"; exit 1; }

"$py" - "$M" "$tmp/scored" "$tmp/pairs" "$root/scripts/data" <<'PY' || fail=1
import json, os, subprocess, sys
M, scored, pairs, helpers = sys.argv[1:5]
bad = 0
def fail(msg):
    global bad
    print("FAIL: " + msg)
    bad += 1
spec = json.load(open(os.path.join(M, "features.json")))
for name in ("claim", "evidence"):
    side = json.load(open(os.path.join(M, name + ".model.json")))
    if side.get("spec") != spec:
        fail(f"{name}.model.json holds another feature spec than features.json")
link = json.load(open(os.path.join(M, "link.model.json")))
pair_spec = json.load(open(os.path.join(M, "link.pairs.json")))
if link.get("spec") != pair_spec:
    fail("link.model.json holds another pair spec than link.pairs.json")
if pair_spec.get("features") != spec:
    fail("link.pairs.json was made with another feature spec than features.json")
with open(os.path.join(M, spec["vocabulary"]["file"]), encoding="utf-8") as f:
    terms = sum(1 for line in f if line.split("\t", 1)[0].isdigit())
if terms != spec["vocabulary"]["terms"]:
    fail(f"vocab.tsv has {terms} terms, features.json says {spec['vocabulary']['terms']}")

helper = [sys.executable, os.path.join(helpers, "models_helper.py")]
got = json.loads(subprocess.run(helper + ["eval-sentences", scored, "claim", "evidence"], check=True,
                                stdout=subprocess.PIPE).stdout)
got["link"] = json.loads(subprocess.run(helper + ["eval-pairs", pairs], check=True, stdout=subprocess.PIPE).stdout)
want = json.load(open(os.path.join(M, "metrics.json")))["heldout"]
for task in ("claim", "evidence", "link"):
    for k in ("n", "positives", "predicted", "precision", "recall", "f1", "ap"):
        if abs(got[task][k] - want[task][k]) > 1e-6:
            fail(f"{task} {k}: {got[task][k]} now, {want[task][k]} in metrics.json")
    print("%-8s P %.3f R %.3f F1 %.3f AP %.3f" % (task, got[task]["precision"], got[task]["recall"],
                                                   got[task]["f1"], got[task]["ap"]))
sys.exit(1 if bad else 0)
PY
exit $fail
