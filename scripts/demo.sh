#!/usr/bin/env bash
# `make demo`: the argument-mining pipeline with the bundled models on the bundled texts, without
# a topic (data/samples/opinion/*.txt and data/samples/essays/*.txt) and with one (an op-ed that
# names its topic): for each text, its thesis and its strongest claims with their supports, as
# mlshow prints them; and the same as an HTML page to open in a browser.
set -euo pipefail
bin=$(cd "${1:-build/bin}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
M=$root/data/samples/models
S=$root/data/samples
page=${DEMO_PAGE:-$root/build/demo.html}
cd "$S"  # documents are named as given: opinion/first-aid.txt

texts=(opinion/*.txt essays/*.txt)
echo "1. Any text, no topic needed (M = data/samples/models):"
echo "   mlsplit ${texts[*]}"
echo "   | mlfeat --spec M/features.json"
echo "   | mlclassify -m claim=M/claim.model -m support=M/support.model -m thesis=M/thesis.model"
echo "       -m against=M/against.model --keep any"
echo "   | mljoin --key doc --max-distance 20 --thesis --sentences"
echo "   | mllink -m M/link.model --top 3 --top-right 1 | mlshow --format text --claims 3"
echo
"$bin/mlsplit" "${texts[@]}" | "$bin/mlfeat" --spec "$M/features.json" |
  "$bin/mlclassify" -m claim="$M/claim.model" -m support="$M/support.model" -m thesis="$M/thesis.model" \
    -m against="$M/against.model" --keep any |
  "$bin/mljoin" --key doc --max-distance 20 --thesis --sentences |
  "$bin/mllink" -m "$M/link.model" --top 3 --top-right 1 >"$page.ndjson"
"$bin/mlshow" --format text --claims 3 "$page.ndjson"
mkdir -p "$(dirname "$page")"
"$bin/mlshow" --title "mlpipe demo: arguments in the sample texts" -o "$page" "$page.ndjson" --docs "${texts[@]}"
rm -f "$page.ndjson"
echo
echo "2. With a topic (the document's \"topic\" field; T = M/topic): mlsplit --ndjson opinion/bike-lanes.ndjson"
echo "   | mlfeat --spec T/features.json | mlclassify … (the T models) --keep any"
echo "   | mljoin --key doc --max-distance 20 --thesis --sentences | mllink -m T/link.model --top 3 --top-right 1"
echo
T=$M/topic
"$bin/mlsplit" --ndjson opinion/bike-lanes.ndjson | "$bin/mlfeat" --spec "$T/features.json" |
  "$bin/mlclassify" -m claim="$T/claim.model" -m support="$T/support.model" -m thesis="$T/thesis.model" \
    -m against="$T/against.model" --keep any |
  "$bin/mljoin" --key doc --max-distance 20 --thesis --sentences |
  "$bin/mllink" -m "$T/link.model" --top 3 --top-right 1 | "$bin/mlshow" --format text --claims 3
echo
echo "The texts of part 1 with their claims and supports marked: ${page#"$root"/} (open it in a browser)."
