#!/usr/bin/env bash
# mlshow's three formats, read by the programs they are for:
#  - the HTML page, with a document holding <script>alert(1)</script>, rendered by headless
#    Chromium: the screenshot is a real page (large, many colours, the claim and support
#    highlights present), the DOM shows the markup as text and holds no script element,
#    and the page prints to PDF;
#  - the DOT graph drawn by `dot -Tsvg`: each node of the SVG holds its sentence whole;
#  - the AIF JSON parsed by python3: I-nodes, one RA and one CA node, edges that go
#    premise -> RA/CA -> conclusion.
# Usage: show_render.sh BIN_DIR. Skipped (77) without chromium or Graphviz's dot.
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
bin=$1
root=${MLPIPE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
data=$root/tests/data/show
py=/usr/bin/python3
[ -x "$bin/mlshow" ] || { echo "no mlshow in $bin"; exit 77; }
[ -x "$py" ] || { echo "no $py"; exit 77; }
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || { echo "no chromium (Debian: chromium)"; exit 77; }
command -v dot >/dev/null || { echo "no dot (Debian: graphviz)"; exit 77; }

tmp=$(mktemp -d)
profile=$tmp/profile
# Chromium ends by itself after --screenshot/--dump-dom/--print-to-pdf; anything of ours
# still running (found by our own profile directory) is ended on the way out, by id.
cleanup() {
  local pids
  pids=$(pgrep -f -- "--user-data-dir=$profile" || true)
  [ -n "$pids" ] && kill $pids 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fail=0

browse() {  # browse OUTPUT-OPTION... : one headless run over the page
  mkdir -p "$profile"
  timeout -k 5 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$profile" \
    --window-size=1200,1600 "$@" "file://$tmp/page.html" 2>>"$tmp/chromium.log"
}

# Run where the documents are: their keys are the names mlsplit gives them there.
(cd "$data" && "$bin/mlshow" --title 'mlshow e2e' records.ndjson --docs oped.txt notes.txt) >"$tmp/page.html" ||
  { echo "FAIL: mlshow --format html"; exit 1; }
(cd "$data" && "$bin/mlshow" --format dot records.ndjson) >"$tmp/graph.dot" || { echo "FAIL: mlshow --format dot"; exit 1; }
(cd "$data" && "$bin/mlshow" --format aif records.ndjson) >"$tmp/graph.aif" || { echo "FAIL: mlshow --format aif"; exit 1; }

# 1. The screenshot.
browse --screenshot="$tmp/page.png" >/dev/null || true  # judged by the file it leaves
if [ ! -s "$tmp/page.png" ]; then
  echo "FAIL: chromium made no screenshot"; tail -5 "$tmp/chromium.log"; fail=1
else
  "$py" - "$tmp/page.png" <<'PY' || fail=1
import struct, sys, zlib
path = sys.argv[1]
data = open(path, "rb").read()
if len(data) < 20 * 1024:
    sys.exit("FAIL: screenshot is only %d bytes" % len(data))
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit("FAIL: screenshot is not a PNG")
pos, idat, width = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        if depth != 8 or ctype not in (2, 6) or interlace:
            sys.exit("FAIL: unexpected PNG layout (depth %d, colour type %d)" % (depth, ctype))
        bpp = 3 if ctype == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
stride = width * bpp
prev = bytearray(stride)
colours = {}
for y in range(height):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        px = bytes(line[x:x + 3])
        colours[px] = colours.get(px, 0) + 1
    prev = line
def near(rgb):
    return sum(n for px, n in colours.items() if all(abs(px[k] - rgb[k]) <= 4 for k in range(3)))
claim, support = near((0xd5, 0xe8, 0xf7)), near((0xfd, 0xe5, 0xc0))
print("screenshot: %dx%d, %d bytes, %d colours, %d claim and %d support highlight pixels"
      % (width, height, len(data), len(colours), claim, support))
if len(colours) < 100:
    sys.exit("FAIL: the screenshot has only %d colours" % len(colours))
if claim < 2000 or support < 2000:
    sys.exit("FAIL: the claim and support highlights are not on the screenshot")
PY
fi

# 2. The DOM Chromium built: the document's markup is text, and the page has no script.
browse --dump-dom >"$tmp/dom.html" || true
"$py" - "$tmp/dom.html" <<'PY' || fail=1
import sys
dom = open(sys.argv[1], encoding="utf-8").read()
if "&lt;script&gt;alert(1)&lt;/script&gt;" not in dom:
    sys.exit("FAIL: the DOM does not show <script>alert(1)</script> as text (%d bytes)" % len(dom))
if "<script" in dom.lower():
    sys.exit("FAIL: the DOM holds a script element")
for want in ('id="s1"', "Dunkirk", "against", "thesis"):
    if want not in dom:
        sys.exit("FAIL: the DOM lacks %r" % want)
PY

# 3. The page prints.
browse --no-pdf-header-footer --print-to-pdf="$tmp/page.pdf" >/dev/null || true
if [ "$(head -c 5 "$tmp/page.pdf" 2>/dev/null)" != "%PDF-" ] || [ "$(wc -c <"$tmp/page.pdf")" -lt 10000 ]; then
  echo "FAIL: chromium did not print the page to PDF"; fail=1
fi

# 4. dot draws the graph; each node shows its sentence (the AIF I-node of the same number).
if ! dot -Tsvg "$tmp/graph.dot" >"$tmp/graph.svg" 2>"$tmp/dot.err"; then
  echo "FAIL: dot -Tsvg refused the graph:"; cat "$tmp/dot.err"; fail=1
else
  "$py" - "$tmp/graph.svg" "$tmp/graph.aif" <<'PY' || fail=1
import json, sys
import xml.etree.ElementTree as ET
ns = {"svg": "http://www.w3.org/2000/svg"}
svg = ET.parse(sys.argv[1]).getroot()
aif = json.load(open(sys.argv[2], encoding="utf-8"))
want = {"n" + n["nodeID"]: " ".join(n["text"].split()) for n in aif["nodes"] if n["type"] == "I"}
got = {}
for g in svg.iter("{http://www.w3.org/2000/svg}g"):
    if g.get("class") != "node":
        continue
    title = g.find("svg:title", ns).text
    got[title] = " ".join(t.text or "" for t in g.iter("{http://www.w3.org/2000/svg}text"))
if set(got) != set(want):
    sys.exit("FAIL: SVG nodes %s, AIF I-nodes %s" % (sorted(got), sorted(want)))
for k in want:
    if got[k] != want[k]:
        sys.exit("FAIL: SVG node %s shows %r, not %r" % (k, got[k], want[k]))
if not any("<script>" in v for v in got.values()):
    sys.exit("FAIL: the SVG lost the text '<script>' of a sentence")
edges = [g for g in svg.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "edge"]
if len(edges) != 2:
    sys.exit("FAIL: %d edges in the SVG, expected 2" % len(edges))
print("svg: %d nodes, %d edges" % (len(got), len(edges)))
PY
fi

# 5. AIF: I-nodes for the sentences, an RA (support) and a CA (attack) node, consistent edges.
"$py" - "$tmp/graph.aif" <<'PY' || fail=1
import json, sys
aif = json.load(open(sys.argv[1], encoding="utf-8"))
if set(aif) != {"nodes", "edges", "locutions"}:
    sys.exit("FAIL: AIF keys %s" % sorted(aif))
nodes = {n["nodeID"]: n for n in aif["nodes"]}
if len(nodes) != len(aif["nodes"]):
    sys.exit("FAIL: repeated AIF node ids")
types = [n["type"] for n in aif["nodes"]]
if types.count("I") != 7 or types.count("RA") != 1 or types.count("CA") != 1:
    sys.exit("FAIL: AIF node types %s" % types)
ids = [e["edgeID"] for e in aif["edges"]]
if len(set(ids)) != len(ids):
    sys.exit("FAIL: repeated AIF edge ids")
for e in aif["edges"]:
    if e["fromID"] not in nodes or e["toID"] not in nodes:
        sys.exit("FAIL: AIF edge %s joins unknown nodes" % e["edgeID"])
for s in (n for n in aif["nodes"] if n["type"] in ("RA", "CA")):
    ins = [e["fromID"] for e in aif["edges"] if e["toID"] == s["nodeID"]]
    outs = [e["toID"] for e in aif["edges"] if e["fromID"] == s["nodeID"]]
    if len(ins) != 1 or len(outs) != 1 or nodes[ins[0]]["type"] != "I" or nodes[outs[0]]["type"] != "I":
        sys.exit("FAIL: %s node %s is not between two I-nodes" % (s["type"], s["nodeID"]))
    premise, conclusion = nodes[ins[0]]["text"], nodes[outs[0]]["text"]
    expect = {"RA": ("When Tallinn", "Our city"), "CA": ("Yet the trial", "Critics say")}[s["type"]]
    if not (premise.startswith(expect[0]) and conclusion.startswith(expect[1])):
        sys.exit("FAIL: %s node goes from %r to %r" % (s["type"], premise, conclusion))
for e in aif["edges"]:
    if nodes[e["fromID"]]["type"] == "I" and nodes[e["toID"]]["type"] == "I":
        sys.exit("FAIL: an AIF edge joins two I-nodes directly")
print("aif: %d nodes, %d edges" % (len(nodes), len(aif["edges"])))
PY

[ $fail -eq 0 ] && echo "show_render: ok"
exit $fail
