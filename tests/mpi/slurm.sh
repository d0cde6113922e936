#!/usr/bin/env bash
# A real single-node Slurm (scripts/slurm/local-cluster.sh: munged, slurmctld, slurmd on this
# machine): submits scripts/slurm/mlmr.sbatch, waits for it and compares the output with the
# shell pipeline; then the time-limit warning (USR1 to the batch script) stops a job with
# its partitions committed, and a resubmission finishes it with the same output; then the
# reader of srun's standard output going away stops the job quietly.
# Skips (77) only when Slurm cannot start here.
# Usage: slurm.sh BIN_DIR
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
source "$(dirname "$0")/common.bash"
source "$root/tests/lib/wait.bash"
make_inputs
cluster=$root/scripts/slurm/local-cluster.sh
sbatch_script=$root/scripts/slurm/mlmr.sbatch
slurm_dir=$tmp/slurm
trap 'bash "$cluster" stop "$slurm_dir"; rm -rf "$tmp"' EXIT
status=0
bash "$cluster" start "$slurm_dir" >"$tmp/cluster.env" || status=$?
[ $status -eq 77 ] && exit 77
[ $status -eq 0 ] || { echo "FAIL: local Slurm did not start"; tail -n 20 "$slurm_dir"/*.log; exit 1; }
export SLURM_CONF=$slurm_dir/slurm.conf
export PATH=$testbin:$bin:$PATH:/usr/sbin  # `mlmr` is the test build (test stages), the tools from build/bin
cd "$tmp"

# Waits for job $1 to end (at most $2 s); prints its exit code (e.g. 0:0). Slurm tells the end
# of a batch job to no one who waits (sbatch --wait asks slurmctld every few seconds itself),
# so this asks too, twice a second.
wait_job() {
  local state
  for _ in $(seq 1 $(($2 * 2))); do
    state=$(scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
    case $state in
      COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|PREEMPTED)
        scontrol show job "$1" | sed -n 's/.* ExitCode=\([0-9:]*\).*/\1/p'; return 0 ;;
    esac
    sleep 0.5
  done
  echo "timeout"
  scancel "$1" 2>/dev/null
  return 1
}

# 1. A job through mlmr.sbatch equals the shell pipeline (the real one when it is built).
if [ -x "$bin/mlsplit" ] && [ -x "$bin/mllink" ]; then
  d=$root/tests/data/pairs
  inputs=("$root"/data/samples/essays/*.txt)
  pipeline="mlsplit | mlfeat --spec $d/feature-spec.json | mlclassify -m claim=$d/sentence.model -m support=$d/sentence.model --keep any | mljoin --key doc | mllink -m $d/link.model --all"
  mlsplit "${inputs[@]}" | mlfeat --spec "$d/feature-spec.json" |
    mlclassify -m claim="$d/sentence.model" -m support="$d/sentence.model" --keep any |
    mljoin --key doc | mllink -m "$d/link.model" --all >expected
else
  inputs=("$tmp/a.ndjson" "$tmp/b.ndjson")
  pipeline="_cat | _pairs --key doc | _model -m $tmp/model.txt"
  cat "${inputs[@]}" | tool _pairs --key doc | tool _model -m model.txt >expected.unsorted
  sort expected.unsorted >expected
fi
for launcher in mpirun srun; do
  job=$(MLMR_LAUNCHER=$launcher MLMR_OPTS="--partition-bytes 4K" sbatch --parsable -n 2 -o "$tmp/job-$launcher.log" \
    "$sbatch_script" "$pipeline" "$tmp/out-$launcher.ndjson" "${inputs[@]}")
  code=$(wait_job "$job" 120) || true
  cp "$tmp/out-$launcher.ndjson" got 2>/dev/null || : >got
  [ -e expected.unsorted ] && sort -o got got
  if [ "$code" = 0:0 ] && [ ! -e "$tmp/out-$launcher.ndjson.mlmr" ] && cmp -s expected got; then
    echo "ok: sbatch mlmr.sbatch with $launcher, -o FILE (MPI-IO) = shell pipeline"
  else
    echo "FAIL: sbatch with $launcher: exit code $code"; tail -n 20 "$tmp/job-$launcher.log"; fail=1
  fi
done

# 2. The time-limit warning: USR1 to the batch script, as --signal=B:USR1@… sends it.
head -300 a.ndjson >slow.ndjson
cat slow.ndjson | tool _pairs --key doc >expected2
# The signal once two partitions are committed: looked for at each file written under out2/.
watch_dir "$tmp/out2"
job=$(MLMR_OPTS="--partition-bytes 2K --threads 1" sbatch --parsable -n 2 -o "$tmp/job-usr1.log" \
  "$sbatch_script" "_slow --ms 25 | _pairs --key doc" "$tmp/out2/" "$tmp/slow.ndjson")
two_committed() { [ "$({ ls "$tmp"/out2/_work/pre-* 2>/dev/null || true; } | { grep -vc '\.tmp\.' || true; })" -ge 2 ]; }
until_within 20 two_committed || echo "note: nothing committed before the signal"
unwatch
scancel --batch --signal=USR1 "$job"
code=$(wait_job "$job" 60) || true
if [ "$code" = 75:0 ] && [ ! -e "$tmp/out2/_SUCCESS" ]; then
  echo "ok: the warning signal stops the job with status 75, partitions committed"
else
  echo "FAIL: after USR1: exit code $code"; tail -n 20 "$tmp/job-usr1.log"; fail=1
fi
job=$(MLMR_OPTS="--partition-bytes 2K --threads 1" sbatch --parsable -n 2 -o "$tmp/job-usr1b.log" \
  "$sbatch_script" "_slow --ms 25 | _pairs --key doc" "$tmp/out2/" "$tmp/slow.ndjson")
code=$(wait_job "$job" 120) || true
cat "$tmp"/out2/part-* >got2 2>/dev/null || true
if [ "$code" = 0:0 ] && cmp -s expected2 got2; then
  echo "ok: the resubmitted job finishes with the shell pipeline's output"
else
  echo "FAIL: resubmitted job: exit code $code"; tail -n 20 "$tmp/job-usr1b.log"; fail=1
fi

# 3. The reader of srun's standard output going away (`srun … | head -1`, as pipe_exit.sh
# does for mpirun): every rank stops at its next partition (15 s of work to the end) and the
# job ends quietly, status 0 or 141. srun keeps discarding output after EPIPE and tells no
# task; rank 0 writes into srun's pipe itself and sees its reader go.
python3 -c '
import json
for i in range(30000): print(json.dumps({"doc": "d%d" % (i // 9), "i": i, "t": "x" * 40}))' >big.ndjson
start=$(date +%s.%N)
status=0
(timeout 60 srun --mpi=pmix -n 2 mlmr --threads 1 --partition-bytes 16K '_slow --ms 1' big.ndjson \
  2>srun.err | head -1 >srun.got) || status=$?
took=$(echo "$(date +%s.%N) - $start" | bc)
if { [ $status -eq 0 ] || [ $status -eq 141 ]; } && [ "$(head -1 big.ndjson)" = "$(cat srun.got)" ] &&
  ! grep -Eiq 'error|signal|abort|killed|backtrace' srun.err && [ "$(echo "$took < 10" | bc)" = 1 ]; then
  echo "ok: srun | head -1: the job stops and ends quietly (status $status, $(printf '%.1f' "$took") s)"
else
  echo "FAIL: srun | head -1: status $status, $(printf '%.1f' "$took") s"; head -5 srun.err; fail=1
fi
exit $fail
