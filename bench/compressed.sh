#!/usr/bin/env bash
# Compressed input: mlsplit over one text file and mlfeat over its sentences (NDJSON), each
# read plain, as .gz and as .zst, against the shell's way (zcat / zstdcat piped in), in the
# same run. Throughput is of the decompressed bytes; each figure is the median of RUNS runs.
#
#   bash bench/compressed.sh BIN_DIR [RUNS]
#
# Corpus: bench/corpus/*.txt (public-domain books and speeches) concatenated until about 8 MB (or MLPIPE_BENCH_ESSAYS=DIR:
# the *.txt files of another directory), compressed with gzip -6 and zstd -3 (the defaults).
# One thread, so that the figures say what reading costs, not how the stages scale.
set -euo pipefail

bin=${1:?usage: bench/compressed.sh BIN_DIR [RUNS]}
runs=${2:-${BENCH_RUNS:-5}}
root=$(cd "$(dirname "$0")/.." && pwd)
py=/usr/bin/python3
for t in mlsplit mlfeat; do [ -x "$bin/$t" ] || { echo "compressed.sh: no $bin/$t (build first)" >&2; exit 1; }; done
command -v zstd >/dev/null || { echo "compressed.sh: no zstd program (scripts/install-deps.sh installs it)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
src=("${MLPIPE_BENCH_ESSAYS:-$root/bench/corpus}"/*.txt)
text=$work/corpus.txt
: >"$text"
while [ "$(stat -c %s "$text")" -lt 8000000 ]; do cat "${src[@]}" >>"$text"; done
"$bin/mlsplit" --encoding=replace "$text" >"$work/sentences.ndjson"
for f in "$text" "$work/sentences.ndjson"; do
  gzip -6 -c "$f" >"$f.gz"
  zstd -q -3 -c "$f" >"$f.zst"
done
mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f", b / 1e6 }'; }
echo "corpus: ${#src[@]} texts concatenated: text $(mb "$text") MB (.gz $(mb "$text.gz"), .zst $(mb "$text.zst"));" \
  "sentences $(mb "$work/sentences.ndjson") MB (.gz $(mb "$work/sentences.ndjson.gz"), .zst $(mb "$work/sentences.ndjson.zst"))"
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); medians of $runs runs, 1 thread"
echo

printf '%-34s %9s %9s %10s %10s\n' "reading" "wall s" "cpu s" "MB/s wall" "MB/s cpu"
row() {  # row LABEL BYTES COMMAND
  read -r wall cpu _ < <("$py" "$root/bench/timer.py" "$runs" "$3")
  awk -v l="$1" -v w="$wall" -v c="$cpu" -v b="$2" 'BEGIN {
    printf "%-34s %9.4f %9.4f %10.1f %10.1f\n", l, w, c, (w > 0 ? b / 1e6 / w : 0), (c > 0 ? b / 1e6 / c : 0) }'
}
q() { printf '%q' "$1"; }
split="$(q "$bin/mlsplit") --threads 1 --encoding=replace"
feat="$(q "$bin/mlfeat") --threads 1"
t=$(q "$text") s=$(q "$work/sentences.ndjson")
tb=$(stat -c %s "$text") sb=$(stat -c %s "$work/sentences.ndjson")
row "mlsplit FILE.txt" "$tb" "$split $t"
row "mlsplit FILE.txt.gz" "$tb" "$split $t.gz"
row "zcat FILE.txt.gz | mlsplit" "$tb" "zcat $t.gz | $split"
row "mlsplit FILE.txt.zst" "$tb" "$split $t.zst"
row "zstdcat FILE.txt.zst | mlsplit" "$tb" "zstdcat $t.zst | $split"
row "mlfeat FILE.ndjson" "$sb" "$feat $s"
row "mlfeat FILE.ndjson.gz" "$sb" "$feat $s.gz"
row "zcat FILE.ndjson.gz | mlfeat" "$sb" "zcat $s.gz | $feat"
row "mlfeat FILE.ndjson.zst" "$sb" "$feat $s.zst"
row "zstdcat FILE.ndjson.zst | mlfeat" "$sb" "zstdcat $s.zst | $feat"
row "zcat FILE.txt.gz >/dev/null" "$tb" "zcat $t.gz"
row "zstdcat FILE.txt.zst >/dev/null" "$tb" "zstdcat $t.zst"
