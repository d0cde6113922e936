#!/usr/bin/env bash
# The whole argument-mining pipeline on the bundled texts with the shipped models, as the README
# runs it (claim, support, thesis, against; mljoin --thesis --sentences; mllink --top 3 --top-right 1):
#  - it finds links, and every sentence and pair side can be traced back to its bytes
#    (doc, start, end slice the source file to exactly its text);
#  - a document gets one thesis at most, each argumentative text (opinion/) one, marked on its
#    sentence record; links carry no feature vectors; every link has a stance;
#  - each support backs at most one claim, each claim keeps at most 3;
#  - output bytes do not depend on --threads;
#  - streaming by key (--grouped --stream) gives the same pairs as batch.
# Usage: pipeline.sh BIN_DIR
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
bin=$(cd "$1" && pwd)
root=${MLPIPE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
M=$root/data/samples/models
py=/usr/bin/python3
for f in claim.model support.model thesis.model against.model link.model features.json; do
  [ -f "$M/$f" ] || { echo "FAIL: shipped model file $M/$f is missing"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root/data/samples"
docs=(opinion/*.txt essays/*.txt)

scored() {  # scored THREADS
  "$bin/mlsplit" --threads "$1" "${docs[@]}" |
    "$bin/mlfeat" --threads "$1" --spec "$M/features.json" |
    "$bin/mlclassify" --threads "$1" --spec "$M/features.json" -m claim="$M/claim.model" \
      -m support="$M/support.model" -m thesis="$M/thesis.model" -m against="$M/against.model" --keep any
}
pipeline() {  # pipeline THREADS
  scored "$1" | "$bin/mljoin" --key doc --max-distance 20 --thesis --sentences |
    "$bin/mllink" --threads "$1" -m "$M/link.model" --top 3 --top-right 1
}

fail=0
pipeline 1 >"$tmp/out1" || { echo "FAIL: pipeline exited non-zero"; fail=1; }
pipeline 2 >"$tmp/out2" || fail=1
cmp -s "$tmp/out1" "$tmp/out2" || { echo "FAIL: output differs between 1 and 2 threads"; fail=1; }
scored 1 >"$tmp/scored" || fail=1
"$bin/mljoin" --key doc "$tmp/scored" | "$bin/mllink" -m "$M/link.model" --all | sort >"$tmp/batch" || fail=1
"$bin/mljoin" --key doc --grouped --stream "$tmp/scored" | "$bin/mllink" -m "$M/link.model" --all | sort \
  >"$tmp/stream" || fail=1
[ -s "$tmp/batch" ] || { echo "FAIL: no pairs"; fail=1; }
cmp -s "$tmp/batch" "$tmp/stream" || { echo "FAIL: --grouped --stream pairs differ from batch pairs"; fail=1; }

"$py" - "$tmp/out1" <<'PY' || fail=1
import json, sys
from collections import Counter, defaultdict
bad = 0
links, theses, roles = [], Counter(), Counter()
per_support, per_claim = Counter(), Counter()

def traced(s, what, n):
    src = open(s["doc"], "rb").read()
    if src[s["start"]:s["end"]].decode("utf-8") != s["text"]:
        print(f"FAIL: line {n}: {what} text is not bytes {s['start']}..{s['end']} of {s['doc']}")
        return 1
    return 0

for n, line in enumerate(open(sys.argv[1]), 1):
    rec = json.loads(line)
    if isinstance(rec.get("claim"), dict):
        links.append(rec)
        for side in ("claim", "support"):
            s = rec[side]
            bad += traced(s, side, n)
            if "features" in s:
                print(f"FAIL: line {n}: the {side} side keeps its features")
                bad += 1
        assert rec["claim"]["doc"] == rec["support"]["doc"] == rec["key"]
        assert rec.get("stance") in ("support", "attack"), f"line {n}: stance {rec.get('stance')}"
        per_support[(rec["key"], rec["support"]["sent"])] += 1
        per_claim[(rec["key"], rec["claim"]["sent"])] += 1
    else:
        bad += traced(rec, "sentence", n)
        assert rec["key"] == rec["doc"] and rec["roles"], f"line {n}: not a sentence record"
        roles[rec["doc"]] += 1
        if rec.get("thesis"):
            theses[rec["doc"]] += 1
print(f"links: {len(links)}, documents with roles: {len(roles)}")
if not links:
    print("FAIL: the pipeline found no links")
    bad += 1
for doc in roles:
    # One thesis at most; the argumentative texts (opinion/) have one each.
    if theses[doc] > 1 or (doc.startswith("opinion/") and theses[doc] != 1):
        print(f"FAIL: {doc} has {theses[doc]} theses")
        bad += 1
for k, v in per_support.items():
    if v > 1:
        print(f"FAIL: support {k} backs {v} claims (--top-right 1)")
        bad += 1
for k, v in per_claim.items():
    if v > 3:
        print(f"FAIL: claim {k} keeps {v} links (--top 3)")
        bad += 1
sys.exit(1 if bad else 0)
PY
[ $fail -eq 0 ] && echo "ok"
exit $fail
