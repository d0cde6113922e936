#!/usr/bin/env bash
# mlserve over HTTP, as curl speaks to it:
#  - health, the server's and the models' metadata;
#  - /infer with JSON tensors (FP64 [N, D] flat and nested, FP32, INT32, one input per CSV
#    column, chosen outputs) agrees with mlclassify's scores, classes, per-class values and
#    threshold decisions on the same rows; NDJSON and text/csv bodies are answered with
#    mlclassify's very bytes (-m DIR/NAME.model; --format csv);
#  - the pipeline 'arguments' on a text answers the bytes of scripts/demo.sh's shell pipeline
#    on the same file, as text/plain and as a BYTES tensor;
#  - every bad request gets its 4xx with a JSON error, and the server keeps serving: bad JSON,
#    shape, datatype, unknown model, a body over --max-body, rows over --max-rows, names that
#    would leave DIR ('..', %2e%2e, an encoded '/'), no token (--token-file; --auth all), a
#    wrong method, an unsupported content type;
#  - /metrics counts requests, rows and versions;
#  - SIGHUP serves a model replaced by mltrain -o as the next version; SIGTERM exits 0.
# Every server started here is stopped by its pid. The test reads the server's stderr from a
# fifo and waits for the line that says what it waits for (listening, reloaded, the end of
# its output when it stops), each with a deadline.
# Usage: serve_curl.sh BIN_DIR (exit 77: skipped)
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
bin=$(cd "${1:?usage: serve_curl.sh BIN_DIR}" && pwd)
root=${MLPIPE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
source "$root/tests/lib/wait.bash"
data=$root/tests/data/model
M=$root/data/samples/models
for t in mlserve mltrain mlclassify mlsplit mlfeat mljoin mllink; do
  [ -x "$bin/$t" ] || { echo "no $t in $bin"; exit 77; }
done
command -v curl >/dev/null || { echo "curl not installed"; exit 77; }
command -v jq >/dev/null || { echo "jq not installed"; exit 77; }

tmp=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
failed() { echo "FAIL: $*"; fail=1; }

# start ARGS…: mlserve over $tmp/models with ARGS, in the background; sets pid and url. Its
# stderr is a fifo the test reads on fd $err (into $tmp/server.err) when it waits for a line:
# with -q the server writes a few lines only, so it never waits for the test to read them.
start() {
  rm -f "$tmp/port" "$tmp/err.fifo"
  : >"$tmp/server.err"
  mkfifo "$tmp/err.fifo"
  "$bin/mlserve" --models "$tmp/models" --port 0 --port-file "$tmp/port" -q "$@" 2>"$tmp/err.fifo" &
  pid=$!
  exec {err}<"$tmp/err.fifo"
  if ! read_until 30 "$err" "mlserve: listening on " "$tmp/server.err"; then
    echo "FAIL: mlserve $* did not start:"
    cat "$tmp/server.err"
    exit 1
  fi
  url=http://127.0.0.1:$(cat "$tmp/port")
}
# server_says TEXT WHAT: the server's next lines on stderr include one holding TEXT (10 s at most).
server_says() {
  read_until 10 "$err" "$1" "$tmp/server.err" || { failed "$2: mlserve did not say '$1':"; cat "$tmp/server.err"; }
}
# stop: SIGTERM, then the server must end (10 s at most: its stderr ends) with status 0.
stop() {
  local status=0 got=0
  kill -TERM "$pid"
  read_until 10 "$err" "" "$tmp/server.err" || got=$?
  exec {err}<&-
  [ $got -eq 1 ] || failed "mlserve still writing 10 s after SIGTERM"
  wait_within 10 "$pid" || status=$?
  pid=
  [ $status -eq 0 ] || { failed "mlserve exited $status after SIGTERM:"; cat "$tmp/server.err"; }
}

# http METHOD PATH [CURL ARGS…]: the status in $code, the body in $tmp/body.
http() {
  local method=$1 path=$2
  shift 2
  code=$(curl -sS --path-as-is -o "$tmp/body" -w '%{http_code}' -X "$method" "$@" "$url$path") || code=000
}
# expect STATUS WHAT METHOD PATH [CURL ARGS…]: the request answers STATUS; a 4xx or 5xx has a
# JSON body {"error": "…"}.
expect() {
  local status=$1 what=$2
  shift 2
  http "$@"
  if [ "$code" != "$status" ]; then
    failed "$what: status $code, expected $status: $(head -c 300 "$tmp/body")"
  elif [ "$status" -ge 400 ] && ! jq -e '.error | type == "string" and length > 0' "$tmp/body" >/dev/null 2>&1; then
    failed "$what: the $status has no JSON error body: $(head -c 300 "$tmp/body")"
  fi
}
json() { printf '%s' "$1" >"$tmp/req.json"; echo "$tmp/req.json"; }
# infer_json MODEL BODY: POSTs the JSON body to /infer, expecting 200.
infer_json() { expect 200 "infer $1: $2" POST "/v2/models/$1/infer" -H 'Content-Type: application/json' --data-binary "@$(json "$2")"; }
# output NAME: the output tensor NAME's data in the last answer, as compact JSON.
output() { jq -c --arg n "$1" '[.outputs[] | select(.name == $n) | .data] | if length == 1 then .[0] else "missing" end' "$tmp/body"; }
same() {  # same WHAT GOT EXPECTED
  [ "$2" = "$3" ] || failed "$1: got $(head -c 200 <<<"$2"), expected $(head -c 200 <<<"$3")"
}

# The models: iris (CSV, three classes) and cancer (NDJSON records, binary, calibrated, with
# a threshold: 'passed'); another model file outside DIR that no name must reach.
mkdir "$tmp/models"
"$bin/mltrain" --format csv --label species --ignore id -o "$tmp/models/iris.model" "$data/iris.csv" 2>/dev/null
"$bin/mltrain" --cv 3 --calibrate --threshold best-f1 -o "$tmp/models/cancer.model" "$data/cancer.ndjson" >/dev/null 2>&1
cp "$tmp/models/cancer.model" "$tmp/secret.model" && cp "$tmp/models/cancer.model.json" "$tmp/secret.model.json"

start
# --- health and metadata
expect 200 "live" GET /v2/health/live
same "live" "$(jq -c . "$tmp/body")" '{"live":true}'
expect 200 "ready" GET /v2/health/ready
same "ready" "$(jq -c . "$tmp/body")" '{"ready":true}'
expect 200 "server metadata" GET /v2
same "server metadata" "$(jq -c '[.name, .extensions]' "$tmp/body")" '["mlserve",["model_repository","training"]]'
expect 200 "iris metadata" GET /v2/models/iris
same "iris metadata" "$(jq -c '[.name, .versions, [.inputs[].name], .parameters.classes, .parameters.task]' "$tmp/body")" \
  '["iris",["1"],["sepal length, cm","sepal width, cm","petal length, cm","petal width, cm"],["setosa","versicolor","virginica"],"classification"]'
expect 200 "cancer metadata" GET /v2/models/cancer
same "cancer metadata" "$(jq -c '[.inputs, [.outputs[].name]]' "$tmp/body")" \
  '[[{"name":"x","datatype":"FP64","shape":[-1,30]}],["score","class"]]'
expect 200 "iris ready" GET /v2/models/iris/ready
expect 200 "iris version 1" GET /v2/models/iris/versions/1
expect 404 "iris version 2" GET /v2/models/iris/versions/2
expect 200 "arguments metadata" GET /v2/models/arguments
same "arguments metadata" "$(jq -c '[.platform, [.inputs[].name]]' "$tmp/body")" '["mlpipe-pipeline",["text","doc"]]'
[ $fail -eq 0 ] && echo "ok: health and metadata"

# --- NDJSON and CSV bodies: mlclassify's bytes
expect 200 "cancer NDJSON" POST /v2/models/cancer/infer -H 'Content-Type: application/x-ndjson' \
  --data-binary "@$data/cancer.ndjson"
"$bin/mlclassify" -m "$tmp/models/cancer.model" "$data/cancer.ndjson" >"$tmp/expect"
cmp -s "$tmp/body" "$tmp/expect" || failed "cancer NDJSON: not mlclassify's bytes"
expect 200 "iris NDJSON" POST /v2/models/iris/infer -H 'Content-Type: application/x-ndjson' --data-binary "@$data/iris.ndjson"
"$bin/mlclassify" -m "$tmp/models/iris.model" "$data/iris.ndjson" >"$tmp/expect"
cmp -s "$tmp/body" "$tmp/expect" || failed "iris NDJSON: not mlclassify's bytes"
expect 200 "iris CSV" POST /v2/models/iris/infer -H 'Content-Type: text/csv' --data-binary "@$data/iris.csv"
"$bin/mlclassify" --format csv -m "$tmp/models/iris.model" "$data/iris.csv" >"$tmp/expect"
cmp -s "$tmp/body" "$tmp/expect" || failed "iris CSV: not mlclassify --format csv's bytes"
[ "$(wc -l <"$tmp/body")" -eq 150 ] || failed "iris CSV: $(wc -l <"$tmp/body") lines for 150 rows"
[ $fail -eq 0 ] && echo "ok: NDJSON and CSV bodies are answered with mlclassify's bytes"

# --- JSON tensors on iris: every 15th row of iris.csv, so that all three classes answer.
sed -n '1p' "$data/iris.csv" >"$tmp/rows.csv"
awk 'NR > 1 && NR % 15 == 2' "$data/iris.csv" >>"$tmp/rows.csv"
n=$(($(wc -l <"$tmp/rows.csv") - 1))
"$bin/mlclassify" --format csv --per-class --label-out label -m "$tmp/models/iris.model" "$tmp/rows.csv" >"$tmp/expect"
want_score=$(jq -s -c '[.[].scores.iris]' "$tmp/expect")
want_class=$(jq -s -c '[.[].label.iris]' "$tmp/expect")
want_per_class=$(jq -s -c '[.[].scores_detail.iris | .setosa, .versicolor, .virginica]' "$tmp/expect")
[ "$(jq -c 'unique | length' <<<"$want_class")" = 3 ] || failed "the iris rows do not show all three classes"
rows=$(jq -s -c '[.[].x]' "$tmp/expect")
flat=$(jq -c 'flatten' <<<"$rows")
check_iris() {  # WHAT: the last answer is mlclassify's on the rows
  same "$1: score" "$(output score)" "$want_score"
  same "$1: class" "$(output class)" "$want_class"
  same "$1: per_class" "$(output per_class)" "$want_per_class"
  same "$1: shapes" "$(jq -c '[.model_name, .model_version, [.outputs[].shape]]' "$tmp/body")" "[\"iris\",\"1\",[[$n],[$n],[$n,3]]]"
}
infer_json iris "{\"id\":\"r1\",\"inputs\":[{\"name\":\"x\",\"shape\":[$n,4],\"datatype\":\"FP64\",\"data\":$flat}]}"
check_iris "FP64 [N, 4] flat"
same "id echoed" "$(jq -c .id "$tmp/body")" '"r1"'
same "per_class classes" "$(jq -c '.outputs[] | select(.name == "per_class") | .parameters.classes' "$tmp/body")" \
  '["setosa","versicolor","virginica"]'
infer_json iris "{\"inputs\":[{\"name\":\"x\",\"shape\":[$n,4],\"datatype\":\"FP64\",\"data\":$rows}]}"
check_iris "FP64 [N, 4] nested"
# As curl -d sends it (a form's type), and with a charset: read as the JSON it is.
expect 200 "curl -d" POST /v2/models/iris/infer -d "{\"inputs\":[{\"name\":\"x\",\"shape\":[$n,4],\"datatype\":\"FP64\",\"data\":$flat}]}"
check_iris "curl -d"
expect 200 "a charset" POST /v2/models/iris/infer -H 'Content-Type: application/json; charset=utf-8' \
  --data-binary "{\"inputs\":[{\"name\":\"x\",\"shape\":[$n,4],\"datatype\":\"FP64\",\"data\":$flat}]}"
check_iris "a charset"
infer_json iris "{\"inputs\":[{\"name\":\"x\",\"shape\":[$n,4],\"datatype\":\"FP32\",\"data\":$rows}]}"
check_iris "FP32"
columns=$(jq -c --argjson rows "$rows" \
  '[to_entries[] | . as $c | {name: $c.value, shape: [$rows | length], datatype: "FP64", data: [$rows[][$c.key]]}]' \
  <<<'["sepal length, cm","sepal width, cm","petal length, cm","petal width, cm"]')
infer_json iris "{\"inputs\":$columns}"
check_iris "one input per column"
infer_json iris "{\"inputs\":[{\"name\":\"x\",\"shape\":[$n,4],\"datatype\":\"FP64\",\"data\":$flat}],\"outputs\":[{\"name\":\"class\"}]}"
same "outputs chosen" "$(jq -c '[.outputs[].name]' "$tmp/body")" '["class"]'
# INT32: whole numbers, answered as mlclassify answers the same rows.
printf '%s\n' "$(sed -n 1p "$data/iris.csv")" 'a,5,3,1,0,' 'b,6,3,5,2,' 'c,7,3,6,2,' 'd,6,3,4,1,' >"$tmp/int.csv"
"$bin/mlclassify" --format csv --label-out label -m "$tmp/models/iris.model" "$tmp/int.csv" >"$tmp/expect"
infer_json iris '{"inputs":[{"name":"x","shape":[4,4],"datatype":"INT32","data":[[5,3,1,0],[6,3,5,2],[7,3,6,2],[6,3,4,1]]}]}'
same "INT32: class" "$(output class)" "$(jq -s -c '[.[].label.iris]' "$tmp/expect")"
infer_json iris '{"inputs":[{"name":"x","shape":[4,4],"datatype":"INT64","data":[5,3,1,0,6,3,5,2,7,3,6,2,6,3,4,1]}]}'
same "INT64 flat: class" "$(output class)" "$(jq -s -c '[.[].label.iris]' "$tmp/expect")"

# --- JSON tensors on cancer: scores (probabilities), classes and threshold decisions.
head -n 40 "$data/cancer.ndjson" >"$tmp/cancer40"
"$bin/mlclassify" --label-out label -m "$tmp/models/cancer.model" "$tmp/cancer40" >"$tmp/expect"
dense=$(jq -s -c '[.[].features.val]' "$tmp/cancer40")
infer_json cancer "{\"inputs\":[{\"name\":\"x\",\"shape\":[40,30],\"datatype\":\"FP64\",\"data\":$dense}]}"
same "cancer: score" "$(output score)" "$(jq -s -c '[.[].scores.cancer]' "$tmp/expect")"
same "cancer: class" "$(output class)" "$(jq -s -c '[.[].label.cancer]' "$tmp/expect")"
same "cancer: passed" "$(output passed)" "$(jq -s -c '[.[].passed.cancer]' "$tmp/expect")"
same "cancer: passed datatype" "$(jq -r '.outputs[] | select(.name == "passed") | .datatype' "$tmp/body")" BOOL
[ "$(output passed | jq -c unique)" = '[false,true]' ] || failed "cancer: the rows do not pass and fail both"
[ $fail -eq 0 ] && echo "ok: JSON tensors agree with mlclassify (FP64 flat and nested, FP32, INT32, INT64, columns, passed)"

# --- the pipeline 'arguments': the bytes of scripts/demo.sh's shell pipeline on the same file,
#     named as mlsplit names it when run from its directory.
doc=first-aid.txt
(
  cd "$root/data/samples/opinion"
  "$bin/mlsplit" "$doc" | "$bin/mlfeat" --spec "$M/features.json" |
    "$bin/mlclassify" -m claim="$M/claim.model" -m support="$M/support.model" -m thesis="$M/thesis.model" \
      -m against="$M/against.model" --keep any |
    "$bin/mljoin" --key doc --max-distance 20 --thesis --sentences |
    "$bin/mllink" -m "$M/link.model" --top 3 --top-right 1
) >"$tmp/expect"
grep -q '"link"' "$tmp/expect" || failed "the shell pipeline found no links"
expect 200 "arguments, text/plain" POST "/v2/models/arguments/infer?doc=$doc" -H 'Content-Type: text/plain' \
  --data-binary "@$root/data/samples/opinion/$doc"
cmp -s "$tmp/body" "$tmp/expect" || { failed "arguments: not the shell pipeline's bytes"; diff "$tmp/body" "$tmp/expect" | head -4 || true; }
jq -n -c --rawfile text "$root/data/samples/opinion/$doc" --arg doc "$doc" \
  '{inputs: [{name: "text", shape: [1], datatype: "BYTES", data: [$text]}, {name: "doc", shape: [1], datatype: "BYTES", data: [$doc]}]}' \
  >"$tmp/req.json"
expect 200 "arguments, tensors" POST /v2/models/arguments/infer -H 'Content-Type: application/json' --data-binary "@$tmp/req.json"
jq -r '.outputs[] | select(.name == "records") | .data[]' "$tmp/body" >"$tmp/got"
cmp -s "$tmp/got" "$tmp/expect" || failed "arguments, tensors: the records are not the shell pipeline's"
[ $fail -eq 0 ] && echo "ok: the pipeline 'arguments' answers the shell pipeline's bytes"

# --- bad requests: each its 4xx and a JSON error; the server serves on.
x1='{"name":"x","shape":[1,4],"datatype":"FP64","data":[5.1,3.5,1.4,0.2]}'
expect 400 "malformed JSON" POST /v2/models/iris/infer -H 'Content-Type: application/json' --data-binary '{"inputs":['
expect 400 "not an object" POST /v2/models/iris/infer -H 'Content-Type: application/json' --data-binary '[1]'
expect 400 "shape and data disagree" POST /v2/models/iris/infer -H 'Content-Type: application/json' \
  --data-binary '{"inputs":[{"name":"x","shape":[2,4],"datatype":"FP64","data":[1,2,3,4,5,6,7]}]}'
expect 400 "rows of the wrong width" POST /v2/models/cancer/infer -H 'Content-Type: application/json' --data-binary "{\"inputs\":[$x1]}"
expect 400 "a shape of three axes" POST /v2/models/iris/infer -H 'Content-Type: application/json' \
  --data-binary '{"inputs":[{"name":"x","shape":[1,2,2],"datatype":"FP64","data":[1,2,3,4]}]}'
expect 400 "unknown datatype" POST /v2/models/iris/infer -H 'Content-Type: application/json' \
  --data-binary '{"inputs":[{"name":"x","shape":[1,4],"datatype":"FLOAT","data":[1,2,3,4]}]}'
expect 400 "a fraction as INT32" POST /v2/models/iris/infer -H 'Content-Type: application/json' \
  --data-binary '{"inputs":[{"name":"x","shape":[1,4],"datatype":"INT32","data":[1,2.5,3,4]}]}'
expect 400 "a string as FP64" POST /v2/models/iris/infer -H 'Content-Type: application/json' \
  --data-binary '{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP64","data":["1",2,3,4]}]}'
expect 400 "an unknown output" POST /v2/models/iris/infer -H 'Content-Type: application/json' \
  --data-binary "{\"inputs\":[$x1],\"outputs\":[{\"name\":\"nope\"}]}"
{ head -n 1 "$data/cancer.ndjson"; echo '{oops'; } >"$tmp/bad.ndjson"
expect 400 "a bad NDJSON line" POST /v2/models/cancer/infer -H 'Content-Type: application/x-ndjson' --data-binary "@$tmp/bad.ndjson"
jq -e '.error | startswith("request:2: ")' "$tmp/body" >/dev/null || failed "a bad NDJSON line: not located: $(cat "$tmp/body")"
expect 404 "unknown model" POST /v2/models/nosuch/infer -H 'Content-Type: application/json' --data-binary "{\"inputs\":[$x1]}"
expect 404 "unknown model's metadata" GET /v2/models/nosuch
expect 404 "unknown route" GET /v2/nothing
expect 404 "outside /v2" GET /etc/passwd
for path in /v2/models/.. /v2/models/../secret /v2/models/%2e%2e/infer /v2/models/%2E%2E%2Fsecret \
  /v2/models/..%2fsecret/infer /v2/models/a%2Fb /v2/models/.hidden /v2/models/%2fetc%2fpasswd; do
  http POST "$path" -H 'Content-Type: application/json' --data-binary "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,30],\"datatype\":\"FP64\",\"data\":$(jq -c '.[0]' <<<"$dense")}]}"
  case $code in 400 | 404 | 405) ;; *) failed "$path: status $code, expected 400 or 404: $(head -c 200 "$tmp/body")" ;; esac
  grep -q '"model_name"' "$tmp/body" && failed "$path: answered by a model"
  http GET "$path"
  case $code in 400 | 404) ;; *) failed "GET $path: status $code, expected 400 or 404" ;; esac
  grep -q '"platform"' "$tmp/body" && failed "GET $path: a model's metadata"
done
expect 400 "a job named '..'" GET /v2/jobs/%2e%2e
expect 400 "a job's encoded path" GET /v2/jobs/..%2f..%2fsecret.model.json
expect 400 "a bad escape" GET /v2/models/%zz
expect 405 "PUT infer" PUT /v2/models/iris/infer -H 'Content-Type: application/json' --data-binary "{\"inputs\":[$x1]}"
expect 405 "GET infer" GET /v2/models/iris/infer
expect 405 "POST metadata" POST /v2/models/iris -H 'Content-Type: application/json' --data-binary '{}'
expect 405 "DELETE health" DELETE /v2/health/live
expect 415 "XML" POST /v2/models/iris/infer -H 'Content-Type: application/xml' --data-binary '<x/>'
expect 415 "text/plain to a model" POST /v2/models/iris/infer -H 'Content-Type: text/plain' --data-binary 'hello'
expect 415 "NDJSON to a text pipeline" POST /v2/models/arguments/infer -H 'Content-Type: application/x-ndjson' --data-binary '{}'
expect 415 "train on XML" POST /v2/repository/models/iris2/train?label=species -H 'Content-Type: application/xml' --data-binary '<x/>'
expect 200 "still serving" POST /v2/models/iris/infer -H 'Content-Type: application/json' --data-binary "{\"inputs\":[$x1]}"
same "still serving" "$(output class)" '["setosa"]'
expect 200 "still live" GET /v2/health/live
[ $fail -eq 0 ] && echo "ok: bad requests get their 4xx with a JSON error; no name leaves DIR"

# --- /metrics
expect 200 "metrics" GET /metrics
metric() { awk -v name="$1" '$1 == name { print $2 }' "$tmp/body"; }
[ "$(metric 'mlserve_requests_total{route="infer",code="2xx"}')" -ge 10 ] || failed "metrics: infer 2xx"
[ "$(metric 'mlserve_requests_total{route="infer",code="4xx"}')" -ge 8 ] || failed "metrics: infer 4xx"
[ "$(metric 'mlserve_requests_total{route="pipeline",code="2xx"}')" = 2 ] || failed "metrics: pipeline 2xx"
[ "$(metric 'mlserve_requests_total{route="pipeline",code="4xx"}')" = 1 ] || failed "metrics: pipeline 4xx"
[ "$(metric 'mlserve_request_seconds_bucket{route="pipeline",le="+Inf"}')" = 3 ] || failed "metrics: pipeline histogram"
[ "$(metric 'mlserve_request_seconds_count{route="pipeline"}')" = 3 ] || failed "metrics: pipeline count"
[ "$(metric mlserve_rows_total)" -ge 490 ] || failed "metrics: rows ($(metric mlserve_rows_total))"
[ "$(metric 'mlserve_model_version{model="iris"}')" = 1 ] || failed "metrics: iris's version"
grep -q '^# TYPE mlserve_request_seconds histogram$' "$tmp/body" || failed "metrics: no histogram TYPE line"
[ $fail -eq 0 ] && echo "ok: /metrics"

# --- SIGHUP: a model replaced by mltrain -o is served as the next version.
"$bin/mltrain" --format csv --label species --ignore id -t linear -c 0.01 -o "$tmp/models/iris.model" "$data/iris.csv" 2>/dev/null
kill -HUP "$pid"
server_says "mlserve: reloaded (SIGHUP)" "SIGHUP"
expect 200 "SIGHUP: metadata" GET /v2/models/iris
same "SIGHUP: the replaced model's version" "$(jq -c .versions "$tmp/body")" '["2"]'
expect 200 "SIGHUP: CSV" POST /v2/models/iris/infer -H 'Content-Type: text/csv' --data-binary "@$data/iris.csv"
"$bin/mlclassify" --format csv -m "$tmp/models/iris.model" "$data/iris.csv" >"$tmp/expect"
cmp -s "$tmp/body" "$tmp/expect" || failed "SIGHUP: the answers are not the new model's"
expect 200 "SIGHUP: cancer unchanged" GET /v2/models/cancer
same "SIGHUP: an unchanged model keeps its version" "$(jq -c .versions "$tmp/body")" '["1"]'
[ $fail -eq 0 ] && echo "ok: SIGHUP serves a model replaced by mltrain -o as version 2"
stop
[ $fail -eq 0 ] && echo "ok: SIGTERM stops with status 0"

# --- limits and tokens: --max-body 1K, --max-rows 5, --token-file (writes need it).
token=0123456789abcdef0123456789abcdef
printf '# the test token\n\n%s\n' "$token" >"$tmp/tokens"
auth=(-H "Authorization: Bearer $token")
start --no-default-pipeline --max-body 1K --max-rows 5 --token-file "$tmp/tokens"
expect 413 "a body over --max-body" POST /v2/models/cancer/infer -H 'Content-Type: application/x-ndjson' --data-binary "@$data/cancer.ndjson"
head -n 6 "$data/iris.ndjson" >"$tmp/six"
expect 413 "NDJSON rows over --max-rows" POST /v2/models/iris/infer -H 'Content-Type: application/x-ndjson' --data-binary "@$tmp/six"
head -n 7 "$data/iris.csv" >"$tmp/six.csv"
expect 413 "CSV rows over --max-rows" POST /v2/models/iris/infer -H 'Content-Type: text/csv' --data-binary "@$tmp/six.csv"
expect 413 "tensor rows over --max-rows" POST /v2/models/iris/infer -H 'Content-Type: application/json' \
  --data-binary '{"inputs":[{"name":"x","shape":[6,1],"datatype":"FP64","data":[1,2,3,4,5,6]}]}'
head -n 5 "$data/iris.ndjson" >"$tmp/five"
expect 200 "five rows" POST /v2/models/iris/infer -H 'Content-Type: application/x-ndjson' --data-binary "@$tmp/five"
head -n 6 "$data/iris.csv" >"$tmp/five.csv"
expect 200 "five CSV rows" POST /v2/models/iris/infer -H 'Content-Type: text/csv' --data-binary "@$tmp/five.csv"
printf 'x,y\n1,3\n2,5\n3,7\n4,9\n5,11\n6,13\n' >"$tmp/xy.csv"
expect 401 "train without a token" POST '/v2/repository/models/line/train?label=y&learner=linear-svr' \
  -H 'Content-Type: text/csv' --data-binary "@$tmp/xy.csv"
grep -q '^WWW-Authenticate: Bearer' <(curl -sS -D - -o /dev/null -X DELETE "$url/v2/repository/models/iris" | tr -d '\r') ||
  failed "401: no WWW-Authenticate header"
expect 401 "delete without a token" DELETE /v2/repository/models/iris
expect 401 "load without a token" POST /v2/repository/models/iris/load
expect 401 "unload without a token" POST /v2/repository/models/iris/unload
expect 401 "a wrong token" POST /v2/repository/models/iris/load -H "Authorization: Bearer ${token%?}x"
expect 401 "a token without Bearer" POST /v2/repository/models/iris/load -H "Authorization: $token"
expect 400 "load '..' with a token" POST /v2/repository/models/%2e%2e%2fsecret/load "${auth[@]}"
expect 400 "delete '..' with a token" DELETE /v2/repository/models/.. "${auth[@]}"
[ -f "$tmp/secret.model" ] && [ -f "$tmp/models/cancer.model" ] || failed "a file was removed"
expect 200 "reads need no token" GET /v2/models/iris
expect 200 "the index is read with POST too" POST /v2/repository/index
expect 200 "load with the token" POST /v2/repository/models/iris/load "${auth[@]}"
same "loading the same file keeps its version" "$(jq -c .version "$tmp/body")" '"1"'
expect 200 "unload" POST /v2/repository/models/iris/unload "${auth[@]}"
expect 404 "unloaded" POST /v2/models/iris/infer -H 'Content-Type: application/x-ndjson' --data-binary "@$tmp/five"
http GET /v2/models/iris/ready
same "unloaded: not ready" "$code $(jq -c . "$tmp/body")" '503 {"name":"iris","ready":false}'
expect 200 "load again" POST /v2/repository/models/iris/load "${auth[@]}"
expect 200 "loaded again" POST /v2/models/iris/infer -H 'Content-Type: application/x-ndjson' --data-binary "@$tmp/five"
expect 202 "train with the token" POST '/v2/repository/models/line/train?label=y&learner=linear-svr' \
  -H 'Content-Type: text/csv' --data-binary "@$tmp/xy.csv" "${auth[@]}"
expect 200 "still serving" POST /v2/models/iris/infer -H 'Content-Type: application/x-ndjson' --data-binary "@$tmp/five"
stop
[ $fail -eq 0 ] && echo "ok: --max-body, --max-rows and --token-file"

# --- --auth all: reads need the token too, health stays open; the metrics count exactly.
start --no-default-pipeline --no-training --token-file "$tmp/tokens" --auth all
expect 200 "auth all: live" GET /v2/health/live
expect 200 "auth all: ready" GET /v2/health/ready
expect 401 "auth all: metadata" GET /v2/models/iris
expect 401 "auth all: infer" POST /v2/models/iris/infer -H 'Content-Type: application/x-ndjson' --data-binary "@$tmp/five"
expect 401 "auth all: index" GET /v2/repository/index
expect 401 "auth all: metrics" GET /metrics
expect 200 "auth all: metadata with the token" GET /v2/models/iris "${auth[@]}"
expect 200 "auth all: infer with the token" POST /v2/models/iris/infer -H 'Content-Type: application/x-ndjson' \
  --data-binary "@$tmp/five" "${auth[@]}"
expect 200 "auth all: infer with the token" POST /v2/models/iris/infer -H 'Content-Type: text/csv' \
  --data-binary "@$tmp/five.csv" "${auth[@]}"
expect 403 "no training: train" POST '/v2/repository/models/line/train?label=y' -H 'Content-Type: text/csv' \
  --data-binary "@$tmp/xy.csv" "${auth[@]}"
expect 200 "metrics with the token" GET /metrics "${auth[@]}"
# A request refused for its token is counted before its route is known: as "other".
same "metrics: infer" "$(grep '^mlserve_requests_total{route="infer"' "$tmp/body")" 'mlserve_requests_total{route="infer",code="2xx"} 2'
same "metrics: refused" "$(metric 'mlserve_requests_total{route="other",code="4xx"}')" 4
same "metrics: health" "$(metric 'mlserve_requests_total{route="health",code="2xx"}')" 2
same "metrics: rows" "$(metric mlserve_rows_total)" 10
same "metrics: infer histogram" "$(metric 'mlserve_request_seconds_count{route="infer"}')" 2
stop
[ $fail -eq 0 ] && echo "ok: --auth all"

[ $fail -eq 0 ] && echo "serve_curl: ok"
exit $fail
