#!/usr/bin/env bash
# mljoin | mllink on a few thousand generated sentences:
#  - the linear fast path (per-side contributions cached and reused across pairs) gives the
#    scores of the generic kernel path (a degree-1 polynomial model with the same vector);
#  - output bytes do not depend on --threads;
#  - --label-overlap agrees with a direct computation, also for records that are both roles.
# Usage: join_link.sh BIN_DIR
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
bin=$1
root=${MLPIPE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
data=$root/tests/data/pairs
py=/usr/bin/python3
[ -x "$bin/mljoin" ] && [ -x "$bin/mllink" ] || { echo "no mljoin/mllink in $bin"; exit 77; }
[ -x "$py" ] || { echo "no $py"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

"$py" - "$tmp/sent.ndjson" <<'PY'
import json, random, sys
rng = random.Random(3)
with open(sys.argv[1], "w") as f:
    for i in range(3000):
        d, s = divmod(i, 30)
        idx = sorted(rng.sample(range(1, 17), rng.randint(1, 6)))
        rec = {"doc": "d%03d" % d, "para": s // 4, "sent": s, "id": i,
               "links": [rng.randint(0, 9) for _ in range(rng.randint(0, 2))],
               "features": {"idx": idx, "val": [round(rng.random(), 3) or 0.5 for _ in idx]},
               "scores": {"claim": round(rng.gauss(0, 1), 3), "support": round(rng.gauss(0, 1), 3)}}
        f.write(json.dumps(rec, separators=(",", ":")) + "\n")
PY
"$bin/mljoin" --grouped "$tmp/sent.ndjson" >"$tmp/pairs.ndjson"
npairs=$(wc -l <"$tmp/pairs.ndjson")
[ "$npairs" -gt 10000 ] || { echo "FAIL: expected many pairs, got $npairs"; fail=1; }

# 1. Linear fast path = generic kernel path (up to float rounding of pair features).
"$bin/mllink" -m "$data/link.model" --all --threads 1 "$tmp/pairs.ndjson" >"$tmp/linear1"
"$bin/mllink" -m "$data/link-poly.model" --dim 16 --all --threads 1 "$tmp/pairs.ndjson" >"$tmp/poly"
"$py" - "$tmp/linear1" "$tmp/poly" <<'PY' || fail=1
import json, sys
a = [json.loads(l)["scores"]["link"] for l in open(sys.argv[1])]
b = [json.loads(l)["scores"]["link"] for l in open(sys.argv[2])]
bad = [i for i, (x, y) in enumerate(zip(a, b)) if abs(x - y) > 1e-5 * max(1, abs(x))]
if len(a) != len(b) or bad:
    print("FAIL: linear and kernel scores differ (%d vs %d pairs, %d differ)" % (len(a), len(b), len(bad)))
    sys.exit(1)
PY

# 2. Threads do not change the bytes.
for t in 2 3; do
  "$bin/mllink" -m "$data/link.model" --all --threads $t "$tmp/pairs.ndjson" >"$tmp/linear$t"
  cmp -s "$tmp/linear1" "$tmp/linear$t" || { echo "FAIL: --threads $t changes the output"; fail=1; }
done
"$bin/mllink" -m "$data/link.model" "$tmp/pairs.ndjson" >"$tmp/kept"
"$py" - "$tmp/linear1" "$tmp/kept" <<'PY' || fail=1
import json, sys
want = [l for l in open(sys.argv[1]) if json.loads(l)["scores"]["link"] > 0]
got = open(sys.argv[2]).readlines()
if want != got:
    print("FAIL: default threshold keeps other pairs than score > 0 (%d vs %d)" % (len(got), len(want)))
    sys.exit(1)
PY

# 3. Labels by overlap of the claim's and the evidence's "links".
"$bin/mllink" --features-only --dim 16 --label-overlap links,links --threads 2 "$tmp/pairs.ndjson" >"$tmp/labelled"
"$py" - "$tmp/labelled" <<'PY' || fail=1
import json, sys
n = bad = pos = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    want = 1 if set(r["claim"]["links"]) & set(r["support"]["links"]) else 0
    n += 1
    pos += want
    bad += want != r["label"]
if bad or pos == 0 or pos == n:
    print("FAIL: %d of %d labels wrong (%d positive)" % (bad, n, pos))
    sys.exit(1)
PY

[ $fail -eq 0 ] && echo "join_link: ok ($npairs pairs)"
exit $fail
