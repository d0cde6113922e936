#!/usr/bin/env bash
# The README pipeline on whole books: how many claims, supports and links it keeps,
# and links per claim, next to ParallelMARGOT's rate (58,464 links for 466,483 sentences,
# Table 1 of the paper). Input: the public-domain essays beside the project
# (ESSAYS, default ../shared/data/essays/*.txt), else the bundled samples.
#   bash bench/essays.sh BIN_DIR [MODELS_DIR]        (MODELS_DIR: default data/samples/models)
set -euo pipefail
bin=$(cd "${1:?usage: bench/essays.sh BIN_DIR [MODELS_DIR]}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
M=${2:-$root/data/samples/models}
dir=${ESSAYS:-$root/../shared/data/essays}
[ -d "$dir" ] || dir=$root/data/samples/essays
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s.%N)
"$bin/mlsplit" "$dir"/*.txt | "$bin/mlfeat" --spec "$M/features.json" |
  "$bin/mlclassify" -m claim="$M/claim.model" -m support="$M/support.model" --keep any |
  tee "$tmp/scored" | "$bin/mljoin" --key doc --max-distance 20 | "$bin/mllink" -m "$M/link.model" --top 2 >"$tmp/links"
end=$(date +%s.%N)
sentences=$("$bin/mlsplit" "$dir"/*.txt | wc -l)
/usr/bin/python3 - "$tmp/scored" "$tmp/links" "$sentences" "$(awk -v a="$start" -v b="$end" 'BEGIN{print b-a}')" <<'PY'
import collections, json, sys
scored, links, sentences, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
claims = supports = 0
for line in open(scored):
    r = json.loads(line)
    claims += bool(r["passed"].get("claim"))
    supports += bool(r["passed"].get("support"))
per_claim = collections.Counter()
for line in open(links):
    r = json.loads(line)
    per_claim[(r["claim"]["doc"], r["claim"]["sent"])] += 1
n = sum(per_claim.values())
counts = sorted(per_claim.values())
print(f"{sentences} sentences in {seconds:.1f} s: {claims} pass the claim threshold, {supports} the support threshold")
print(f"{n} links for {len(counts)} claims; links per claim: median {counts[len(counts) // 2] if counts else 0}, "
      f"max {counts[-1] if counts else 0}")
print(f"links per sentence {n / max(1, sentences):.4f}, ParallelMARGOT {58464 / 466483:.4f} "
      f"(ratio {n / max(1, sentences) / (58464 / 466483):.3f})")
PY
