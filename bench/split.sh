#!/usr/bin/env bash
# mlsplit throughput: MB/s on 1 and 2 threads, against a plain regex splitter and NLTK's
# Punkt (when python3-nltk is installed), all on the same files in the same run; and the same
# bytes as one single document (read in pieces), with the peak resident memory of both.
#
#   bash bench/split.sh BIN_DIR [RUNS]
#
# Corpus: the sample essays in data/samples/essays/, copied under new names into a temporary
# directory until it holds about 8 MB (so the figures are for many small and medium documents);
# set MLPIPE_BENCH_ESSAYS=DIR to use the *.txt files of another directory as they are (files that
# are not UTF-8 are read with --encoding=replace). Each figure is the median of RUNS runs
# (default 5; 2 for Punkt, which is slow). Wall-clock MB/s is what a user sees; CPU MB/s
# (user+system time) is the one to compare when the machine is shared with other work.
set -euo pipefail

bin=${1:?usage: bench/split.sh BIN_DIR [RUNS]}
runs=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
py=/usr/bin/python3
mlsplit=$bin/mlsplit
[ -x "$mlsplit" ] || { echo "split.sh: no $mlsplit (build first)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -n "${MLPIPE_BENCH_ESSAYS:-}" ]; then
  corpus="$MLPIPE_BENCH_ESSAYS"
  describe="the *.txt files of $corpus"
else
  corpus=$work/corpus
  mkdir -p "$corpus"
  copies=0
  while [ "$(du -sb "$corpus" | cut -f1)" -lt 8000000 ]; do
    copies=$((copies + 1))
    for f in "$root"/data/samples/essays/*.txt; do cp "$f" "$corpus/$copies-$(basename "$f")"; done
  done
  describe="data/samples/essays/*.txt, each copied $copies times under new names"
fi
files=("$corpus"/*.txt)
bytes=$(cat "${files[@]}" | wc -c)
echo "corpus: $describe: ${#files[@]} files, $(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1e6}') MB"
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# time_runs N CMD...: runs CMD N times (stdout to /dev/null); prints the medians of wall-clock
# and CPU (user+system) seconds (bench/timer.py).
time_runs() { "$py" "$root/bench/timer.py" "$1" "$(printf '%q ' "${@:2}")"; }

results=$work/results
: >"$results"
measure() {  # measure LABEL N CMD...
  local label=$1 n=$2
  shift 2
  read -r wall cpu _ < <(time_runs "$n" "$@")
  echo "$label|$wall|$cpu" >>"$results"
}

enc=()
[ -n "${MLPIPE_BENCH_ESSAYS:-}" ] && enc=(--encoding=replace)

# The same bytes as one document: it is read a piece at a time and must keep pace with many files.
single=$work/single.txt
cat "${files[@]}" >"$single"

measure "mlsplit, 1 thread" "$runs" "$mlsplit" --threads 1 "${enc[@]}" "${files[@]}"
measure "mlsplit, 1 thr, one file" "$runs" "$mlsplit" --threads 1 "${enc[@]}" "$single"
measure "mlsplit, 2 threads" "$runs" "$mlsplit" --threads 2 "${enc[@]}" "${files[@]}"
# libgomp's idle threads spin between batches; on a busy machine that steals the reading thread's CPU.
measure "mlsplit, 2 thr, passive" "$runs" env OMP_WAIT_POLICY=passive "$mlsplit" --threads 2 "${enc[@]}" "${files[@]}"

cat >"$work/regex_split.py" <<'EOF'
# The plain regex splitter: a sentence ends after . ! or ? followed by whitespace.
import re, sys
boundary = re.compile(r'(?<=[.!?])\s+')
out = sys.stdout
for path in sys.argv[1:]:
    with open(path, encoding='utf-8', errors='replace') as f:
        text = f.read()
    for s in boundary.split(text):
        s = s.strip()
        if s:
            out.write(s.replace('\n', ' ') + '\n')
EOF
measure "regex (Python re.split)" "$runs" "$py" "$work/regex_split.py" "${files[@]}"

punkt_note=""
if "$py" -c 'import nltk' 2>/dev/null; then
  if "$py" -c 'import nltk; nltk.data.find("tokenizers/punkt")' 2>/dev/null; then
    punkt_note="NLTK Punkt with its pretrained English model"
    punkt_init='from nltk.tokenize import sent_tokenize as split'
  else
    punkt_note="NLTK Punkt with default parameters: its pretrained English model (punkt data) is not installable offline here"
    punkt_init='from nltk.tokenize.punkt import PunktSentenceTokenizer; split = PunktSentenceTokenizer().tokenize'
  fi
  cat >"$work/punkt_split.py" <<EOF
import sys
$punkt_init
out = sys.stdout
for path in sys.argv[1:]:
    with open(path, encoding='utf-8', errors='replace') as f:
        text = f.read()
    for s in split(text):
        out.write(s.replace('\n', ' ') + '\n')
EOF
  measure "NLTK Punkt" "$(( runs < 2 ? runs : 2 ))" "$py" "$work/punkt_split.py" "${files[@]}"
else
  punkt_note="NLTK is not installed (Debian python3-nltk): no Punkt figures"
fi
echo "pySBD: not packaged for Debian and not installable offline here: no pySBD figures"
echo "Punkt: $punkt_note"
echo

regex_cpu=$(awk -F'|' '/^regex/ {print $3}' "$results")
regex_wall=$(awk -F'|' '/^regex/ {print $2}' "$results")
printf '%-26s %9s %9s %10s %10s %14s\n' "splitter" "wall s" "cpu s" "MB/s wall" "MB/s cpu" "x regex (cpu)"
while IFS='|' read -r label wall cpu; do
  awk -v l="$label" -v w="$wall" -v c="$cpu" -v b="$bytes" -v rc="$regex_cpu" 'BEGIN {
    mw = w > 0 ? b / 1e6 / w : 0; mc = c > 0 ? b / 1e6 / c : 0;
    ratio = c > 0 ? rc / c : 0;
    printf "%-26s %9.4f %9.4f %10.1f %10.1f %13.1fx\n", l, w, c, mw, mc, ratio }'
done <"$results"
if [ -x /usr/bin/time ]; then
  peak() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ {print $2}'; }
  echo
  echo "peak resident memory, 1 thread: many files $(peak "$mlsplit" --threads 1 "${enc[@]}" "${files[@]}") KB," \
    "one file $(peak "$mlsplit" --threads 1 "${enc[@]}" "$single") KB"
fi
awk -F'|' '$1 == "mlsplit, 1 thread" {w1=$2} $1 == "mlsplit, 2 threads" {w2=$2} $1 == "mlsplit, 2 thr, passive" {w3=$2}
  END { if (w2 > 0 && w3 > 0)
          printf "\nmlsplit wall time, 1 thread / 2 threads: %.2fx (OMP_WAIT_POLICY=passive: %.2fx)\n", w1 / w2, w1 / w3 }' "$results"
