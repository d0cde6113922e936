#!/usr/bin/env bash
# mlfeat records/s (Snowball stems + word 1-2-grams, hashing trick) on 1 and 2 threads,
# against scikit-learn's HashingVectorizer(ngram_range=(1,2)) on the same sentences,
# without stemming and, when Debian's python3-snowballstemmer is installed, with it.
# Usage: bench/feat.sh BIN_DIR      (BENCH_RUNS runs each, median; FEAT_RECORDS sentences)
set -euo pipefail
bin=$(cd "${1:-build/bin}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
runs=${BENCH_RUNS:-5}
records=${FEAT_RECORDS:-200000}
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The sentences: mlsplit's, when it is built, over the sample essays (or the benchmark
# corpus); otherwise a plain split at . ? ! in Python. Repeated up to FEAT_RECORDS.
docs=("$root"/data/samples/essays/*.txt)
[ -e "${docs[0]}" ] || docs=("$root"/bench/corpus/*.txt)
if [ -x "$bin/mlsplit" ] && "$bin/mlsplit" "${docs[@]}" >"$work/split.ndjson" 2>/dev/null && [ -s "$work/split.ndjson" ]; then
  how="mlsplit"
else
  how="a regex split at . ? !"
  "$py" - "${docs[@]}" >"$work/split.ndjson" <<'PY'
import json, re, sys
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8", errors="replace").read()
    for para in re.split(r"\n\s*\n", text):
        for s in re.split(r"(?<=[.!?])\s+", " ".join(para.split())):
            if s:
                print(json.dumps({"doc": path.rsplit("/", 1)[-1], "text": s}, ensure_ascii=False))
PY
fi
n=$(wc -l <"$work/split.ndjson")
while [ "$(wc -l <"$work/in.ndjson" 2>/dev/null || echo 0)" -lt "$records" ]; do cat "$work/split.ndjson" >>"$work/in.ndjson"; done
head -n "$records" "$work/in.ndjson" >"$work/sent.ndjson"
bytes=$(wc -c <"$work/sent.ndjson")
echo "input: $records sentences ($((bytes / 1000000)) MB NDJSON; $n distinct from ${#docs[@]} documents by $how, repeated)"

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# Seconds for one run of a command, output to /dev/null.
seconds() {
  local t0 t1
  t0=$(date +%s.%N)
  "$@" <"$work/sent.ndjson" >/dev/null
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
rate() {  # records/s, the median of $runs runs
  local i
  for ((i = 0; i < runs; i++)); do seconds "$@"; done | median | awk -v n="$records" '{printf "%.0f", n / $1}'
}

mlfeat1=$(rate "$bin/mlfeat" --threads 1 --stem english --ngrams 2)
mlfeat2=$(rate "$bin/mlfeat" --threads 2 --stem english --ngrams 2)
mlfeat1_nostem=$(rate "$bin/mlfeat" --threads 1 --stem none --ngrams 2)

# scikit-learn: texts read first (not timed); timed: transform, and transform + writing
# the vectors (dump_svmlight_file to /dev/null). Prints "transform_rate write_rate".
sklearn() {  # $1: none|english
  "$py" - "$work/sent.ndjson" "$1" "$runs" <<'PY'
import json, re, statistics, sys, time
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.datasets import dump_svmlight_file
import numpy as np
path, stem, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
texts = [json.loads(l)["text"] for l in open(path, encoding="utf-8")]
kw = dict(ngram_range=(1, 2), n_features=2**20, alternate_sign=False)
if stem == "english":
    import snowballstemmer
    stemmer = snowballstemmer.stemmer("english")
    pattern = re.compile(r"(?u)\b\w\w+\b")
    kw["tokenizer"] = lambda s: stemmer.stemWords(pattern.findall(s))
    kw["token_pattern"] = None
hv = HashingVectorizer(**kw)
y = np.zeros(len(texts))
tr, wr = [], []
for _ in range(max(1, runs // 2)):
    t0 = time.perf_counter()
    X = hv.transform(texts)
    t1 = time.perf_counter()
    with open("/dev/null", "wb") as f:
        dump_svmlight_file(X, y, f)
    t2 = time.perf_counter()
    tr.append(t1 - t0)
    wr.append(t2 - t0)
print(f"{len(texts) / statistics.median(tr):.0f} {len(texts) / statistics.median(wr):.0f}")
PY
}
read -r sk_t sk_w < <(sklearn none)
if "$py" -c "import snowballstemmer" 2>/dev/null; then
  read -r sks_t sks_w < <(sklearn english)
else
  sks_t=; sks_w=
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1fx", a / b}'; }
printf '%-58s %12s\n' "records/s (median of $runs; sklearn: of $((runs / 2 > 0 ? runs / 2 : 1)))" "rec/s"
printf '%-58s %12s\n' "mlfeat --stem english --ngrams 2, 1 thread" "$mlfeat1"
printf '%-58s %12s\n' "mlfeat --stem english --ngrams 2, 2 threads" "$mlfeat2"
printf '%-58s %12s\n' "mlfeat --stem none --ngrams 2, 1 thread" "$mlfeat1_nostem"
printf '%-58s %12s\n' "sklearn HashingVectorizer(1,2), transform" "$sk_t"
printf '%-58s %12s\n' "sklearn HashingVectorizer(1,2), transform + svmlight write" "$sk_w"
if [ -n "$sks_t" ]; then
  printf '%-58s %12s\n' "sklearn + snowballstemmer, transform" "$sks_t"
  printf '%-58s %12s\n' "sklearn + snowballstemmer, transform + svmlight write" "$sks_w"
else
  echo "(python3-snowballstemmer not installed: no stemming run for scikit-learn)"
fi
echo "ratios (mlfeat 1 thread, whole program: read + parse + features + write):"
echo "  vs sklearn without stemming: $(ratio "$mlfeat1" "$sk_w") (transform only: $(ratio "$mlfeat1" "$sk_t"))"
[ -n "$sks_t" ] && echo "  vs sklearn with stemming:    $(ratio "$mlfeat1" "$sks_w") (transform only: $(ratio "$mlfeat1" "$sks_t"))"
echo "  2 threads vs 1: $(ratio "$mlfeat2" "$mlfeat1")"
