# Shared by the tests/mpi/*.sh scripts (sourced; not a test itself).
# Sets: bin, root, tmp (removed on exit), testbin and mlmr (mlmr's test build, below), mpi
# (mpirun of $mlmr with the flags this sandbox needs), tool (a test stage as a program).
bin=$(cd "$1" && pwd)
root=${MLPIPE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
[ -x "$bin/mlmr" ] || { echo "skip: no $bin/mlmr (MPI not found at build time)"; exit 77; }
# mlmr's test build (tests/support/mlmr_testing.cpp), next to build/bin: the shipped mlmr
# with the test stages (_cat, _pairs, …) and --run-tool. A test of real stages alone may
# set mlmr=$bin/mlmr to run the shipped program instead.
testbin=$(cd "$bin/.." && pwd)/test-bin
[ -x "$testbin/mlmr" ] || { echo "FAIL: no $testbin/mlmr (mlmr's test build: make mlmr-testing)"; exit 1; }
mlmr=$testbin/mlmr
command -v mpirun >/dev/null || { echo "skip: no mpirun on PATH"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/scratch"
export TMPDIR=$tmp/scratch  # mlmr's node-local scratch: this test's own
# Open MPI refuses root without these; ranks may outnumber cores here.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
mpi() { local n=$1; shift; timeout 120 mpirun --oversubscribe -n "$n" "$mlmr" "$@"; }
# A test stage as a plain program, for the shell pipeline mlmr is compared with.
tool() { "$testbin/mlmr" --run-tool "$@"; }
fail=0
check() {  # check WHAT FILE_A FILE_B: the two files are byte-identical
  if cmp -s "$2" "$3"; then echo "ok: $1"; else echo "FAIL: $1"; diff "$2" "$3" | head -5 || true; fail=1; fi
}
# Small NDJSON inputs: a.ndjson with keys in runs (doc), b.ndjson with keys interleaved.
make_inputs() {
  python3 - "$tmp" <<'PY'
import json, random, sys
random.seed(7)
d = sys.argv[1]
with open(d + "/a.ndjson", "w") as f:
    for i in range(1500):
        f.write(json.dumps({"doc": "d%d" % (i // 9), "i": i, "t": "x" * random.randint(1, 60)}) + "\n")
        if i % 400 == 7: f.write("\n")  # blank lines count as lines but carry no record
with open(d + "/b.ndjson", "w") as f:
    for i in range(400):
        f.write(json.dumps({"doc": "e%d" % (i % 11), "i": i}) + "\n")
for k in range(6):
    with open(d + "/t%d.txt" % k, "w") as f:
        for j in range(random.randint(5, 40)): f.write("line %d of text %d\n" % (j, k))
with open(d + "/model.txt", "w") as f: f.write("MODEL-7\n")
with open(d + "/model.txt.json", "w") as f: f.write("{}\n")
PY
}
