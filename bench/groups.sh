#!/usr/bin/env bash
# What each mlfeat feature group costs: sentences/s of mlfeat on one thread, words only (the
# shipped models' word options) and with each group alone, then with the shipped topic-free and
# topic-aware specs; the share of the whole spec's time each group takes. Input: the training
# sentences of data/samples/ibm (Wikipedia, with a topic field). Medians of BENCH_RUNS runs.
#   bash bench/groups.sh BIN_DIR
set -euo pipefail
bin=$(cd "${1:?usage: bench/groups.sh BIN_DIR}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${BENCH_RUNS:-3}
M=$root/data/samples/models
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gzip -dc "$root/data/samples/ibm/train.ndjson.gz" >"$tmp/s.ndjson"
n=$(wc -l <"$tmp/s.ndjson")
words="--ngrams 2 --vocab $M/vocab.tsv --weight tfidf"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
seconds() {  # seconds OPTIONS...: median user+sys CPU seconds of mlfeat --threads 1
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%U %S" "$bin/mlfeat" --threads 1 "$@" "$tmp/s.ndjson" 2>&1 >/dev/null | awk '{print $1 + $2}'
  done | median
}
base=$(seconds $words)
echo "mlfeat, one thread, $n Wikipedia sentences (CPU seconds, medians of $runs runs)"
printf "%-28s %9s %12s %12s\n" features cpu_s sentences/s "added_us/sent"
printf "%-28s %9.2f %12.0f %12s\n" "words" "$base" "$(awk -v n="$n" -v t="$base" 'BEGIN{print n/t}')" "-"
for g in claim-cues evidence-cues shape opinion topic syntax:pos=3,bits=16 position discourse wordnet; do
  t=$(seconds $words --group "$g")
  printf "%-28s %9.2f %12.0f %12.1f\n" "words + $g" "$t" "$(awk -v n="$n" -v t="$t" 'BEGIN{print n/t}')" \
    "$(awk -v n="$n" -v t="$t" -v b="$base" 'BEGIN{print (t-b)/n*1e6}')"
done
for spec in "$M/features.json" "$M/topic/features.json"; do
  t=$(seconds --spec "$spec")
  printf "%-28s %9.2f %12.0f %12.1f\n" "${spec#"$root"/data/samples/}" "$t" "$(awk -v n="$n" -v t="$t" 'BEGIN{print n/t}')" \
    "$(awk -v n="$n" -v t="$t" -v b="$base" 'BEGIN{print (t-b)/n*1e6}')"
done
