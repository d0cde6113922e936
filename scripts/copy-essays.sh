#!/usr/bin/env bash
# Copies the benchmark corpus from the shared essays (run by a developer; the result is
# committed under bench/corpus/, so benchmarks never need ../shared).
# Project Gutenberg headers and footers are removed (the bare texts are public domain);
# Latin-1 files are converted to UTF-8.
set -euo pipefail
src=${1:-../shared/data/essays}
dst=${2:-bench/corpus}
mkdir -p "$dst"
for f in federalist-papers hobbes-leviathan franklin-autobiography machiavelli-prince \
         douglass-narrative paine-common-sense swift-modest-proposal; do
  awk '/^\*\*\* START OF/{on=1; next} /^\*\*\* END OF/{on=0} on' "$src/$f.txt" >"$dst/$f.txt"
done
for f in "$src"/inaugural/*.txt; do
  out="$dst/inaugural-$(basename "$f")"
  if iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1; then cp "$f" "$out"; else iconv -f LATIN1 -t UTF-8 "$f" >"$out"; fi
done
