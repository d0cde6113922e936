#!/bin/sh
# Sentences per second of mlfeat's syntax group, one thread, on real Wikipedia sentences:
# pos mode (dictionary lookups + hashing) on N sentences, tree mode (full link-grammar
# parses) on the first M of them.   usage: bench/syntax.sh [BUILD_DIR] [N] [M]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
n=${2:-40000}
m=${3:-2000}
cmake --build "$build" --target syntax_rate >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gzip -dc "$here/data/samples/ibm/train.ndjson.gz" | head -n "$n" |
  python3 -c 'import sys, json
for line in sys.stdin: print(json.loads(line)["text"].replace("\n", " "))' >"$tmp/all.txt"
head -n "$m" "$tmp/all.txt" >"$tmp/parse.txt"
"$build/bin/syntax_rate" 3 0 <"$tmp/all.txt"
"$build/bin/syntax_rate" 1 0 <"$tmp/all.txt"
"$build/bin/syntax_rate" 3 2 <"$tmp/parse.txt"
"$build/bin/syntax_rate" 0 1 <"$tmp/parse.txt"
