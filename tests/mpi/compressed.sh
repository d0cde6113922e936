#!/usr/bin/env bash
# Compressed inputs under mlmr: a BGZF file and a multi-frame zstd file are cut between
# frames, a plain gzip file is read whole by one partition; on any number of ranks the
# output is the shell pipeline's over the decompressed text (zcat, zstdcat), and a finished
# -o DIR run is resumed from its manifest.
# Usage: compressed.sh BIN_DIR
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
source "$(dirname "$0")/common.bash"
command -v zstd >/dev/null || { echo "skip: no zstd program (scripts/install-deps.sh installs it)"; exit 77; }
make_inputs
cd "$tmp"
# BGZF as bgzip writes it: gzip members of at most 64 KiB, each with a "BC" extra field
# holding its size (here 1500 bytes of text per member), then the empty end-of-file member.
python3 - a.ndjson a.bgz <<'PY'
import struct, sys, zlib
text = open(sys.argv[1], "rb").read()
def member(chunk):
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    data = c.compress(chunk) + c.flush()
    head = b"\x1f\x8b\x08\x04\0\0\0\0\0\xff" + struct.pack("<H", 6) + b"BC" + struct.pack("<HH", 2, 25 + len(data))
    return head + data + struct.pack("<II", zlib.crc32(chunk), len(chunk))
with open(sys.argv[2], "wb") as f:
    for i in range(0, len(text), 1500): f.write(member(text[i:i + 1500]))
    f.write(member(b""))
PY
# zstd frames of 3000 bytes of text each (zstd writes one frame per input; frames concatenate).
split -b 3000 a.ndjson piece.
for p in piece.*; do zstd -q -c "$p"; done >a.zst
gzip -n -c b.ndjson >b.gz
cp a.bgz named.txt  # compressed whatever the name says
zcat a.bgz | cmp -s - a.ndjson && zstdcat a.zst | cmp -s - a.ndjson || { echo "FAIL: test data"; exit 1; }

(zcat a.bgz; zstdcat a.zst; zcat b.gz named.txt) | tool _cat | tool _model -m model.txt >shell1
for n in 1 2 3; do
  mpi $n --partition-bytes 1K --stats '_cat | _model -m model.txt' a.bgz a.zst b.gz named.txt >mr1.$n 2>stats.$n
  check "BGZF, zstd frames, plain gzip: $n ranks = the shell" shell1 mr1.$n
done
# --stats counts what each rank made of standard output: together, the whole output.
for n in 1 3; do
  out_bytes=$(sed -n 's/.*output mode=stdout bytes=\([0-9]*\).*/\1/p' stats.$n | paste -sd+ | bc)
  [ "$out_bytes" = "$(wc -c <mr1.$n)" ] && echo "ok: --stats: $n ranks made the $out_bytes bytes of standard output" ||
    { echo "FAIL: --stats output bytes $out_bytes, written $(wc -c <mr1.$n)"; cat stats.$n; fail=1; }
done
parts() { sed -n 's/.*partitions \([0-9]*\).*/\1/p' "$1" | paste -sd+ | bc; }
mpi 2 --partition-bytes 1K --stats '_cat' a.bgz >/dev/null 2>stats.bgzf
mpi 2 --partition-bytes 1K --stats '_cat' a.zst >/dev/null 2>stats.zst
mpi 2 --partition-bytes 1K --stats '_cat' b.gz >/dev/null 2>stats.gz
bgzf=$(parts stats.bgzf) zst=$(parts stats.zst) gz=$(parts stats.gz)
[ "$bgzf" -gt 4 ] && [ "$zst" -gt 4 ] && [ "$gz" = 1 ] &&
  echo "ok: cut between frames (BGZF $bgzf partitions, zstd $zst), a plain gzip file whole ($gz)" ||
  { echo "FAIL: partitions: BGZF $bgzf, zstd $zst, gzip $gz"; cat stats.bgzf; fail=1; }

# A keyed stage: keys in runs, so the shell's order exactly.
zcat a.bgz | tool _pairs --key doc >shell2
mpi 2 --partition-bytes 1K '_cat | _pairs --key doc' a.bgz >mr2
check "keyed stage over BGZF partitions" shell2 mr2

# -o DIR, then --resume of the finished run: the manifest's frame ranges are trusted again.
mpi 2 --partition-bytes 1K -o out/ '_cat | _model -m model.txt' a.bgz a.zst b.gz named.txt
cat out/part-* >dir1
check "-o DIR parts" shell1 dir1
mpi 2 --partition-bytes 1K -o out/ --resume '_cat | _model -m model.txt' a.bgz a.zst b.gz named.txt
cat out/part-* >dir2
check "--resume of a finished run" shell1 dir2

# A bad record in a later frame: the file's line number, as the shell pipeline gives it.
sed '700s/.*/{bad/' a.ndjson >bad.ndjson
split -b 2000 bad.ndjson bpiece.
for p in bpiece.*; do zstd -q -c "$p"; done >bad.zst
mpi 2 --partition-bytes 1K '_cat' bad.zst >/dev/null 2>err || true  # judged by its message
if grep -q "^mlmr: error: .*bad.zst:700: " err; then echo "ok: error at the file's line"; else
  echo "FAIL: error line:"; cat err; fail=1; fi

# A truncated BGZF file: an error naming it, never a short output that exits 0.
head -c $(($(stat -c %s a.bgz) - 100)) a.bgz >cut.bgz
if mpi 2 --partition-bytes 1K '_cat' cut.bgz >/dev/null 2>err; then echo "FAIL: truncated input exited 0"; fail=1
elif grep -q "cut.bgz.*truncated gzip input" err; then echo "ok: truncated BGZF"; else
  echo "FAIL: truncated message:"; cat err; fail=1; fi
exit $fail
