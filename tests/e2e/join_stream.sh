#!/usr/bin/env bash
# mljoin streaming: pairs come out while the input pipe is still open, and streaming
# (grouped or not) makes the same pairs as batch.
# Usage: join_stream.sh BIN_DIR
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
bin=$1
root=${MLPIPE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
source "$root/tests/lib/wait.bash"
data=$root/tests/data/pairs
[ -x "$bin/mljoin" ] || { echo "no $bin/mljoin"; exit 77; }
tmp=$(mktemp -d)
job=
cleanup() {
  [ -n "$job" ] && kill "$job" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fail=0

# 1. An open pipe: the evidence comes first, then its claim. The test keeps the input open
#    until it has read the pair, so the pair cannot be waiting for the end of input; 10 s
#    without it fails. Then one more evidence, the end of input, and the second pair.
mkfifo "$tmp/in" "$tmp/out"
"$bin/mljoin" --stream <"$tmp/in" >"$tmp/out" &
job=$!
exec 3>"$tmp/in" 4<"$tmp/out"
printf '%s\n' '{"doc":"a","sent":0,"scores":{"claim":-1,"support":2}}' '{"doc":"a","sent":1,"scores":{"claim":3,"support":-1}}' >&3
first= got=0
read_within 10 4 first || got=$?
case $got in
  0) case $first in
       *'"claim":{"doc":"a","sent":1'*'"support":{"doc":"a","sent":0'*) ;;
       *) echo "FAIL: first pair is not (claim 1, support 0): $first"; fail=1 ;;
     esac ;;
  1) echo "FAIL: mljoin --stream ended with its input still open"; fail=1 ;;
  *) echo "FAIL: no pair within 10 s while the input pipe was open"; fail=1 ;;
esac
printf '%s\n' '{"doc":"a","sent":2,"scores":{"claim":-1,"support":1}}' >&3
exec 3>&-
rest=()
while :; do
  got=0
  read_within 10 4 line || got=$?
  [ $got -eq 0 ] || break
  rest+=("$line")
done
[ $got -eq 1 ] || { echo "FAIL: mljoin --stream did not end within 10 s of its input"; fail=1; }
exec 4<&-
status=0
wait_within 10 "$job" || status=$?
job=
[ $status -eq 0 ] || { echo "FAIL: mljoin --stream exited $status"; fail=1; }
if [ ${#rest[@]} -ne 1 ]; then
  echo "FAIL: expected 2 pairs on the open pipe, got ${#rest[@]} after the first:"; printf '%s\n' "${rest[@]}"; fail=1
fi

# 2. The same pair set: batch, --stream, --grouped and --grouped --stream on grouped input.
"$bin/mljoin" "$data/essay.ndjson" | sort >"$tmp/batch"
for opts in "--stream" "--grouped" "--grouped --stream" "--stream --idle 100" "--stream --max-keys 1"; do
  # shellcheck disable=SC2086
  "$bin/mljoin" $opts "$data/essay.ndjson" | sort >"$tmp/other"
  if ! cmp -s "$tmp/batch" "$tmp/other"; then
    echo "FAIL: mljoin $opts makes other pairs than batch on grouped input"
    diff "$tmp/batch" "$tmp/other" | head -5 || true
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
