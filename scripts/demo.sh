#!/usr/bin/env bash
# `make demo`: the argument-mining pipeline with the bundled models, on the bundled essays
# (topic-free models) and on a bundled op-ed that names its topic (topic-aware models); prints
# the claims and evidence each finds and their strongest links, readably.
set -euo pipefail
bin=$(cd "${1:-build/bin}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
M=$root/data/samples/models
S=$root/data/samples
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
show() { /usr/bin/python3 "$root/scripts/show-links.py" --top "$1" --sentences "$2" <"$3"; }

echo "1. Without a topic: mlsplit essays/*.txt | mlfeat --spec M/features.json"
echo "   | mlclassify -m claim=M/claim.model -m evidence=M/evidence.model --keep any"
echo "   | mljoin --key doc --max-distance 20 | mllink -m M/link.model --top 2"
echo "   (M = data/samples/models; input: $(ls "$S"/essays/*.txt | wc -l) documents in data/samples/essays)"
echo
"$bin/mlsplit" "$S"/essays/*.txt | "$bin/mlfeat" --spec "$M/features.json" |
  "$bin/mlclassify" -m claim="$M/claim.model" -m evidence="$M/evidence.model" --keep any -o "$tmp/scored.ndjson"
"$bin/mljoin" --key doc --max-distance 20 "$tmp/scored.ndjson" |
  "$bin/mllink" -m "$M/link.model" --top 2 -o "$tmp/links.ndjson"
show 5 "$tmp/scored.ndjson" "$tmp/links.ndjson"
echo "$("$bin/mlsplit" "$S"/essays/*.txt | wc -l) sentences; $(wc -l <"$tmp/scored.ndjson") reached the join;" \
  "$(wc -l <"$tmp/links.ndjson") links."
echo
echo "2. With a topic (the document's \"topic\" field): mlsplit --ndjson opinion/bike-lanes.ndjson"
echo "   | mlfeat --spec T/features.json | mlclassify -m claim=T/claim.model -m evidence=T/evidence.model"
echo "   --keep any | mljoin --key doc --max-distance 20 | mllink -m T/link.model --top 2   (T = M/topic)"
echo
T=$M/topic
"$bin/mlsplit" --ndjson "$S/opinion/bike-lanes.ndjson" | "$bin/mlfeat" --spec "$T/features.json" |
  "$bin/mlclassify" -m claim="$T/claim.model" -m evidence="$T/evidence.model" --keep any -o "$tmp/scored2.ndjson"
"$bin/mljoin" --key doc --max-distance 20 "$tmp/scored2.ndjson" |
  "$bin/mllink" -m "$T/link.model" --top 2 -o "$tmp/links2.ndjson"
show 5 "$tmp/scored2.ndjson" "$tmp/links2.ndjson"
