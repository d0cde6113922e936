#!/usr/bin/env bash
# Progress lines: drawn on a terminal (a pseudo-terminal from script(1)), absent when stderr
# is a file, forced into a file by --progress, suppressed on a terminal by --no-progress, and
# one stage's line only for a shell pipeline on a terminal. No sleeps: the first poll draws.
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
bin=${1:?usage: progress.sh BIN_DIR}
command -v script >/dev/null || { echo "no script(1) (bsdutils)"; exit 77; }
root=${MLPIPE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
for i in 1 2 3 4 5 6 7 8; do cat "$root"/data/samples/essays/*.txt; done >docs.txt
fail=0
check() {  # NAME COMMAND...: the command's status is the verdict
  local name=$1; shift
  if "$@"; then echo "ok: $name"; else echo "FAIL: $name"; fail=1; fi
}
on_tty() { script -qec "$1" /dev/null </dev/null; }

on_tty "$bin/mlsplit docs.txt >out.ndjson" >tty.txt
check "drawn on a terminal" grep -q 'mlsplit: .*documents\?.* sentences' tty.txt
check "on a terminal the line is erased at the end" bash -c "tail -c 4 tty.txt | od -c | grep -q '033   \\['"

"$bin/mlsplit" docs.txt >out.ndjson 2>err.txt
check "absent when stderr is a file" test ! -s err.txt

"$bin/mlsplit" --progress docs.txt >out.ndjson 2>err.txt
check "--progress forces it into a file, as lines" grep -q '^mlsplit: .* sentences .*done in' err.txt
check "documents, not records" bash -c "! grep -q records err.txt"

on_tty "$bin/mlsplit --no-progress docs.txt >out.ndjson" >tty.txt
check "--no-progress on a terminal" test ! -s tty.txt

on_tty "$bin/mlsplit docs.txt | $bin/mlfeat --threads 1 | $bin/mlsplit --ndjson >/dev/null" >tty.txt
tr '\r' '\n' <tty.txt | sed 's/\x1b\[K//g' | { grep -o '^ml[a-z]*:' || true; } | sort -u >labels.txt
check "a pipeline on a terminal: one stage's line" test "$(cat labels.txt)" = "mlsplit:"

# mltrain: each fit named with its fold; nothing in a file without --progress.
"$bin/mltrain" --progress --compare --cv 3 "$root/tests/data/model/cancer.ndjson" >report.txt 2>err.txt
check "mltrain --compare names the fit and its fold" grep -q '^mltrain compare: [0-9]*/[0-9]* fits · .* fold [1-3]/3' err.txt
"$bin/mltrain" --cv 3 "$root/tests/data/model/cancer.ndjson" >report.txt 2>err.txt
check "mltrain: nothing in a file" test ! -s err.txt

status=0
"$bin/mlsplit" --progress --no-progress docs.txt >/dev/null 2>err.txt || status=$?
check "--progress and --no-progress exclude each other" test $status -eq 2
exit $fail
