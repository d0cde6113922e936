#!/usr/bin/env bash
# mlserve's web page in a real browser (headless Chromium driven by Selenium): a server on a
# fresh model directory with a token file; the page trains a model on a CSV it uploads (first
# without the token: the server's 401 message shows, then with it), follows the job, predicts
# through the form, and marks the claims of a text with the argument-mining pipeline; the
# steps and checks are in serve_page.py. The page's screenshot is checked and, with
# MLPIPE_UPDATE_SCREENSHOT=1, written to docs/mlserve.png.
# Argument 1: the directory of the programs. Exit 77: skipped (no mlserve, Chromium,
# chromedriver or python3-selenium).
set -Eeuo pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND exited $?" >&2' ERR
bin=$(cd "${1:?usage: serve_page.sh BIN_DIR}" && pwd)
root=${MLPIPE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
source "$root/tests/lib/wait.bash"
[ -x "$bin/mlserve" ] || { echo "mlserve not built"; exit 77; }
command -v chromium >/dev/null || { echo "chromium not installed"; exit 77; }
command -v chromedriver >/dev/null || { echo "chromedriver not installed (Debian: chromium-driver)"; exit 77; }
/usr/bin/python3 -c 'import selenium' 2>/dev/null || { echo "python3-selenium not installed"; exit 77; }

t=$(mktemp -d)
pid= log_pid=
stop() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  [ -z "$log_pid" ] || wait "$log_pid" 2>/dev/null || true
  rm -rf "$t"
}
trap stop EXIT

mkdir "$t/models"
# A model of vectors x (trained on records) beside the one the page trains on CSV columns.
cp "$root/tests/data/model/iris-named.model" "$t/models/flowers.model"
cp "$root/tests/data/model/iris-named.model.json" "$t/models/flowers.model.json"
token=page-test-token-0123456789
echo "$token" >"$t/tokens"
# Its stderr through a fifo: the test reads it up to the line that says it listens (30 s at
# most), then a cat copies the rest (one line per request) to the log.
mkfifo "$t/err.fifo"
"$bin/mlserve" --models "$t/models" --port 0 --port-file "$t/port" --token-file "$t/tokens" --threads 2 \
  2>"$t/err.fifo" &
pid=$!
exec {err}<"$t/err.fifo"
: >"$t/server.log"
got=0
read_until 30 "$err" "mlserve: listening on " "$t/server.log" || got=$?
[ $got -eq 0 ] || { echo "FAIL: mlserve $([ $got -eq 1 ] && echo ended || echo "was silent for 30 s") before listening"; cat "$t/server.log"; exit 1; }
cat <&$err >>"$t/server.log" &
log_pid=$!
exec {err}<&-

shot=$t/mlserve.png
status=0
/usr/bin/python3 "$root/tests/e2e/serve_page.py" "http://127.0.0.1:$(cat "$t/port")/" "$root/tests/data/model/iris.csv" \
  "$token" "$shot" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- mlserve's log (last lines)"
  tail -20 "$t/server.log"
  exit "$status"
fi
if [ "${MLPIPE_UPDATE_SCREENSHOT:-}" = 1 ]; then
  cp "$shot" "$root/docs/mlserve.png"
  echo "wrote docs/mlserve.png"
fi
