#!/usr/bin/env bash
# mlfeat records/s (Snowball stems + word 1-2-grams, hashing trick) on 1 and 2 threads,
# against scikit-learn's HashingVectorizer(ngram_range=(1,2)) on the same sentences:
# without stemming, and with a Snowball stemmer when Debian's python3-snowballstemmer
# is installed. Rates are medians of BENCH_RUNS runs, by wall clock and by CPU time
# (user + system: fairer on a busy machine; for 2 threads only wall time says anything).
# mlfeat is timed as a whole program (read, parse, features, write NDJSON); scikit-learn
# on texts already in memory: transform, and transform + writing libsvm text.
# Usage: bench/feat.sh BIN_DIR
set -euo pipefail
bin=$(cd "${1:-build/bin}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
runs=${BENCH_RUNS:-5}
records=${FEAT_RECORDS:-100000}          # mlfeat input
sk_records=${FEAT_SKLEARN_RECORDS:-30000}  # scikit-learn input (slower: fewer)
sks_records=${FEAT_SNOWBALL_RECORDS:-5000} # scikit-learn + Python Snowball (slower still)
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The sentences: mlsplit's when it is built, over the benchmark corpus (or the sample
# essays); otherwise a plain split at . ? ! in Python. Repeated up to $records.
docs=("$root"/bench/corpus/*.txt)
[ -e "${docs[0]}" ] || docs=("$root"/data/samples/essays/*.txt)
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
: >"$work/all.ndjson"
while [ "$(wc -l <"$work/all.ndjson")" -lt "$records" ]; do cat "$work/split.ndjson" >>"$work/all.ndjson"; done
head -n "$records" "$work/all.ndjson" >"$work/sent.ndjson"
rm -f "$work/all.ndjson"
words=$("$py" -c 'import json,sys,re; t=[json.loads(l)["text"] for l in open(sys.argv[1])]; print(round(sum(len(re.findall(r"\w+",x)) for x in t)/len(t),1))' "$work/split.ndjson")
echo "input: $n sentences from ${#docs[@]} documents (by $how; $words words each on average), repeated as needed"

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"  # median
# "wall_rate cpu_rate" of a command over the mlfeat input: medians of $runs runs.
rates() {
  local i
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" <"$work/sent.ndjson" >/dev/null
    cat "$work/time"
  done >"$work/times"
  local wall cpu
  wall=$(awk '{print $1}' "$work/times" | median)
  cpu=$(awk '{print $2 + $3}' "$work/times" | median)
  awk -v n="$records" -v w="$wall" -v c="$cpu" 'BEGIN {printf "%.0f %.0f\n", n / w, n / c}'
}
read -r m1_wall m1_cpu < <(rates "$bin/mlfeat" --threads 1 --stem english --ngrams 2)
read -r m2_wall m2_cpu < <(rates "$bin/mlfeat" --threads 2 --stem english --ngrams 2)
read -r m0_wall m0_cpu < <(rates "$bin/mlfeat" --threads 1 --stem none --ngrams 2)

# scikit-learn: prints "transform_wall transform_cpu write_wall write_cpu" (records/s).
sklearn() {  # $1: none|english, $2: records
  head -n "$2" "$work/sent.ndjson" >"$work/sk.ndjson"
  "$py" - "$work/sk.ndjson" "$1" "$runs" <<'PY'
import io, json, re, statistics, sys, time
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
    runs = 1
hv = HashingVectorizer(**kw)
y = np.zeros(len(texts))
t = {"tw": [], "tc": [], "ww": [], "wc": []}
for _ in range(max(1, min(runs, 3))):
    w0, c0 = time.perf_counter(), time.process_time()
    X = hv.transform(texts)
    w1, c1 = time.perf_counter(), time.process_time()
    dump_svmlight_file(X, y, io.BytesIO())
    w2, c2 = time.perf_counter(), time.process_time()
    t["tw"].append(w1 - w0); t["tc"].append(c1 - c0); t["ww"].append(w2 - w0); t["wc"].append(c2 - c0)
print(" ".join(f"{len(texts) / statistics.median(t[k]):.0f}" for k in ("tw", "tc", "ww", "wc")))
PY
}
read -r sk_tw sk_tc sk_ww sk_wc < <(sklearn none "$sk_records")
sks=
if "$py" -c "import snowballstemmer" 2>/dev/null; then
  read -r sks_tw sks_tc sks_ww sks_wc < <(sklearn english "$sks_records")
  sks=1
fi

row() { printf '%-62s %10s %10s\n' "$@"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1fx", a / b}'; }
row "records/s (median of $runs; scikit-learn: of up to 3)" "wall" "cpu"
row "mlfeat --stem english --ngrams 2, 1 thread ($records rec)" "$m1_wall" "$m1_cpu"
row "mlfeat --stem english --ngrams 2, 2 threads" "$m2_wall" "-"
row "mlfeat --stem none --ngrams 2, 1 thread" "$m0_wall" "$m0_cpu"
row "sklearn HashingVectorizer(1,2): transform ($sk_records rec)" "$sk_tw" "$sk_tc"
row "sklearn HashingVectorizer(1,2): transform + libsvm text" "$sk_ww" "$sk_wc"
if [ -n "$sks" ]; then
  row "sklearn + snowballstemmer: transform ($sks_records rec)" "$sks_tw" "$sks_tc"
  row "sklearn + snowballstemmer: transform + libsvm text" "$sks_ww" "$sks_wc"
else
  echo "(python3-snowballstemmer is not installed: no stemming run for scikit-learn)"
fi
echo "mlfeat with stems, 1 thread, whole program, against (wall / cpu):"
echo "  sklearn without stems, transform + write:  $(ratio "$m1_wall" "$sk_ww") / $(ratio "$m1_cpu" "$sk_wc")"
echo "  sklearn without stems, transform only:     $(ratio "$m1_wall" "$sk_tw") / $(ratio "$m1_cpu" "$sk_tc")"
if [ -n "$sks" ]; then
  echo "  sklearn with Snowball stems, + write:      $(ratio "$m1_wall" "$sks_ww") / $(ratio "$m1_cpu" "$sks_wc")"
  echo "  sklearn with Snowball stems, transform:    $(ratio "$m1_wall" "$sks_tw") / $(ratio "$m1_cpu" "$sks_tc")"
fi
echo "mlfeat 2 threads / 1 thread (wall): $(ratio "$m2_wall" "$m1_wall")"
