#!/usr/bin/env bash
# `make demo`: the argument-mining pipeline on the bundled essays with the bundled models,
# then the strongest links, readably.
set -euo pipefail
bin=$(cd "${1:-build/bin}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
M=$root/data/samples/models
cd "$root/data/samples/essays"

echo "mlsplit *.txt | mlfeat --spec M/features.json | mlclassify -m claim=M/claim.model"
echo "  -m evidence=M/evidence.model --keep any | mljoin --key doc --max-distance 20"
echo "  | mllink -m M/link.model --top 2"
echo "(M = data/samples/models; input: $(ls *.txt | wc -l) documents in data/samples/essays)"
echo
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin/mlsplit" *.txt |
  "$bin/mlfeat" --spec "$M/features.json" |
  "$bin/mlclassify" --spec "$M/features.json" -m claim="$M/claim.model" -m evidence="$M/evidence.model" \
    --keep any -o "$tmp/scored.ndjson"
"$bin/mljoin" --key doc --max-distance 20 "$tmp/scored.ndjson" |
  "$bin/mllink" -m "$M/link.model" --top 2 -o "$tmp/links.ndjson"
/usr/bin/python3 "$root/scripts/show-links.py" --top 8 <"$tmp/links.ndjson"
echo "$("$bin/mlsplit" *.txt | wc -l) sentences; $(wc -l <"$tmp/scored.ndjson") of them scored as claim or" \
  "evidence and reached the join; $(wc -l <"$tmp/links.ndjson") pairs were linked."
