#!/usr/bin/env bash
# A model behind HTTP: mlserve against a Python model service, both speaking the same subset of
# the Open Inference Protocol (KServe V2: POST /v2/models/NAME/infer, JSON tensors) and serving
# the same linear SVM, trained on the same synthetic CSV (bench/model-data.py serve: 20,000 rows
# of 20 features, labels pos/neg). The peer (bench/serve_peer/app.py) is scikit-learn behind
# Flask under gunicorn, as Python model services commonly run: the default sync workers, 2 × CPUs
# + 1 of them (SERVE_PEER_WORKERS), the model trained once before the workers fork (--preload).
# mlserve, when BIN_DIR has one, serves the model mltrain wrote from the same CSV.
# Each server is measured by wrk (-t2; -t1 for one connection) for one-row requests at 1, 16
# and 128 connections (SERVE_CONNS) and 1,000-row requests at 16 (SERVE_BATCH_CONNS): requests/s,
# rows/s and p50/p99 latency, each the median of BENCH_RUNS runs (default 3) of SERVE_SECONDS
# (default 10). wrk shares the machine's CPUs with the server it measures.
# Usage: bench/serve.sh [BIN_DIR]   (default: $BIN, else build/bin)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-${BIN:-build/bin}}
[ -d "$bin" ] && bin=$(cd "$bin" && pwd)
runs=${BENCH_RUNS:-3}
secs=${SERVE_SECONDS:-10}
conns=${SERVE_CONNS:-1 16 128}
batch_conns=${SERVE_BATCH_CONNS:-16}
workers=${SERVE_PEER_WORKERS:-$((2 * $(nproc) + 1))}
py=/usr/bin/python3
model=svm rows=20000 dim=20 batch=1000
for tool in wrk curl; do
  command -v $tool >/dev/null || { echo "serve.sh: $tool is not installed (scripts/install-deps.sh)"; exit 1; }
done
"$py" -c 'import flask, gunicorn, sklearn' 2>/dev/null ||
  { echo "serve.sh: needs python3-flask, gunicorn and python3-sklearn (scripts/install-deps.sh)"; exit 1; }
# shellcheck source=bench/lib.sh
. "$here/lib.sh"  # median

work=$(mktemp -d)
server=""  # the process id of the server running now
# stop_server: asks it to stop (SIGTERM; gunicorn lets its workers finish their requests) and waits.
stop_server() {
  [ -n "$server" ] || return 0
  kill "$server" 2>/dev/null || true
  local i
  for ((i = 0; i < 150; i++)); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$server" 2>/dev/null; then  # not gone in 15 s: its workers, then itself
    pkill -KILL -P "$server" 2>/dev/null || true
    kill -KILL "$server" 2>/dev/null || true
  fi
  wait "$server" 2>/dev/null || true
  server=""
}
trap 'stop_server; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM  # then the EXIT trap stops the server

"$py" "$here/model-data.py" serve "$work/data" $rows $dim $batch 1
cat >"$work/post.lua" <<'EOF'
local f = assert(io.open(os.getenv("SERVE_BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
wrk.headers["Content-Type"] = "application/json"
f:close()
EOF

free_port() { "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# post BODY URL: the answer to one request, on stdout; fails unless it is a 200.
post() { curl -sf -X POST -H 'Content-Type: application/json' --data-binary @"$1" "$2"; }

# wait_ready NAME URL LOG: until URL answers a one-row request (at most 120 s), while the server lives.
wait_ready() {
  local i
  for ((i = 0; i < 600; i++)); do
    kill -0 "$server" 2>/dev/null || { echo "serve.sh: $1 exited:"; cat "$3"; return 1; }
    post "$work/data.one.json" "$2" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "serve.sh: $1 did not answer $2 within 120 s:"
  cat "$3"
  return 1
}

# wrk_once CONNS BODY URL: "requests/s p50-ms p99-ms errors" of one wrk run (errors: socket
# errors, timeouts and answers other than 2xx).
wrk_once() {
  local threads=2
  [ "$1" -lt 2 ] && threads=1
  SERVE_BODY=$2 wrk -t$threads -c"$1" -d"${secs}s" --timeout 10s --latency -s "$work/post.lua" "$3" | awk '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
      if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
      if (v ~ /m$/) return substr(v, 1, length(v) - 1) * 60000
      if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
      return v + 0
    }
    /^Requests\/sec:/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { err += $NF }
    /Socket errors:/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
    END { printf "%s %.3f %.3f %d\n", rps, p50, p99, err }'
}

row() { printf '%-8s %-11s %6s %12s %12s %9s %9s %7s\n' "$@"; }
fmt_int() { awk -v v="$1" 'BEGIN { printf "%.0f", v }'; }

# measure NAME ROWS BODY URL CONNS...: one row of the table per connection count, for requests
# of ROWS rows (the file BODY) posted to URL.
measure() {
  local name=$1 n=$2 body=$3 url=$4 c r rps p50 p99 err
  shift 4
  for c in "$@"; do
    : >"$work/runs"
    for ((r = 0; r < runs; r++)); do wrk_once "$c" "$body" "$url" >>"$work/runs"; done
    rps=$(cut -d' ' -f1 "$work/runs" | median)
    p50=$(cut -d' ' -f2 "$work/runs" | median)
    p99=$(cut -d' ' -f3 "$work/runs" | median)
    err=$(awk '{ s += $4 } END { print s }' "$work/runs")
    row "$name" "$n $([ "$n" = 1 ] && echo row || echo rows)" "$c" "$(fmt_int "$rps")" \
      "$(fmt_int "$(awk -v r="$rps" -v n="$n" 'BEGIN { print r * n }')")" "$(printf %.2f "$p50")" "$(printf %.2f "$p99")" "$err"
  done
}

# run_target NAME URL: measures the server answering URL (POST /v2/models/MODEL/infer) and
# prints its rows of the table; keeps its answer to the batch request in $work/NAME.batch.
run_target() {
  post "$work/data.batch.json" "$2" >"$work/$1.batch"
  # shellcheck disable=SC2086  # the lists of connection counts are split on purpose
  measure "$1" 1 "$work/data.one.json" "$2" $conns
  # shellcheck disable=SC2086
  measure "$1" $batch "$work/data.batch.json" "$2" $batch_conns
}

# check_answer NAME: the batch answer has a score and a class per row (and, after the peer,
# how many classes agree with the peer's).
check_answer() {
  "$py" - "$work/$1.batch" "$work/peer.batch" $batch <<'EOF'
import json, sys
def outputs(path):
    doc = json.load(open(path))
    return {o["name"]: o["data"] for o in doc["outputs"]}
mine, peer, n = outputs(sys.argv[1]), outputs(sys.argv[2]), int(sys.argv[3])
for key in ("score", "class"):
    if len(mine.get(key, [])) != n:
        sys.exit("serve.sh: %s: expected %d values in output '%s'" % (sys.argv[1], n, key))
if sys.argv[1] != sys.argv[2]:
    same = sum(a == b for a, b in zip(mine["class"], peer["class"]))
    print("  classes of the %d-row request that agree with the peer's: %d" % (n, same))
EOF
}

echo "$rows rows of $dim features, linear SVM; wrk -d${secs}s, median of $runs runs; $(nproc) CPUs"
echo "peer: scikit-learn LinearSVC, Flask, gunicorn $("$py" -c 'import gunicorn; print(gunicorn.__version__)') with $workers sync workers"
row "server" "request" "conns" "requests/s" "rows/s" "p50 ms" "p99 ms" "errors"

# The peer: scikit-learn, Flask, gunicorn.
port=$(free_port)
(cd "$here/serve_peer" && SERVE_PEER_MODELS="$model=$work/data.csv:linear-svm" exec "$py" -m gunicorn --preload \
  --workers "$workers" --bind "127.0.0.1:$port" --log-level warning app:app) >"$work/peer.log" 2>&1 &
server=$!
url=http://127.0.0.1:$port/v2/models/$model/infer
wait_ready "peer" "$url" "$work/peer.log"
run_target peer "$url"
check_answer peer
stop_server

# mlserve, serving the model mltrain writes from the same CSV.
if [ -x "$bin/mlserve" ]; then
  mkdir -p "$work/models"
  "$bin/mltrain" --no-progress --format csv --label y -l linear-svm -o "$work/models/$model.model" "$work/data.csv" \
    >"$work/mltrain.log" 2>&1 || { echo "serve.sh: mltrain failed:"; cat "$work/mltrain.log"; exit 1; }
  port=$(free_port)
  "$bin/mlserve" --models "$work/models" --port "$port" >"$work/mlserve.log" 2>&1 &
  server=$!
  url=http://127.0.0.1:$port/v2/models/$model/infer
  wait_ready mlserve "$url" "$work/mlserve.log"
  run_target mlserve "$url"
  check_answer mlserve
  stop_server
else
  echo "(no $bin/mlserve: the peer alone)"
fi
