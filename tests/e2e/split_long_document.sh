#!/usr/bin/env bash
# mlsplit reads a document longer than its piece size (4 MB) a piece at a time: the sentences,
# their offsets, paragraph and sentence numbers must be byte for byte those of the same text
# split whole (given as one NDJSON document, which is never cut), from a file and from a pipe;
# and its resident memory stays far below the document's size.
# Usage: split_long_document.sh BIN_DIR
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
bin=$(cd "$1" && pwd)
root=${MLPIPE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# (A document read in pieces leaves out only doc_paras and doc_sents, which need its end.)
# About 12 MB: the sample essays again and again, with lists, double spacing and a paragraph
# that goes on after a blank line, so that pieces end at many kinds of paragraph breaks.
doc=$tmp/long.txt
{
  for i in $(seq 1 400); do
    cat "$root"/data/samples/essays/*.txt
    printf '\n\nWe need:\n- water\n- bread\n\nA double-spaced\n\nparagraph goes on. Item %d.\n\n' "$i"
  done
} >"$doc"
size=$(stat -c %s "$doc")
[ "$size" -gt 8000000 ] || { echo "FAIL: the test document is only $size bytes"; exit 1; }

"$py" -c 'import json, sys; print(json.dumps({"doc": sys.argv[2], "text": open(sys.argv[1], encoding="utf-8").read()}))' \
  "$doc" long.txt >"$tmp/whole.ndjson"
"$bin/mlsplit" --ndjson --max-record-bytes 100000000 "$tmp/whole.ndjson" >"$tmp/whole" || fail=1
# A document read in pieces has no totals (doc_paras, doc_sents): everything else is the same.
grep -q '"doc_paras":[0-9]*,"doc_sents":' "$tmp/whole" || { echo "FAIL: a whole document has no totals"; fail=1; }
sed -E 's/,"doc_paras":[0-9]+,"doc_sents":[0-9]+//' "$tmp/whole" >"$tmp/expected"
(cd "$tmp" && "$bin/mlsplit" --threads 2 long.txt) >"$tmp/file" || fail=1
"$bin/mlsplit" --stdin-name long.txt <"$doc" >"$tmp/pipe" || fail=1
cat "$doc" | "$bin/mlsplit" --stdin-name long.txt >"$tmp/pipe2" || fail=1
for got in file pipe pipe2; do
  if ! cmp -s "$tmp/expected" "$tmp/$got"; then
    echo "FAIL: $got: the document split in pieces differs from the whole"
    diff <(head -c 2000000 "$tmp/expected") <(head -c 2000000 "$tmp/$got") | head -5 || true
    fail=1
  fi
done
# --encoding=replace: bad bytes are repaired piece by piece, offsets count the repaired text.
bad=$tmp/bad.txt
"$py" -c '
import sys
data = open(sys.argv[1], "rb").read()
out = bytearray()
for i, line in enumerate(data.split(b"\n")):
    out += line + (b" \xff\n" if i % 997 == 0 else b"\n")
open(sys.argv[2], "wb").write(bytes(out[:-1]))' "$doc" "$bad"
"$py" -c 'import json, sys; print(json.dumps({"doc": "bad.txt", "text": open(sys.argv[1], encoding="utf-8", errors="replace").read()}))' \
  "$bad" >"$tmp/bad.ndjson"
"$bin/mlsplit" --ndjson --max-record-bytes 100000000 "$tmp/bad.ndjson" |
  sed -E 's/,"doc_paras":[0-9]+,"doc_sents":[0-9]+//' >"$tmp/bad.expected" || fail=1
(cd "$tmp" && "$bin/mlsplit" --encoding=replace bad.txt) >"$tmp/bad.got" || fail=1
cmp -s "$tmp/bad.expected" "$tmp/bad.got" || { echo "FAIL: --encoding=replace in pieces differs from the whole"; fail=1; }
grep -q $'\xEF\xBF\xBD' "$tmp/bad.got" || { echo "FAIL: no replacement character in the output"; fail=1; }

# An invalid byte in the middle with --on-error=skip: the piece holding it is skipped and
# reported (at its byte offset in the file); the pieces after it keep true offsets.
"$py" -c '
import sys
data = open(sys.argv[1], "rb").read()
mid = data.index(b"\n", len(data) // 2) + 1
open(sys.argv[2], "wb").write(data[:mid] + b"\xff" + data[mid:])' "$doc" "$tmp/one_bad.txt"
(cd "$tmp" && "$bin/mlsplit" --on-error=skip one_bad.txt) >"$tmp/skip.out" 2>"$tmp/skip.err" || fail=1
grep -q 'one_bad.txt: invalid UTF-8 at byte' "$tmp/skip.err" || { echo "FAIL: no skip report"; cat "$tmp/skip.err"; fail=1; }
"$py" - "$tmp/one_bad.txt" "$tmp/skip.out" "$(wc -l <"$tmp/expected")" <<'PY' || fail=1
import json, sys
data = open(sys.argv[1], "rb").read()
n = 0
for line in open(sys.argv[2], encoding="utf-8"):
    r = json.loads(line)
    if data[r["start"]:r["end"]].decode("utf-8") != r["text"]:
        sys.exit("FAIL: sentence %d: offsets do not slice its text" % r["sent"])
    n += 1
whole = int(sys.argv[3])
if not (whole // 2 < n < whole):
    sys.exit("FAIL: %d of %d sentences after skipping one piece" % (n, whole))
PY

n=$(wc -l <"$tmp/expected")
[ "$n" -gt 40000 ] || { echo "FAIL: only $n sentences"; fail=1; }

# Resident memory: a whole-document reader holds the text and all its output (> 40 MB here).
if [ -x /usr/bin/time ]; then
  rss=$( { /usr/bin/time -f '%M' "$bin/mlsplit" --threads 1 "$doc" >/dev/null; } 2>&1 | tail -1)
  if [ "$rss" -gt 40000 ]; then
    echo "FAIL: mlsplit on a $size-byte document used $rss KB resident"
    fail=1
  fi
fi
[ $fail -eq 0 ] && echo "ok: $n sentences, pieces identical to the whole document"
exit $fail
