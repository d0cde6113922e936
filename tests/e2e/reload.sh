#!/usr/bin/env bash
# A running stream switches models: mlclassify --reload (and mllink --reload) on an open fifo
# use a model replaced on disk from the next batch on, with scores equal to a fresh run with
# each model; SIGHUP does the same without --reload (and without it nothing changes); an
# invalid replacement keeps the model in use with one warning; the cron retrain job's model
# reaches a running stream; a CSV stream refuses a model of other columns. Every process
# started here is stopped by its pid. The test reads the program's output from a fifo and
# waits for each line it expects (10 s at most); the only sleeps are the times the program
# lets pass before it looks at its files again (see files_due).
# Usage: reload.sh BIN_DIR
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
bin=$1
root=${MLPIPE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
source "$root/tests/lib/wait.bash"
data=$root/tests/data
[ -x "$bin/mlclassify" ] && [ -x "$bin/mltrain" ] && [ -x "$bin/mllink" ] || { echo "no mlclassify/mltrain/mllink in $bin"; exit 77; }
tmp=$(mktemp -d)
pid=
cleanup() {
  exec 3>&- 4<&-
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
failed() { echo "FAIL: $*"; fail=1; }

# Two different models of the same task, and the rows to score (labels dropped).
"$bin/mltrain" -t linear -c 1 -o "$tmp/a.model" "$data/model/cancer.ndjson" 2>/dev/null || { echo "mltrain a failed"; exit 1; }
head -n 60 "$data/model/cancer.ndjson" | "$bin/mltrain" -t linear -c 0.01 -o "$tmp/b.model" 2>/dev/null ||
  { echo "mltrain b failed"; exit 1; }
sed -n '100,129p' "$data/model/cancer.ndjson" | sed 's/,"label":"[a-z]*"//' >"$tmp/rows"
"$bin/mlclassify" -m claim="$tmp/a.model" "$tmp/rows" >"$tmp/expect.a"
"$bin/mlclassify" -m claim="$tmp/b.model" "$tmp/rows" >"$tmp/expect.b"
cmp -s "$tmp/expect.a" "$tmp/expect.b" && { echo "FAIL: the two models score alike; the test would prove nothing"; exit 1; }

mkdir "$tmp/live"
live=$tmp/live/claim.model
# Puts MODEL (and its sidecar) in place of the live model as mltrain does: each file written
# beside it and renamed, the model first.
replace() {
  cp "$1" "$live.new" && mv -f "$live.new" "$live"
  if [ -e "$1.json" ]; then cp "$1.json" "$live.json.new" && mv -f "$live.json.new" "$live.json"; fi
}

# Starts `PROGRAM ARGS…` reading one fifo, which fd 3 writes to, and writing another, which
# fd 4 reads; the lines read from it are kept in $tmp/out, its stderr goes to $tmp/err.
start() {
  rm -f "$tmp/in" "$tmp/from" "$tmp/out" "$tmp/err"
  mkfifo "$tmp/in" "$tmp/from"
  : >"$tmp/out"
  lines=0
  "$@" <"$tmp/in" >"$tmp/from" 2>"$tmp/err" &
  pid=$!
  exec 3>"$tmp/in" 4<"$tmp/from"
}
# send FIRST LAST: rows FIRST..LAST (1-based) of FILE (default $tmp/rows) into the stream.
send() { sed -n "$1,$2p" "${3:-$tmp/rows}" >&3; }
# read_line: the next output line into $tmp/out (10 s at most). 0: a line, 1: end of output, 2: none in time.
read_line() {
  local line got=0
  read_within 10 4 line || got=$?
  [ $got -eq 0 ] || return $got
  printf '%s\n' "$line" >>"$tmp/out"
  lines=$((lines + 1))
}
# wait_lines N WHAT: reads the output until it has N lines; the test ends when it does not.
wait_lines() {
  local got=0
  while [ $lines -lt "$1" ]; do
    read_line || got=$?
    [ $got -eq 0 ] && continue
    failed "$2: expected $1 output lines, got $lines, then $([ $got -eq 1 ] && echo "the end" || echo "nothing for 10 s")"
    cat "$tmp/err"
    exit 1
  done
}
# stop: ends the input, reads the output to its end; the program must end (10 s at most)
# with status 0.
stop() {
  local got=0 status=0
  exec 3>&-
  while [ $got -eq 0 ]; do read_line || got=$?; done
  exec 4<&-
  [ $got -eq 1 ] || { failed "$1: still writing 10 s after its input ended"; kill "$pid"; }
  wait_within 10 "$pid" || status=$?
  pid=
  [ $status -eq 0 ] || failed "$1: exit status $status"
}
# files_due: with --reload the program looks at its files at a batch boundary at most once in
# 5 ms (ReloadSchedule::kInterval), counted from its last look, which was before the last
# line read: once that much time has passed, the next batch's look is due. A floor on time,
# which a sleep guarantees on any machine, not a wait for something to happen.
files_due() { sleep 0.05; }
# expect_out FROM TO MODEL WHAT: output lines FROM..TO equal a fresh run's with MODEL (a or b).
expect_out() {
  if ! cmp -s <(sed -n "$1,$2p" "$tmp/out") <(sed -n "$1,$2p" "$tmp/expect.$3"); then
    failed "$4: lines $1-$2 are not model $3's"
    diff <(sed -n "$1,$2p" "$tmp/out") <(sed -n "$1,$2p" "$tmp/expect.$3") | head -4 || true
  fi
}
count() { grep -c -- "$1" "$tmp/err" || true; }

# 1. --reload: rows 1-10 by a, the model replaced by b, rows 11-20 by b, one log line.
replace "$tmp/a.model"
start "$bin/mlclassify" --reload --line-buffered -m claim="$live"
send 1 10
wait_lines 10 "--reload, before"
replace "$tmp/b.model"
files_due
send 11 20
wait_lines 20 "--reload, after"
stop "--reload"
expect_out 1 10 a "--reload, before the switch"
expect_out 11 20 b "--reload, after the switch"
[ "$(count "^mlclassify: reloaded claim from $live (written 20[0-9-]*T[0-9:]*Z, 60 training rows)$")" -eq 1 ] &&
  [ "$(wc -l <"$tmp/err")" -eq 1 ] || { failed "--reload: expected one 'reloaded' line on stderr:"; cat "$tmp/err"; }
[ $fail -eq 0 ] && echo "ok: --reload switches between batches, one stderr line"

# 2. Without --reload the model stays; SIGHUP makes the stream look, without ending it.
replace "$tmp/a.model"
start "$bin/mlclassify" --line-buffered -m claim="$live"
send 1 10
wait_lines 10 "SIGHUP, before"
replace "$tmp/b.model"
files_due
send 11 15
wait_lines 15 "SIGHUP, unasked"
# No wait after the signal: the program's main thread, which reads the stream, takes it
# before its read returns the rows sent next, so their batch sees the request.
kill -HUP "$pid"
send 16 20
wait_lines 20 "SIGHUP, after"
stop "SIGHUP"
expect_out 1 15 a "without --reload, before SIGHUP"
expect_out 16 20 b "after SIGHUP"
[ "$(count "^mlclassify: reloaded claim from")" -eq 1 ] || { failed "SIGHUP: expected one 'reloaded' line:"; cat "$tmp/err"; }
[ $fail -eq 0 ] && echo "ok: SIGHUP switches a stream without --reload; without it the model stays"

# 3. An invalid replacement (half a model, with a sidecar): the model in use stays, one
#    warning, not repeated. A model replaced without its sidecar waits for it, then is
#    refused with one warning; touching the sidecar says it goes with the new model.
replace "$tmp/a.model"
start "$bin/mlclassify" --reload --line-buffered -m claim="$live"
send 1 5
wait_lines 5 "invalid, before"
head -c 200 "$tmp/b.model" >"$live.new" && mv -f "$live.new" "$live"
cp "$tmp/b.model.json" "$live.json.new" && mv -f "$live.json.new" "$live.json"
files_due
send 6 10
wait_lines 10 "invalid, after"
files_due  # another look: the same refused files are not reported again
send 11 15
wait_lines 15 "invalid, later"
cp "$tmp/b.model" "$live.new" && mv -f "$live.new" "$live"  # the model alone
sleep 1.2  # longer than a model may wait for its sidecar (ModelWatch::kSidecarWait, 1 s from its writing): a floor on time too
send 16 18
wait_lines 18 "model without its sidecar"
touch "$live.json"
files_due
send 19 20
wait_lines 20 "sidecar touched"
stop "invalid replacement"
expect_out 1 18 a "an invalid replacement keeps the model"
expect_out 19 20 b "the model used once its sidecar is touched"
# Half a model is refused by its sidecar's size (no line), or by the parser (with one).
warnings=$(count "^mlclassify: warning: $live:\([0-9]*:\)\? .*(claim: keeping the model in use)$")
sidecar=$(count "^mlclassify: warning: $live.json: older than its model, .*(claim: keeping the model in use)$")
[ "$warnings" -eq 1 ] && [ "$sidecar" -eq 1 ] && [ "$(count "^mlclassify: reloaded claim")" -eq 1 ] &&
  [ "$(wc -l <"$tmp/err")" -eq 3 ] || { failed "invalid replacement: expected two warnings then one 'reloaded' line:"; cat "$tmp/err"; }
[ $fail -eq 0 ] && echo "ok: an invalid replacement keeps the model, with one warning"

# 4. A replacement that no longer fits the options (a model with probabilities where the
#    stream writes decision values) is refused the same way.
"$bin/mltrain" -t linear -c 1 --cv 3 --calibrate -o "$tmp/c.model" "$data/model/cancer.ndjson" >/dev/null 2>&1 ||
  { echo "mltrain c failed"; exit 1; }
replace "$tmp/a.model"
start "$bin/mlclassify" --reload --line-buffered -m claim="$live"
send 1 5
wait_lines 5 "another kind, before"
replace "$tmp/c.model"
files_due
send 6 10
wait_lines 10 "another kind, after"
stop "another kind of score"
expect_out 1 10 a "a model writing another kind of score is refused"
grep -q "the new model gives calibrated probabilities where the running one gives decision values" "$tmp/err" ||
  { failed "another kind of score: no warning"; cat "$tmp/err"; }
[ $fail -eq 0 ] && echo "ok: a model writing another kind of score is refused"

# 5. mllink --reload: the link model replaced by one that weighs the pairs otherwise.
pairs=$data/pairs/pairs.ndjson
cp "$data/pairs/link.model" "$tmp/link.model" && cp "$data/pairs/link.model.json" "$tmp/link.model.json"
sed 's/^rho .*/rho 3.5/' "$data/pairs/link.model" >"$tmp/link2.model" && cp "$data/pairs/link.model.json" "$tmp/link2.model.json"
"$bin/mllink" --all -m "$tmp/link.model" "$pairs" >"$tmp/expect.link1"
"$bin/mllink" --all -m "$tmp/link2.model" "$pairs" >"$tmp/expect.link2"
cmp -s "$tmp/expect.link1" "$tmp/expect.link2" && failed "the two link models score alike"
live=$tmp/live/link.model
replace "$tmp/link.model"
start "$bin/mllink" --reload --line-buffered --all -m "$live"
send 1 4 "$pairs"
wait_lines 4 "mllink, before"
replace "$tmp/link2.model"
files_due
send 1 4 "$pairs"
wait_lines 8 "mllink, after"
stop "mllink --reload"
cmp -s <(head -n 4 "$tmp/out") "$tmp/expect.link1" && cmp -s <(tail -n 4 "$tmp/out") "$tmp/expect.link2" ||
  { failed "mllink --reload: scores before/after are not the two models'"; cat "$tmp/out"; }
[ "$(count "^mllink: reloaded the link model from $live (")" -eq 1 ] || { failed "mllink: no 'reloaded' line"; cat "$tmp/err"; }
[ $fail -eq 0 ] && echo "ok: mllink --reload"

# 6. The cron retrain job replaces the model; the running stream picks it up.
live=$tmp/live/claim.model
replace "$tmp/a.model"
head -n 60 "$data/model/cancer.ndjson" >"$tmp/labelled.ndjson"
start "$bin/mlclassify" --reload --line-buffered -m claim="$live"
send 1 5
wait_lines 5 "cron, before"
PATH=$bin:$PATH bash "$root/scripts/cron/mlpipe-retrain.sh" -a '-t linear -c 0.01' -s "$tmp/state" -o "$live" \
  "$tmp/labelled.ndjson" || failed "mlpipe-retrain.sh failed"
grep -q "retrained $live from 1 changed input" "$tmp/state/log" || { failed "retrain: log"; cat "$tmp/state/log"; }
files_due
send 6 10
wait_lines 10 "cron, after"
# A second run with nothing changed trains nothing.
PATH=$bin:$PATH bash "$root/scripts/cron/mlpipe-retrain.sh" -a '-t linear -c 0.01' -s "$tmp/state" -o "$live" \
  "$tmp/labelled.ndjson" || failed "mlpipe-retrain.sh, second run"
tail -n 1 "$tmp/state/log" | grep -q "unchanged" || { failed "retrain: second run"; cat "$tmp/state/log"; }
stop "cron"
expect_out 1 5 a "cron, before the retrain"
expect_out 6 10 b "cron, after the retrain (b is trained on the same rows)"
[ "$(count "^mlclassify: reloaded claim")" -eq 1 ] || { failed "cron: expected one 'reloaded' line:"; cat "$tmp/err"; }
[ $fail -eq 0 ] && echo "ok: the cron retrain job's model reaches the running stream"

# 8. CSV: rows are read by the running model's columns, so a replacement trained on other
#    columns is refused; one trained on the same columns is taken.
csv=$data/model/iris.csv
"$bin/mltrain" --format csv --label species --ignore id -c 1 -o "$tmp/ca.model" "$csv" 2>/dev/null &&
  "$bin/mltrain" --format csv --label species --ignore id -c 0.01 -t linear -o "$tmp/cb.model" "$csv" 2>/dev/null &&
  "$bin/mltrain" --format csv --label species --ignore id --ignore "petal width, cm" -o "$tmp/cc.model" "$csv" \
    2>/dev/null || { echo "mltrain csv failed"; exit 1; }
sed -n '2,81p' "$csv" >"$tmp/csv.rows"
for m in ca cb; do
  { sed -n 1p "$csv"; cat "$tmp/csv.rows"; } | "$bin/mlclassify" --format csv -m claim="$tmp/$m.model" --drop-features >"$tmp/expect.$m"
done
cmp -s "$tmp/expect.ca" "$tmp/expect.cb" && { echo "FAIL: the two CSV models score alike; the test would prove nothing"; exit 1; }
replace "$tmp/ca.model"
start "$bin/mlclassify" --format csv --reload --line-buffered --drop-features -m claim="$live"
sed -n 1p "$csv" >&3
send 1 40 "$tmp/csv.rows"
wait_lines 40 "csv, before"
replace "$tmp/cc.model"
files_due
send 41 41 "$tmp/csv.rows"
wait_lines 41 "csv, other columns"
replace "$tmp/cb.model"
files_due
send 42 80 "$tmp/csv.rows"
wait_lines 80 "csv, same columns"
stop "csv"
expect_out 1 41 ca "csv: before, and after a model of other columns"
expect_out 42 80 cb "csv: after a model of the same columns"
grep -q "trained on other CSV columns" "$tmp/err" || { failed "csv: no warning for other columns"; cat "$tmp/err"; }
[ $fail -eq 0 ] && echo "ok: --format csv refuses a model of other columns, takes one of the same"

# 7. mlmr runs no streams: --reload in its pipeline is a usage error.
if [ -x "$bin/mlmr" ] && command -v mpirun >/dev/null; then
  status=0
  "$bin/mlmr" "mlclassify --reload -m $tmp/a.model" "$tmp/rows" >/dev/null 2>"$tmp/mr.err" || status=$?
  [ $status -eq 2 ] && grep -q "mlclassify: --reload follows model files" "$tmp/mr.err" ||
    { failed "mlmr with --reload: status $status"; cat "$tmp/mr.err"; }
  [ $fail -eq 0 ] && echo "ok: mlmr refuses --reload"
fi

[ $fail -eq 0 ] && echo "reload: ok"
exit $fail
