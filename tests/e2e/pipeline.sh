#!/usr/bin/env bash
# The whole argument-mining pipeline on the bundled essays with the shipped models:
#  - it finds links, and every pair side can be traced back to its bytes
#    (doc, start, end slice the source file to exactly the side's text);
#  - output bytes do not depend on --threads;
#  - streaming by key (--grouped --stream) gives the same pairs as batch;
#  - mlfeat refuses nothing and mlclassify accepts the spec the models carry.
# Usage: pipeline.sh BIN_DIR
set -u
bin=$(cd "$1" && pwd)
root=${MLPIPE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
M=$root/data/samples/models
py=/usr/bin/python3
for f in claim.model evidence.model link.model features.json; do
  [ -f "$M/$f" ] || { echo "FAIL: shipped model file $M/$f is missing"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root/data/samples/essays"
docs=(*.txt)

pipeline() {  # pipeline THREADS [mljoin options...]
  local t=$1
  shift
  "$bin/mlsplit" --threads "$t" "${docs[@]}" |
    "$bin/mlfeat" --threads "$t" --spec "$M/features.json" |
    "$bin/mlclassify" --threads "$t" --spec "$M/features.json" \
      -m claim="$M/claim.model" -m evidence="$M/evidence.model" --keep any |
    "$bin/mljoin" --key doc "$@" |
    "$bin/mllink" --threads "$t" -m "$M/link.model" --min 0.02
}

fail=0
pipeline 1 >"$tmp/batch1" || { echo "FAIL: pipeline exited non-zero"; fail=1; }
pipeline 2 >"$tmp/batch2" || fail=1
pipeline 1 --grouped --stream >"$tmp/stream1" || fail=1

n=$(wc -l <"$tmp/batch1")
echo "links: $n"
[ "$n" -gt 0 ] || { echo "FAIL: the pipeline found no links"; fail=1; }
cmp -s "$tmp/batch1" "$tmp/batch2" || { echo "FAIL: output differs between 1 and 2 threads"; fail=1; }
sort "$tmp/batch1" >"$tmp/a"
sort "$tmp/stream1" >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || { echo "FAIL: --grouped --stream pairs differ from batch pairs"; fail=1; }

"$py" - "$tmp/batch1" <<'PY' || fail=1
import json, sys
bad = 0
for n, line in enumerate(open(sys.argv[1]), 1):
    rec = json.loads(line)
    assert rec["scores"]["link"] > 0.02, f"line {n}: kept a pair with link probability <= 0.02 (--min 0.02)"
    for side in ("claim", "evidence"):
        s = rec[side]
        src = open(s["doc"], "rb").read()
        if src[s["start"]:s["end"]].decode("utf-8") != s["text"]:
            print(f"FAIL: line {n}: {side} text is not bytes {s['start']}..{s['end']} of {s['doc']}")
            bad += 1
    assert rec["claim"]["doc"] == rec["evidence"]["doc"] == rec["key"]
sys.exit(1 if bad else 0)
PY
exit $fail
