#!/usr/bin/env bash
# mlserve held under load for a long time while its model is retrained and swapped, then three
# checks of how it behaves at the edges. A long benchmark: not part of `make bench`.
#
#  1. The peak: one-row requests (JSON tensors, 20 features, the linear SVM of bench/serve.sh)
#     at 16 connections for SOAK_PEAK_SECONDS (10), unpaced.
#  2. The soak: the same requests paced at SOAK_LOAD percent (80) of that peak by wrk (a Lua
#     schedule of send times per thread; 32 connections, SOAK_CONNS) for SOAK_SECONDS (600), in
#     wrk runs of SOAK_SAMPLE seconds (10). Every SOAK_RETRAIN seconds (60) the model under load
#     is retrained (POST /v2/repository/models/svm/train on its 20,000-row CSV) and the new
#     version swapped in. After each run: requests/s, p99, errors (wrk's non-2xx, socket errors
#     and timeouts), mlserve's resident memory (VmRSS) and the version served. Then the RSS
#     series' first, last and largest values, the errors /metrics counted, the training jobs.
#  3. 1,000 idle keep-alive connections (SOAK_IDLE) held open by a Python script, and a new
#     request sent five times with curl: the time each took.
#  4. A stall check: ten times 2 s at 16 connections then 3 s at 128 (unpaced); the fewest
#     requests/s of each (a server that stops answering, as a libmicrohttpd build once did,
#     shows as a run near zero).
# The load average (1 minute) is printed with every line: the machine is shared.
# Usage: bench/soak.sh [BIN_DIR]   (default: $BIN, else build/bin)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-${BIN:-build/bin}}
[ -d "$bin" ] && bin=$(cd "$bin" && pwd)
soak=${SOAK_SECONDS:-600}
sample=${SOAK_SAMPLE:-10}
retrain_every=${SOAK_RETRAIN:-60}
peak_secs=${SOAK_PEAK_SECONDS:-10}
load_pct=${SOAK_LOAD:-80}
soak_conns=${SOAK_CONNS:-32}
idle=${SOAK_IDLE:-1000}
py=/usr/bin/python3
model=svm rows=20000 dim=20 batch=1000
for tool in wrk curl; do
  command -v $tool >/dev/null || { echo "soak.sh: $tool is not installed (scripts/install-deps.sh)"; exit 1; }
done
for tool in mlserve mltrain; do
  [ -x "$bin/$tool" ] || { echo "soak.sh: no $bin/$tool (build first)"; exit 1; }
done
# The idle connections, and mlserve's own, need file descriptors.
[ "$(ulimit -n)" -ge $((idle + 200)) ] || ulimit -n $((idle + 200)) 2>/dev/null ||
  { echo "soak.sh: needs $((idle + 200)) open files (ulimit -n is $(ulimit -n))"; exit 1; }

# shellcheck source=bench/lib.sh
. "$here/lib.sh"  # median

work=$(mktemp -d)
server="" retrainer="" holder=""
stop() {
  local p
  for p in $holder $retrainer; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  holder="" retrainer=""
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=""
  fi
}
trap 'stop; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

"$py" "$here/model-data.py" serve "$work/data" $rows $dim $batch 1
mkdir -p "$work/models"
"$bin/mltrain" --no-progress --format csv --label y -l linear-svm -o "$work/models/$model.model" "$work/data.csv" \
  >"$work/mltrain.log" 2>&1 || { echo "soak.sh: mltrain failed:"; cat "$work/mltrain.log"; exit 1; }
port=$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
url=$base/v2/models/$model/infer
"$bin/mlserve" --models "$work/models" --port "$port" --no-default-pipeline -q >"$work/mlserve.log" 2>&1 &
server=$!
for ((i = 0; i < 100; i++)); do
  curl -sf "$base/v2/health/ready" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { echo "soak.sh: mlserve exited:"; cat "$work/mlserve.log"; exit 1; }
  sleep 0.1
done

cat >"$work/post.lua" <<'EOF'
local f = assert(io.open(os.getenv("SERVE_BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
wrk.headers["Content-Type"] = "application/json"
f:close()
EOF
# Paced: each thread (its own Lua state) keeps a schedule of send times SOAK_THREADS /
# SOAK_RATE seconds apart, and wrk's delay() holds each request until its time. A thread more
# than a second behind starts again from now rather than sending a burst.
cat "$work/post.lua" - >"$work/paced.lua" <<'EOF'
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } soak_timespec;
int clock_gettime(int clock, soak_timespec *ts);
]]
local ts = ffi.new("soak_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end
local interval = 1000 * tonumber(os.getenv("SOAK_THREADS")) / tonumber(os.getenv("SOAK_RATE"))
local slot = nil
function delay()
  local t = now_ms()
  if slot == nil or slot < t - 1000 then slot = t end
  local wait = slot - t
  slot = slot + interval
  return wait > 0 and wait or 0
end
EOF

load() { cut -d' ' -f1 /proc/loadavg; }
rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$server/status"; }
served_version() { curl -sf "$base/metrics" | awk -v m="mlserve_model_version{model=\"$model\"}" '$1 == m { print $2 }'; }
# wrk_run SCRIPT CONNS SECONDS: "requests/s p99-ms errors" of one run.
wrk_run() {
  local threads=2
  [ "$2" -lt 2 ] && threads=1
  SERVE_BODY=$work/data.one.json SOAK_THREADS=$threads wrk -t$threads -c"$2" -d"$3s" --timeout 10s --latency -s "$1" "$url" |
    awk '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
      if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
      if (v ~ /m$/) return substr(v, 1, length(v) - 1) * 60000
      if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
      return v + 0
    }
    /^Requests\/sec:/ { rps = $2 }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { err += $NF }
    /Socket errors:/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
    END { printf "%.0f %.2f %d\n", rps, p99, err }'
}

echo "mlserve: $("$bin/mlserve" --version), $(nproc) threads, -q; $(nproc) CPUs; load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. The peak.
read -r peak peak_p99 peak_err < <(wrk_run "$work/post.lua" 16 "$peak_secs")
rate=$((peak * load_pct / 100))
echo "peak: $peak one-row requests/s at 16 connections (p99 $peak_p99 ms, $peak_err errors); soak at $load_pct%: $rate/s on $soak_conns connections"

# 2. The soak, with the model retrained every SOAK_RETRAIN seconds.
retrain() {
  local started=$SECONDS next=$retrain_every t id state version answer
  trap 'kill $! 2>/dev/null; exit 0' TERM  # the sleep or curl it waits for goes too
  while :; do
    sleep $((next - (SECONDS - started) > 0 ? next - (SECONDS - started) : 0)) &
    wait $!
    next=$((next + retrain_every))
    t=$((SECONDS - started))
    answer=$(curl -s -X POST -H 'Content-Type: text/csv' --data-binary @"$work/data.csv" \
      "$base/v2/repository/models/$model/train?label=y&learner=linear-svm") || { echo "$t - post-failed -" >>"$work/jobs"; continue; }
    id=$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' <<<"$answer")
    [ -n "$id" ] || { echo "$t - refused -" >>"$work/jobs"; continue; }
    state=queued
    while [ "$state" = queued ] || [ "$state" = running ]; do
      sleep 0.5
      answer=$(curl -s "$base/v2/jobs/$id") || break
      state=$(sed -n 's/.*"state":"\([a-z]*\)".*/\1/p' <<<"$answer")
    done
    version=$(sed -n 's/.*"version":\([0-9]*\).*/\1/p' <<<"$answer")
    echo "$t $id $state ${version:--} $((SECONDS - started - t))" >>"$work/jobs"
  done
}
: >"$work/jobs"
retrain &
retrainer=$!

echo
printf '%6s %11s %8s %7s %8s %8s %6s\n' "t s" "requests/s" "p99 ms" "errors" "RSS MB" "version" "load"
: >"$work/series"
elapsed=0
rss0=$(rss_mb)
printf '%6s %11s %8s %7s %8s %8s %6s\n' 0 - - - "$rss0" "$(served_version)" "$(load)"
while [ "$elapsed" -lt "$soak" ]; do
  read -r rps p99 err < <(SOAK_RATE=$rate wrk_run "$work/paced.lua" "$soak_conns" "$sample")
  elapsed=$((elapsed + sample))
  rss=$(rss_mb)
  version=$(served_version)
  echo "$elapsed $rps $p99 $err $rss $version" >>"$work/series"
  printf '%6s %11s %8s %7s %8s %8s %6s\n' "$elapsed" "$rps" "$p99" "$err" "$rss" "$version" "$(load)"
done
kill "$retrainer" 2>/dev/null || true
wait "$retrainer" 2>/dev/null || true
retrainer=""

echo
awk -v first="$rss0" '
  { if ($5 > max) max = $5; last = $5; errors += $4 }
  END {
    printf "RSS MB: first %s, last %s, max %s\n", first, last, max
    printf "errors seen by wrk: %d\n", errors
  }' "$work/series"
echo "p99 ms over the $(wc -l <"$work/series") runs: median $(cut -d' ' -f3 "$work/series" | median), max $(cut -d' ' -f3 "$work/series" | sort -g | tail -1)"
echo "requests/s over the runs: median $(cut -d' ' -f2 "$work/series" | median), min $(cut -d' ' -f2 "$work/series" | sort -g | head -1)"
curl -sf "$base/metrics" | awk '
  /^mlserve_requests_total/ { total[$1 ~ /code="2xx"/ ? "2xx" : "other"] += $2 }
  END { printf "requests answered (/metrics): %d 2xx, %d other\n", total["2xx"], total["other"] }'
echo "training jobs (t s, id, state, version, seconds to finish):"
sed 's/^/  /' "$work/jobs"

# 3. A thousand idle keep-alive connections, and a new request meanwhile.
cat >"$work/idle.py" <<'EOF'
import socket, sys, time
host, port, n, ready = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
held = []
for _ in range(n):
    s = socket.create_connection((host, port))
    held.append(s)
open(ready, "w").write("%d\n" % len(held))
time.sleep(600)
EOF
"$py" "$work/idle.py" 127.0.0.1 "$port" "$idle" "$work/idle.ready" &
holder=$!
for ((i = 0; i < 300; i++)); do
  [ -s "$work/idle.ready" ] && break
  kill -0 "$holder" 2>/dev/null || break
  sleep 0.1
done
[ -s "$work/idle.ready" ] || { echo "soak.sh: the idle connections were not all opened"; exit 1; }
sleep 1
times=()
for ((i = 0; i < 5; i++)); do
  times+=("$(curl -s -o /dev/null -m 10 -w '%{http_code} %{time_total}' -X POST -H 'Content-Type: application/json' \
    --data-binary @"$work/data.one.json" "$url")")
  sleep 0.2
done
echo
echo "with $(cat "$work/idle.ready") idle connections open (RSS $(rss_mb) MB): a new request (status, seconds): $(printf '%s; ' "${times[@]}")"
kill "$holder" 2>/dev/null || true
wait "$holder" 2>/dev/null || true
holder=""

# 4. The stall check.
: >"$work/stall.16"
: >"$work/stall.128"
for ((i = 0; i < 10; i++)); do
  wrk_run "$work/post.lua" 16 2 >>"$work/stall.16"
  wrk_run "$work/post.lua" 128 3 >>"$work/stall.128"
done
echo "stall check, 10 × (2 s at 16 connections, 3 s at 128): fewest requests/s $(sort -n "$work/stall.16" | head -1 | cut -d' ' -f1) at 16, $(sort -n "$work/stall.128" | head -1 | cut -d' ' -f1) at 128 (most: $(sort -n "$work/stall.16" | tail -1 | cut -d' ' -f1), $(sort -n "$work/stall.128" | tail -1 | cut -d' ' -f1)); errors $(awk '{ s += $3 } END { print s }' "$work/stall.16" "$work/stall.128")"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
