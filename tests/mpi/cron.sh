#!/usr/bin/env bash
# scripts/cron/mlpipe-cron.sh: only new or changed inputs are run, outputs equal the pipeline's,
# a second run while one holds the lock does nothing, one log line per run, a failed input is
# retried next time.
# Usage: cron.sh BIN_DIR
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
source "$(dirname "$0")/common.bash"
source "$root/tests/lib/wait.bash"
make_inputs
cron=$root/scripts/cron/mlpipe-cron.sh
export PATH=$testbin:$bin:$PATH  # the script runs `mlmr` from PATH: the test build, for _cat and _pairs
cd "$tmp"
mkdir in
cp a.ndjson b.ndjson in/
pipeline='_cat | _pairs --key doc'
runs() { grep -c "mlpipe-cron:" state/log; }

# 1. First run: every input; outputs equal the pipeline's; one log line.
bash "$cron" -s state -o out "$pipeline" in || { echo "FAIL: first run"; fail=1; }
tool _pairs --key doc in/a.ndjson >exp.a
tool _pairs --key doc in/b.ndjson | sort >exp.b
sort out/b.ndjson.ndjson >got.b
check "first run: a.ndjson" exp.a out/a.ndjson.ndjson
check "first run: b.ndjson (after sort)" exp.b got.b
grep -q "2 new or changed of 2 inputs processed" state/log && [ "$(runs)" -eq 1 ] &&
  echo "ok: one log line" || { echo "FAIL: log"; cat state/log; fail=1; }

# 2. Nothing changed: nothing run, outputs untouched.
touch -d '2000-01-01' out/a.ndjson.ndjson
bash "$cron" -s state -o out "$pipeline" in
grep -q "0 new or changed of 2 inputs processed" state/log && [ "$(stat -c %Y out/a.ndjson.ndjson)" -eq 946684800 ] &&
  echo "ok: unchanged inputs not run again" || { echo "FAIL: unchanged inputs"; tail -1 state/log; fail=1; }

# 3. One changed and one new input: just those two.
head -50 b.ndjson >in/b.ndjson
cp b.ndjson in/c.ndjson
bash "$cron" -s state -o out "$pipeline" in
tool _pairs --key doc in/b.ndjson | sort >exp.b2
sort out/b.ndjson.ndjson >got.b2
grep -q "2 new or changed of 3 inputs processed" state/log && [ "$(stat -c %Y out/a.ndjson.ndjson)" -eq 946684800 ] &&
  echo "ok: only the changed and the new input run" || { echo "FAIL: changed/new"; tail -1 state/log; fail=1; }
check "changed input's new output" exp.b2 got.b2

# 4. The lock: a run while another holds it does nothing and says so. The holder says when
#    it has the lock, and keeps it until the test closes its input.
cp a.ndjson in/d.ndjson
coproc holder { flock 9 && echo locked && { read -r _ || :; }; } 9>>state/lock
holder_pid=$holder_PID holder_out=${holder[0]} holder_in=${holder[1]}
locked=
read_within 10 "$holder_out" locked || { echo "FAIL: the lock was not taken within 10 s"; exit 1; }
status=0
bash "$cron" -s state -o out "$pipeline" in || status=$?
exec {holder_in}>&- {holder_out}<&-
wait_within 10 "$holder_pid" || { echo "FAIL: the lock holder did not end"; fail=1; }
if [ $status -eq 0 ] && tail -1 state/log | grep -q "busy" && [ ! -e out/d.ndjson.ndjson ]; then
  echo "ok: a second run does nothing while the lock is held"
else
  echo "FAIL: lock: status $status"; tail -1 state/log; fail=1
fi

# 5. A bad input fails (status 1, stderr), leaves no output, and is retried next run.
printf '{"doc":"x"}\n{bad\n' >in/e.ndjson
status=0
bash "$cron" -s state -o out "$pipeline" in 2>err || status=$?
if [ $status -eq 1 ] && grep -q "in/e.ndjson failed" err && [ ! -e out/e.ndjson.ndjson ] && [ -e out/d.ndjson.ndjson ] &&
   ! ls out | grep -q '\.tmp\.'; then
  echo "ok: a failed input: status 1, no output, others done"
else
  echo "FAIL: bad input: status $status"; cat err; ls out; fail=1
fi
printf '{"doc":"x"}\n{"doc":"x","i":2}\n' >in/e.ndjson
bash "$cron" -s state -o out "$pipeline" in
grep -q "1 new or changed of 5 inputs processed" state/log && [ -s out/e.ndjson.ndjson ] &&
  echo "ok: the failed input is retried" || { echo "FAIL: retry"; tail -1 state/log; fail=1; }
[ "$(runs)" -eq 6 ] && echo "ok: one log line per run" || { echo "FAIL: $(runs) log lines for 6 runs"; fail=1; }

# 6. With 2 ranks under mpirun: the same output.
rm -rf state2 out2
bash "$cron" -r 2 -s state2 -o out2 "$pipeline" in/a.ndjson
check "2 ranks under mpirun" exp.a out2/a.ndjson.ndjson
exit $fail
