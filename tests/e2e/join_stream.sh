#!/usr/bin/env bash
# mljoin streaming: pairs come out while the input pipe is still open, and streaming
# (grouped or not) makes the same pairs as batch.
# Usage: join_stream.sh BIN_DIR
set -u -o pipefail
bin=$1
root=${MLPIPE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
data=$root/tests/data/pairs
[ -x "$bin/mljoin" ] || { echo "no $bin/mljoin"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# 1. An open pipe: the evidence comes first, its claim next, then the writer pauses.
#    The pair must be out before the writer goes on (and before input ends).
out=$tmp/out.ndjson
(
  printf '%s\n' '{"doc":"a","sent":0,"scores":{"claim":-1,"support":2}}'
  printf '%s\n' '{"doc":"a","sent":1,"scores":{"claim":3,"support":-1}}'
  sleep 3
  touch "$tmp/writer-done"
  printf '%s\n' '{"doc":"a","sent":2,"scores":{"claim":-1,"support":1}}'
) | "$bin/mljoin" --stream >"$out" &
job=$!
seen=0
for _ in $(seq 1 25); do
  if [ -s "$out" ]; then seen=1; break; fi
  sleep 0.1
done
if [ $seen -ne 1 ] || [ -e "$tmp/writer-done" ]; then
  echo "FAIL: no pair while the input pipe was open"
  fail=1
fi
wait $job || { echo "FAIL: mljoin --stream exited $?"; fail=1; }
if [ "$(wc -l <"$out")" -ne 2 ]; then
  echo "FAIL: expected 2 pairs on the open pipe, got:"; cat "$out"; fail=1
fi
first=$(head -n 1 "$out")
case $first in
  *'"claim":{"doc":"a","sent":1'*'"support":{"doc":"a","sent":0'*) ;;
  *) echo "FAIL: first pair is not (claim 1, support 0): $first"; fail=1 ;;
esac

# 2. The same pair set: batch, --stream, --grouped and --grouped --stream on grouped input.
"$bin/mljoin" "$data/essay.ndjson" | sort >"$tmp/batch"
for opts in "--stream" "--grouped" "--grouped --stream" "--stream --idle 100" "--stream --max-keys 1"; do
  # shellcheck disable=SC2086
  "$bin/mljoin" $opts "$data/essay.ndjson" | sort >"$tmp/other"
  if ! cmp -s "$tmp/batch" "$tmp/other"; then
    echo "FAIL: mljoin $opts makes other pairs than batch on grouped input"
    diff "$tmp/batch" "$tmp/other" | head -5
    fail=1
  fi
done
[ "$(wc -l <"$tmp/batch")" -eq 4 ] || { echo "FAIL: expected 4 pairs in essay.ndjson"; fail=1; }

# 3. Interleaved keys: batch and --stream agree (not --grouped: the input is not grouped).
"$bin/mljoin" "$data/interleaved.ndjson" | sort >"$tmp/batch"
"$bin/mljoin" --stream "$data/interleaved.ndjson" | sort >"$tmp/stream"
cmp -s "$tmp/batch" "$tmp/stream" || { echo "FAIL: batch and --stream differ on interleaved keys"; fail=1; }

# 4. Evidence before claim, reversed input: the same pairs, each once.
tac "$data/interleaved.ndjson" | "$bin/mljoin" --stream | sort >"$tmp/reversed"
cmp -s "$tmp/batch" "$tmp/reversed" || { echo "FAIL: reversed arrival order changes the pairs"; fail=1; }
[ "$(sort -u "$tmp/reversed" | wc -l)" -eq "$(wc -l <"$tmp/reversed")" ] || { echo "FAIL: a pair came out twice"; fail=1; }

[ $fail -eq 0 ] && echo "join_stream: ok"
exit $fail
