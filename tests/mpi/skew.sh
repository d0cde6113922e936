#!/usr/bin/env bash
# A key far larger than the rest (one document with most of the claims and evidence) is cut
# into row slices over the ranks and threads, and the output is still the shell pipeline's,
# byte for byte: mljoin in batch, with records that are both claim and evidence, and a bad
# record inside the big key that --on-error=skip counts once, not once per slice.
# Usage: skew.sh BIN_DIR
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
source "$(dirname "$0")/common.bash"
mlmr=$bin/mlmr  # real stages only: the shipped program
[ -x "$bin/mljoin" ] || { echo "skip: mljoin not built"; exit 77; }
cd "$tmp"
python3 - <<'PY'
import json, random
random.seed(11)
with open("skew.ndjson", "w") as f:
    def rec(doc, i):
        return {"doc": doc, "sent": i, "scores": {"claim": round(random.uniform(-1, 1), 3),
                                                  "support": round(random.uniform(-1, 1), 3)}}
    for d in range(5):
        for i in range(20): f.write(json.dumps(rec("small%d" % d, i)) + "\n")
    for i in range(400):
        f.write(json.dumps(rec("big", i)) + "\n")
        if i == 250: f.write('{"doc":"big","sent":"no scores"}\n')
    for d in range(5, 30):
        for i in range(20): f.write(json.dumps(rec("small%d" % d, i)) + "\n")
PY
"$bin/mljoin" --key doc --on-error skip skew.ndjson >shell 2>shell.err
[ -s shell ] || { echo "FAIL: the shell pipeline made nothing"; exit 1; }
run() {  # run NAME RANKS THREADS [MLMR OPTIONS]
  local name=$1 n=$2 t=$3; shift 3
  PATH=$bin:$PATH mpi "$n" --threads "$t" --partition-bytes 8K --stats --on-error skip "$@" 'mljoin --key doc' \
    skew.ndjson >"$name" 2>"$name.err"
}
slices() { sed -n 's/.*slices here \([0-9]*\).*/\1/p' "$1" | paste -sd' '; }
for cfg in "1 2" "2 1" "4 1" "2 2"; do
  read -r n t <<<"$cfg"
  run "mr.$n.$t" "$n" "$t" --split-pairs 100
  check "split big key, $n rank(s) x $t thread(s)" shell "mr.$n.$t"
  grep -q "split keys 1 " "mr.$n.$t.err" || { echo "FAIL: the big key was not split ($n x $t)"; cat "mr.$n.$t.err"; fail=1; }
  echo "   slices per rank: $(slices "mr.$n.$t.err")"
  grep -q "mljoin: skipped 1 bad record of" "mr.$n.$t.err" ||
    { echo "FAIL: the bad record not counted once ($n x $t)"; grep skipped "mr.$n.$t.err"; fail=1; }
done
# Every rank computed some slice of the big key on 4 ranks.
[ "$(slices mr.4.1.err)" = "$(slices mr.4.1.err | tr -s ' ' '\n' | awk '$1 > 0' | paste -sd' ')" ] &&
  [ "$(slices mr.4.1.err | wc -w)" = 4 ] && echo "ok: every rank made slices" ||
  { echo "FAIL: slices per rank on 4 ranks: $(slices mr.4.1.err)"; fail=1; }
# -o DIR: the writer assembles the slices in its part files.
run dirrun 4 1 --split-pairs 100 -o out/
cat out/part-* >dir
check "split big key, -o DIR" shell dir
# -o FILE with a small --max-memory: the slices and groups spill to scratch, and every rank
# writes its part of one file (MPI-IO); nothing of the run is left beside it.
run filerun 4 1 --split-pairs 100 --max-memory 1M -o links.ndjson
check "split big key, -o FILE, --max-memory 1M" shell links.ndjson
[ ! -e links.ndjson.mlmr ] && echo "ok: no parts directory left" || { echo "FAIL: links.ndjson.mlmr left"; fail=1; }
spilled=$(sed -n 's/.*output spilled \([0-9.]*\) MB.*/\1/p' filerun.err | paste -sd+ | bc)
[ "$(echo "$spilled > 1" | bc)" = 1 ] && echo "ok: output spilled beyond --max-memory ($spilled MB)" ||
  { echo "FAIL: nothing spilled with --max-memory 1M"; cat filerun.err; fail=1; }
grep -q "output mode=file bytes=[1-9]" filerun.err && echo "ok: --stats reports the file output" ||
  { echo "FAIL: no output line in --stats"; fail=1; }
# Unsplit (--no-split, or the default threshold on this small key): the same bytes.
run nosplit 4 1 --no-split
check "--no-split" shell nosplit
grep -q "split keys 0 " nosplit.err && echo "ok: --no-split splits nothing" || { echo "FAIL: --no-split split"; fail=1; }
run default 4 1
grep -q "split keys 0 " default.err && echo "ok: a 40k-pair key is below the default --split-pairs" ||
  { echo "FAIL: default threshold split a small key"; fail=1; }
# Streaming pairs follow arrival order: never split.
"$bin/mljoin" --key doc --stream --on-error skip skew.ndjson >shell.stream 2>/dev/null
PATH=$bin:$PATH mpi 4 --partition-bytes 8K --stats --on-error skip --split-pairs 100 'mljoin --key doc --stream' \
  skew.ndjson >stream 2>stream.err
check "--stream, 4 ranks" shell.stream stream
grep -q "split keys 0 " stream.err && echo "ok: --stream is never split" || { echo "FAIL: --stream split"; fail=1; }
exit $fail
