#!/usr/bin/env bash
# `make install` gives a user everything the README and the man pages use, and `make uninstall`
# takes it all back:
#  - `cmake --install BUILD --prefix /p` with DESTDIR installs every program, every man page, the
#    shipped models (both sets, with their sidecars, spec, vocabulary, README, metrics and NOTICE),
#    the sample texts, the training recipe with its helper and the Slurm and cron scripts;
#  - the installed man pages name the installed paths, and every such path exists;
#  - the README's argument-mining pipelines (without and with a topic) run from the installed
#    tree alone (programs on PATH, models from share/mlpipe) and print the same bytes as from the
#    build tree;
#  - the installed scripts answer --help, and the cron script finds the installed programs
#    without them on PATH;
#  - the uninstall target removes every installed file and the mlpipe directories.
# The build directory's install_manifest.txt (a real `make install`'s) is kept as it was.
# Usage: install.sh BIN_DIR
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
bin=$(cd "$1" && pwd)
build=$(cd "$bin/.." && pwd)
root=${MLPIPE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -f "$build/cmake_install.cmake" ] || { echo "SKIP: $build is not a CMake build directory"; exit 77; }
tmp=$(mktemp -d)
manifest=$build/install_manifest.txt
[ -f "$manifest" ] && cp -p "$manifest" "$tmp/manifest.saved"
restore() {
  if [ -f "$tmp/manifest.saved" ]; then cp -p "$tmp/manifest.saved" "$manifest"; else rm -f "$manifest"; fi
  rm -rf "$tmp"
}
trap restore EXIT
fail=0
stage=$tmp/stage
p=$stage/p
share=$p/share/mlpipe

DESTDIR=$stage cmake --install "$build" --prefix /p >"$tmp/install.log" 2>&1 ||
  { echo "FAIL: cmake --install:"; tail -5 "$tmp/install.log"; exit 1; }

# What was installed.
for tool in "$bin"/ml*; do
  name=$(basename "$tool")
  [ -x "$p/bin/$name" ] || { echo "FAIL: program $name is not installed"; fail=1; }
done
for page in "$root"/man/*.[1-8]; do
  name=$(basename "$page")
  [ -s "$p/share/man/man${name##*.}/$name" ] || { echo "FAIL: man page $name is not installed"; fail=1; }
done
diff -r -x NOTICE "$root/data/samples/models" "$share/models" >"$tmp/diff" ||
  { echo "FAIL: the installed models differ from data/samples/models:"; head "$tmp/diff"; fail=1; }
cmp -s "$root/NOTICE" "$share/models/NOTICE" || { echo "FAIL: NOTICE is not next to the models"; fail=1; }
for d in essays opinion; do
  diff -r "$root/data/samples/$d" "$share/samples/$d" >/dev/null || { echo "FAIL: samples/$d differs"; fail=1; }
done
for s in train-argument-models.sh cron/mlpipe-cron.sh cron/mlpipe-retrain.sh slurm/mlmr.sbatch slurm/local-cluster.sh; do
  [ -x "$share/scripts/$s" ] || { echo "FAIL: scripts/$s is not installed executable"; continue; }
  "$share/scripts/$s" --help >"$tmp/help" 2>&1 && grep -q . "$tmp/help" ||
    { echo "FAIL: installed scripts/$s --help"; head -3 "$tmp/help"; fail=1; }
done
[ -f "$share/scripts/data/training_rows.py" ] || { echo "FAIL: the recipe's helper is not installed"; fail=1; }
# The installed cron script finds the installed programs with no PATH to them (cron's PATH).
mkdir -p "$tmp/in"
cp "$root/data/samples/opinion/libraries.txt" "$tmp/in/"
PATH=/usr/bin:/bin "$share/scripts/cron/mlpipe-cron.sh" -s "$tmp/cron" -o "$tmp/cron-out" 'mlsplit' "$tmp/in" 2>"$tmp/cron.err" &&
  [ "$(wc -l <"$tmp/cron-out/libraries.txt.ndjson")" -eq "$("$bin/mlsplit" "$tmp/in/libraries.txt" | wc -l)" ] ||
  { echo "FAIL: the installed mlpipe-cron.sh without the programs on PATH:"; head -3 "$tmp/cron.err"; fail=1; }

# The installed man pages name the installed paths, and those exist (globs included).
grep -l 'data/samples/models\|data/samples/essays\|data/samples/opinion' "$p"/share/man/man*/* >"$tmp/stale" &&
  { echo "FAIL: installed man pages still name source-tree paths: $(cat "$tmp/stale")"; fail=1; }
grep -q '/p/share/mlpipe/models' "$p/share/man/man7/mlpipe.7" || { echo "FAIL: mlpipe(7) does not name /p/share/mlpipe/models"; fail=1; }
named=0
while IFS= read -r path; do
  named=$((named + 1))
  # shellcheck disable=SC2086  # a glob such as samples/essays/*.txt is meant to expand
  set -- $stage$path
  [ -e "$1" ] || { echo "FAIL: an installed man page names $path, which is not installed"; fail=1; }
done < <(sed 's/\\-/-/g; s/\\f[BIR]//g' "$p"/share/man/man*/* | grep -o '/p/share/mlpipe/[^ ")|]*' | sed 's/[,.;:]*$//' | sort -u)
[ "$named" -ge 5 ] || { echo "FAIL: only $named installed paths named by the man pages"; fail=1; }

# The README's pipelines, from the installed tree and from the build tree (documents named alike:
# samples/opinion/NAME in both).
pipeline() {  # pipeline BIN MODELS: run in the directory holding samples/
  PATH=$1:/usr/bin:/bin
  local M=$2 T=$2/topic
  mlsplit samples/opinion/*.txt samples/essays/*.txt | mlfeat --spec $M/features.json |
    mlclassify -m claim=$M/claim.model -m support=$M/support.model -m thesis=$M/thesis.model -m against=$M/against.model --keep any |
    mljoin --key doc --max-distance 20 --thesis --sentences |
    mllink -m $M/link.model --top 3 --top-right 1 | tee links.ndjson | mlshow --format text &&
    mlsplit --ndjson samples/opinion/bike-lanes.ndjson | mlfeat --spec $T/features.json |
    mlclassify -m claim=$T/claim.model -m support=$T/support.model -m thesis=$T/thesis.model -m against=$T/against.model --keep any |
    mljoin --key doc --max-distance 20 --thesis --sentences |
    mllink -m $T/link.model --top 3 --top-right 1 | mlshow --format text &&
    cat links.ndjson && rm links.ndjson
}
mkdir -p "$tmp/src"
ln -s "$root/data/samples" "$tmp/src/samples"
(cd "$tmp/src" && pipeline "$bin" "$root/data/samples/models") >"$tmp/build.out" 2>"$tmp/build.err" ||
  { echo "FAIL: the pipeline from the build tree:"; head -5 "$tmp/build.err"; fail=1; }
(cd "$share" && pipeline "$p/bin" "$share/models") >"$tmp/installed.out" 2>"$tmp/installed.err" ||
  { echo "FAIL: the pipeline from the installed tree:"; head -5 "$tmp/installed.err"; fail=1; }
grep -q '^thesis ' "$tmp/build.out" || { echo "FAIL: the pipeline printed no thesis"; fail=1; }
cmp "$tmp/build.out" "$tmp/installed.out" || { echo "FAIL: installed and build trees print different bytes"; fail=1; }

# Uninstall: nothing of mlpipe is left.
DESTDIR=$stage cmake --build "$build" --target uninstall >"$tmp/uninstall.log" 2>&1 ||
  { echo "FAIL: the uninstall target:"; tail -5 "$tmp/uninstall.log"; fail=1; }
left=$(find "$stage" -type f -o -type l -o -name '*mlpipe*')
[ -z "$left" ] || { echo "FAIL: left after uninstall:"; echo "$left" | head || true; fail=1; }
[ -f "$manifest" ] && [ ! -f "$tmp/manifest.saved" ] && { echo "FAIL: the manifest outlived the uninstall"; fail=1; }

[ $fail -eq 0 ] && echo "install: $(wc -l <"$tmp/build.out") lines alike from both trees, $named installed paths named by the man pages"
exit $fail
