#!/usr/bin/env bash
# mljoin and mllink throughput and memory on synthetic scored sentences:
#  - mljoin: records/s, pairs/s and peak memory, batch, --grouped, --grouped --stream,
#    and with a locality filter (--max-distance);
#  - mllink: pairs/s with a linear link model (trained here with svm-train -t 0 on
#    mllink --features-only pairs), 1 and 2 threads, and --features-only.
# Sentences look like mlclassify's output: hashed features (NNZ of 2^20), claim and
# support scores, grouped by document (SENTS per document).
# Usage: bench/pairs.sh BIN_DIR   (BENCH_RUNS runs each, median; PAIRS_SENTENCES to resize)
set -euo pipefail
bin=$(cd "${1:-build/bin}" && pwd)
runs=${BENCH_RUNS:-3}
n=${PAIRS_SENTENCES:-200000}
sents=40 nnz=25
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v svm-train >/dev/null || { echo "svm-train not installed (libsvm-tools)"; exit 1; }

# Sentences: about 20% claims and 20% supports (the paper's "35% reach the join" with overlap).
"$py" - "$work/sent.ndjson" "$n" "$sents" "$nnz" <<'PY'
import json, random, sys
out, n, per_doc, nnz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(7)
with open(out, "w") as f:
    for i in range(n):
        d, s = divmod(i, per_doc)
        idx = sorted(rng.sample(range(1, 1 << 20), nnz))
        rec = {"doc": "essay%05d.txt" % d, "para": s // 5, "sent": s, "start": s * 120, "end": s * 120 + 110,
               "text": "x" * 100,
               "features": {"idx": idx, "val": [round(rng.random() * 0.3, 4) or 0.0001 for _ in idx]},
               "scores": {"claim": round(rng.gauss(-0.84, 1), 4), "support": round(rng.gauss(-0.84, 1), 4)}}
        f.write(json.dumps(rec, separators=(",", ":")) + "\n")
PY
bytes=$(wc -c <"$work/sent.ndjson")

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"  # median
# Runs a command BENCH_RUNS times; prints "seconds cpu-seconds peak-KB" of the median run
# (by wall time; output discarded). CPU seconds (user + system) say more than wall time
# when the machine is shared.
measure() {
  local i
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null
    cat "$work/time"
  done | sort -g | awk '{s[NR]=$1; c[NR]=$2+$3; m[NR]=$4} END {i=int((NR+1)/2); print s[i], c[i], m[i]}'
}
rate() { awk -v n="$1" -v s="$2" 'BEGIN {printf "%.0f", (s > 0) ? n / s : 0}'; }
row() { printf '%-54s %8s %8s %12s %12s %9s\n' "$@"; }

echo "input: $n sentences ($((bytes / 1000000)) MB), $sents per document, $nnz of 2^20 features each"
row "" "seconds" "cpu s" "records/s" "pairs/s" "peak MB"
join_row() {  # label, then mljoin options
  local label=$1
  shift
  local pairs t c m
  pairs=$("$bin/mljoin" "$@" "$work/sent.ndjson" | wc -l)
  read -r t c m < <(measure "$bin/mljoin" "$@" "$work/sent.ndjson")
  row "$label ($pairs pairs)" "$t" "$c" "$(rate "$n" "$t")" "$(rate "$pairs" "$t")" "$((m / 1024))"
}
join_row "mljoin (batch)"
join_row "mljoin --grouped" --grouped
join_row "mljoin --grouped --stream" --grouped --stream
join_row "mljoin --grouped --max-distance 3" --grouped --max-distance 3
join_row "mljoin --grouped --slim" --grouped --slim

# A linear link model: features of 3,000 pairs, labelled by a hidden rule, svm-train -t 0.
"$bin/mljoin" --grouped "$work/sent.ndjson" >"$work/pairs.ndjson"
npairs=$(wc -l <"$work/pairs.ndjson")
head -3000 "$work/pairs.ndjson" | "$bin/mllink" --features-only --drop-sides --write-spec "$work/link.spec.json" |
  "$py" -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    idx, val = r["features"]["idx"], r["features"]["val"]
    y = 1 if (r.get("distance", 99) <= 3) != (sum(val) % 1 > 0.7) else 0
    print(y, " ".join("%d:%g" % iv for iv in zip(idx, val)))' >"$work/train.libsvm"
svm-train -q -t 0 -c 1 "$work/train.libsvm" "$work/link.model"
printf '{"spec":%s}\n' "$(cat "$work/link.spec.json")" >"$work/link.model.json"
svs=$(awk '/^total_sv/ {print $2}' "$work/link.model")

echo
echo "mllink on $npairs pairs (mljoin --grouped output); link model: linear, $svs support vectors"
row "" "seconds" "cpu s" "records/s" "pairs/s" "peak MB"
link_row() {
  local label=$1
  shift
  local t c m
  read -r t c m < <(measure "$bin/mllink" "$@" "$work/pairs.ndjson")
  row "$label" "$t" "$c" "" "$(rate "$npairs" "$t")" "$((m / 1024))"
}
link_row "mllink -m link.model --threads 1" -m "$work/link.model" --threads 1
link_row "mllink -m link.model --threads 2" -m "$work/link.model" --threads 2
link_row "mllink -m link.model --all --threads 2" -m "$work/link.model" --all --threads 2
link_row "mllink --features-only --threads 2" --features-only --threads 2
t0=$(date +%s.%N)
"$bin/mljoin" --grouped --max-distance 3 --slim "$work/sent.ndjson" | "$bin/mllink" -m "$work/link.model" >/dev/null
t1=$(date +%s.%N)
t=$(echo "$t1 - $t0" | bc -l)
row "mljoin --grouped --max-distance 3 --slim | mllink -m" "$(printf '%.2f' "$t")" "" "$(rate "$n" "$t")" "" ""
echo "(records/s: input sentences per second; pairs/s: pairs written (mljoin) or scored (mllink) per second)"
