#!/usr/bin/env bash
# Facts the documentation states that a change elsewhere could make false:
#  - every man page's footer (.TH) carries the version of CMakeLists.txt's project(VERSION), and
#    every program's --version prints that version;
#  - mlclassify(1): every shipped model's sidecar holds a calibration and a threshold chosen by
#    cross-validation, with probability thresholds between 0.06 and 0.38.
# Usage: doc_facts.sh BIN_DIR
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
bin=$(cd "$1" && pwd)
root=${MLPIPE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
py=/usr/bin/python3
[ -x "$py" ] || { echo "SKIP: no $py"; exit 77; }
fail=0
version=$(sed -n 's/^project(mlpipe VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
[ -n "$version" ] || { echo "FAIL: no project(mlpipe VERSION ...) in CMakeLists.txt"; exit 1; }

for page in "$root"/man/*.[1-8]; do
  th=$(head -n 1 "$page")
  case $th in
    ".TH "*"\"mlpipe $version\""*) ;;
    *) echo "FAIL: $(basename "$page"): footer '$th' does not say \"mlpipe $version\""; fail=1 ;;
  esac
done
dates=$(sed -n '1s/^\.TH [^ ]* [0-9] "\([^"]*\)".*/\1/p' "$root"/man/*.[1-8] | sort -u | wc -l)
[ "$dates" -eq 1 ] || { echo "FAIL: the man pages' footers give $dates different dates"; fail=1; }
for tool in "$bin"/ml*; do
  name=$(basename "$tool")
  out=$("$tool" --version)
  [ "$out" = "$name (mlpipe) $version" ] || { echo "FAIL: $name --version says '$out', not '$name (mlpipe) $version'"; fail=1; }
done

"$py" - "$root/data/samples/models" <<'PY' || fail=1
import glob, json, sys
bad = 0
sidecars = sorted(glob.glob(sys.argv[1] + "/*.model.json") + glob.glob(sys.argv[1] + "/topic/*.model.json"))
for path in sidecars:
    side = json.load(open(path))
    cal, thr = side.get("calibration"), side.get("threshold")
    if not isinstance(cal, dict) or not isinstance(thr, dict) or not 0.06 <= thr.get("probability", -1) <= 0.38:
        print(f"FAIL: {path}: calibration {cal!r}, threshold {thr!r}: not what mlclassify(1) says")
        bad = 1
if len(sidecars) < 10:
    print(f"FAIL: {len(sidecars)} shipped sidecars, expected the 10 of the two sets")
    bad = 1
sys.exit(bad)
PY
[ $fail -eq 0 ] && echo "doc_facts: version $version in every footer and --version; the shipped sidecars as mlclassify(1) says"
exit $fail
