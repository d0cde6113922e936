#!/usr/bin/env bash
# A model behind HTTP: mlserve against a Python model service, both speaking the same subset of
# the Open Inference Protocol (KServe V2: POST /v2/models/NAME/infer, JSON tensors) and serving
# the same linear SVM, trained on the same synthetic CSV (bench/model-data.py serve: 20,000 rows
# of 20 features, labels pos/neg). The peer (bench/serve_peer/app.py) is scikit-learn behind
# Flask under gunicorn, as Python model services commonly run: the default sync workers, 2 × CPUs
# + 1 of them (SERVE_PEER_WORKERS), the model trained once before the workers fork (--preload).
# mlserve serves the model mltrain writes from the same CSV (-q: no access log).
#
# Both servers run side by side for the whole run, and their runs alternate (peer, mlserve,
# peer, …), so that a change in the machine's load falls on both. Each is measured by wrk (-t2;
# -t1 for one connection) for one-row requests at 1, 16 and 128 connections (SERVE_CONNS) and
# 1,000-row requests at 16 (SERVE_BATCH_CONNS): requests/s, rows/s and p50/p99 latency, each the
# median of BENCH_RUNS runs (default 3) of SERVE_SECONDS (default 10). wrk shares the machine's
# CPUs with the servers. Then:
#  - the classes both give for the 1,000-row request, compared;
#  - mlserve's CPU per row (user + system time of its process, /proc/PID/stat, over
#    SERVE_CPU_REQUESTS 1,000-row requests posted one after the other on one connection)
#    against mlclassify's on the same rows as NDJSON (--threads 1, /usr/bin/time), the median
#    of BENCH_RUNS runs each;
#  - the project's targets: one-row requests/s ≥ 20 × the peer's, p99 ≤ 5 ms at 16 connections,
#    ≥ 500,000 rows/s in 1,000-row requests, CPU per row within 2 × mlclassify's.
# Each case prints the load average (1 minute) when it started: the machine is shared.
# Usage: bench/serve.sh [BIN_DIR]   (default: $BIN, else build/bin)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-${BIN:-build/bin}}
[ -d "$bin" ] && bin=$(cd "$bin" && pwd)
runs=${BENCH_RUNS:-3}
secs=${SERVE_SECONDS:-10}
conns=${SERVE_CONNS:-1 16 128}
batch_conns=${SERVE_BATCH_CONNS:-16}
cpu_requests=${SERVE_CPU_REQUESTS:-300}
workers=${SERVE_PEER_WORKERS:-$((2 * $(nproc) + 1))}
py=/usr/bin/python3
model=svm rows=20000 dim=20 batch=1000
for tool in wrk curl; do
  command -v $tool >/dev/null || { echo "serve.sh: $tool is not installed (scripts/install-deps.sh)"; exit 1; }
done
[ -x /usr/bin/time ] || { echo "serve.sh: /usr/bin/time is not installed (scripts/install-deps.sh)"; exit 1; }
"$py" -c 'import flask, gunicorn, sklearn' 2>/dev/null ||
  { echo "serve.sh: needs python3-flask, gunicorn and python3-sklearn (scripts/install-deps.sh)"; exit 1; }
for tool in mlserve mltrain mlclassify; do
  [ -x "$bin/$tool" ] || { echo "serve.sh: no $bin/$tool (build first)"; exit 1; }
done
# shellcheck source=bench/lib.sh
. "$here/lib.sh"  # median

work=$(mktemp -d)
declare -A pid=()  # server name → process id, while it runs
# stop_server NAME: asks it to stop (SIGTERM; gunicorn lets its workers finish their requests)
# and waits.
stop_server() {
  local p=${pid[$1]:-} i
  [ -n "$p" ] || return 0
  kill "$p" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$p" 2>/dev/null; then  # not gone in 15 s: its workers, then itself
    pkill -KILL -P "$p" 2>/dev/null || true
    kill -KILL "$p" 2>/dev/null || true
  fi
  wait "$p" 2>/dev/null || true
  unset "pid[$1]"
}
trap 'stop_server peer; stop_server mlserve; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM  # then the EXIT trap stops the servers

"$py" "$here/model-data.py" serve "$work/data" $rows $dim $batch 1
cat >"$work/post.lua" <<'EOF'
local f = assert(io.open(os.getenv("SERVE_BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
wrk.headers["Content-Type"] = "application/json"
f:close()
EOF

free_port() { "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
load() { cut -d' ' -f1 /proc/loadavg; }

# post BODY URL: the answer to one request, on stdout; fails unless it is a 200.
post() { curl -sf -X POST -H 'Content-Type: application/json' --data-binary @"$1" "$2"; }

# wait_ready NAME URL LOG: until URL answers a one-row request (at most 120 s), while the server lives.
wait_ready() {
  local i
  for ((i = 0; i < 600; i++)); do
    kill -0 "${pid[$1]}" 2>/dev/null || { echo "serve.sh: $1 exited:"; cat "$3"; return 1; }
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

row() { printf '%-8s %-11s %6s %12s %12s %9s %9s %7s %6s\n' "$@"; }
fmt_int() { awk -v v="$1" 'BEGIN { printf "%.0f", v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# measure CASE ROWS BODY CONNS: BENCH_RUNS runs of each server, alternating, for requests of
# ROWS rows (the file BODY) on CONNS connections; prints a row per server and keeps the medians
# in $work/CASE.SERVER ("requests/s p50 p99 errors load").
measure() {
  local case=$1 n=$2 body=$3 c=$4 r name rps p50 p99 err at
  at=$(load)
  rm -f "$work/runs".*
  for ((r = 0; r < runs; r++)); do
    for name in peer mlserve; do wrk_once "$c" "$body" "${url[$name]}" >>"$work/runs.$name"; done
  done
  for name in peer mlserve; do
    rps=$(cut -d' ' -f1 "$work/runs.$name" | median)
    p50=$(cut -d' ' -f2 "$work/runs.$name" | median)
    p99=$(cut -d' ' -f3 "$work/runs.$name" | median)
    err=$(awk '{ s += $4 } END { print s }' "$work/runs.$name")
    echo "$rps $p50 $p99 $err $at" >"$work/$case.$name"
    row "$name" "$n $([ "$n" = 1 ] && echo row || echo rows)" "$c" "$(fmt_int "$rps")" \
      "$(fmt_int "$(awk -v r="$rps" -v n="$n" 'BEGIN { print r * n }')")" "$(printf %.2f "$p50")" \
      "$(printf %.2f "$p99")" "$err" "$at"
  done
}

# field CASE SERVER K: the K-th median kept by measure (1 requests/s, 2 p50, 3 p99, 4 errors).
field() { cut -d' ' -f"$3" "$work/$1.$2"; }

# cpu_ticks PID: user + system time of the process (all its threads), in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rows_served() { curl -sf "$1/metrics" | awk '$1 == "mlserve_rows_total" { print $2 }'; }

echo "$rows rows of $dim features, linear SVM; wrk -d${secs}s, median of $runs runs, the servers alternating; $(nproc) CPUs"
echo "peer: scikit-learn LinearSVC, Flask, gunicorn $("$py" -c 'import gunicorn; print(gunicorn.__version__)') with $workers sync workers"
echo "mlserve: $("$bin/mlserve" --version), $(nproc) threads, -q"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"

declare -A url=() base=()
# The peer: scikit-learn, Flask, gunicorn.
port=$(free_port)
(cd "$here/serve_peer" && SERVE_PEER_MODELS="$model=$work/data.csv:linear-svm" exec "$py" -m gunicorn --preload \
  --workers "$workers" --bind "127.0.0.1:$port" --log-level warning app:app) >"$work/peer.log" 2>&1 &
pid[peer]=$!
url[peer]=http://127.0.0.1:$port/v2/models/$model/infer

# mlserve, serving the model mltrain writes from the same CSV.
mkdir -p "$work/models"
"$bin/mltrain" --no-progress --format csv --label y -l linear-svm -o "$work/models/$model.model" "$work/data.csv" \
  >"$work/mltrain.log" 2>&1 || { echo "serve.sh: mltrain failed:"; cat "$work/mltrain.log"; exit 1; }
port=$(free_port)
"$bin/mlserve" --models "$work/models" --port "$port" --no-default-pipeline -q >"$work/mlserve.log" 2>&1 &
pid[mlserve]=$!
base[mlserve]=http://127.0.0.1:$port
url[mlserve]=${base[mlserve]}/v2/models/$model/infer

wait_ready peer "${url[peer]}" "$work/peer.log"
wait_ready mlserve "${url[mlserve]}" "$work/mlserve.log"

echo
row "server" "request" "conns" "requests/s" "rows/s" "p50 ms" "p99 ms" "errors" "load"
for c in $conns; do measure "one.$c" 1 "$work/data.one.json" "$c"; done
for c in $batch_conns; do measure "batch.$c" $batch "$work/data.batch.json" "$c"; done

echo
echo "mlserve / peer"
printf '%-11s %6s %11s %9s %9s\n' "request" "conns" "requests/s" "p50" "p99"
for c in $conns; do
  printf '%-11s %6s %10sx %8sx %8sx\n' "1 row" "$c" "$(ratio "$(field "one.$c" mlserve 1)" "$(field "one.$c" peer 1)")" \
    "$(ratio "$(field "one.$c" mlserve 2)" "$(field "one.$c" peer 2)")" \
    "$(ratio "$(field "one.$c" mlserve 3)" "$(field "one.$c" peer 3)")"
done
for c in $batch_conns; do
  printf '%-11s %6s %10sx %8sx %8sx\n' "$batch rows" "$c" "$(ratio "$(field "batch.$c" mlserve 1)" "$(field "batch.$c" peer 1)")" \
    "$(ratio "$(field "batch.$c" mlserve 2)" "$(field "batch.$c" peer 2)")" \
    "$(ratio "$(field "batch.$c" mlserve 3)" "$(field "batch.$c" peer 3)")"
done

# The same answers: both give a score and a class per row of the batch; the classes compared.
echo
for name in peer mlserve; do post "$work/data.batch.json" "${url[$name]}" >"$work/$name.batch"; done
agree=$("$py" - "$work/peer.batch" "$work/mlserve.batch" $batch <<'EOF'
import json, sys
def outputs(path):
    doc = json.load(open(path))
    return {o["name"]: o["data"] for o in doc["outputs"]}
peer, mine, n = outputs(sys.argv[1]), outputs(sys.argv[2]), int(sys.argv[3])
for who, out in (("peer", peer), ("mlserve", mine)):
    for key in ("score", "class"):
        if len(out.get(key, [])) != n:
            sys.exit("serve.sh: %s: expected %d values in output '%s'" % (who, n, key))
print(sum(a == b for a, b in zip(mine["class"], peer["class"])))
EOF
)
echo "classes of the $batch-row request that agree with the peer's: $agree of $batch"

# CPU per row: mlserve over SERVE_CPU_REQUESTS batch requests on one connection (curl posts the
# body to each URL it is given, in order, on the connection it keeps), against mlclassify on the
# same rows as the NDJSON records mlserve's stage reads ({"x": [...]}), as many of them.
"$py" - "$work/data.batch.json" "$cpu_requests" >"$work/rows.ndjson" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))["inputs"][0]
n, d = t["shape"]
lines = "".join(json.dumps({"x": t["data"][i * d:(i + 1) * d]}, separators=(",", ":")) + "\n" for i in range(n))
sys.stdout.write(lines * int(sys.argv[2]))
EOF
urls=()
for ((i = 0; i < cpu_requests; i++)); do urls+=("${url[mlserve]}"); done
: >"$work/cpu.mlserve"
: >"$work/cpu.mlclassify"
cpu_load=$(load)
tck=$(getconf CLK_TCK)
for ((r = 0; r < runs; r++)); do
  before_rows=$(rows_served "${base[mlserve]}")
  before=$(cpu_ticks "${pid[mlserve]}")
  curl -sf -X POST -H 'Content-Type: application/json' --data-binary @"$work/data.batch.json" "${urls[@]}" >/dev/null
  after=$(cpu_ticks "${pid[mlserve]}")
  n=$(( $(rows_served "${base[mlserve]}") - before_rows ))
  [ "$n" -eq $((cpu_requests * batch)) ] || { echo "serve.sh: mlserve counted $n rows, not $((cpu_requests * batch))"; exit 1; }
  awk -v t=$((after - before)) -v hz="$tck" -v n="$n" 'BEGIN { print t / hz / n * 1e6 }' >>"$work/cpu.mlserve"
  # Its output to /dev/null by the shell, not -o: an mlclassify that writes -o FILE to a
  # temporary renamed over FILE would replace the device with a file.
  /usr/bin/time -f '%U %S' -o "$work/time" "$bin/mlclassify" --no-progress --threads 1 -m "$model=$work/models/$model.model" \
    --label-out label "$work/rows.ndjson" >/dev/null
  awk -v n="$n" '{ print ($1 + $2) / n * 1e6 }' "$work/time" >>"$work/cpu.mlclassify"
done
cpu_mlserve=$(median <"$work/cpu.mlserve")
cpu_mlclassify=$(median <"$work/cpu.mlclassify")
printf 'CPU per row (µs, median of %s runs of %s rows; load %s): mlserve /infer %.2f, mlclassify %.2f: %sx\n' \
  "$runs" "$((cpu_requests * batch))" "$cpu_load" "$cpu_mlserve" "$cpu_mlclassify" "$(ratio "$cpu_mlserve" "$cpu_mlclassify")"

# The targets.
echo
echo "targets"
verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = (op == ">=") ? v >= t : v <= t; print ok ? "met" : "MISSED" }'; }
for c in $conns; do
  x=$(ratio "$(field "one.$c" mlserve 1)" "$(field "one.$c" peer 1)")
  printf '  one-row requests/s at %3s conns >= 20x the peer'"'"'s: %8sx  %s\n' "$c" "$x" "$(verdict "$x" 20 ">=")"
done
if [[ " $conns " == *" 16 "* ]]; then
  p=$(field one.16 mlserve 3)
  printf '  p99 at 16 conns <= 5 ms:                        %8s ms %s\n' "$(printf %.2f "$p")" "$(verdict "$p" 5 "<=")"
fi
for c in $batch_conns; do
  v=$(awk -v r="$(field "batch.$c" mlserve 1)" -v n=$batch 'BEGIN { printf "%.0f", r * n }')
  printf '  rows/s in %s-row requests at %s conns >= 500,000: %8s  %s\n' "$batch" "$c" "$v" "$(verdict "$v" 500000 ">=")"
done
x=$(ratio "$cpu_mlserve" "$cpu_mlclassify")
printf '  CPU per row <= 2x mlclassify'"'"'s:                %8sx  %s\n' "$x" "$(verdict "$x" 2 "<=")"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
errors=0
for f in "$work"/one.*.mlserve "$work"/batch.*.mlserve; do errors=$((errors + $(cut -d' ' -f4 "$f"))); done
[ "$errors" -eq 0 ] || { echo "serve.sh: mlserve answered $errors requests with errors"; exit 1; }
