#!/usr/bin/env bash
# A model as a service, end to end, as a Python client (requests) uses mlserve: train, follow
# the job, predict, retrain, fail, restart, and a new version published under load
# (the cases: serve_mlaas.py).
# Usage: serve_mlaas.sh BIN_DIR (exit 77: skipped)
set -euo pipefail
bin=$(cd "${1:?usage: serve_mlaas.sh BIN_DIR}" && pwd)
root=${MLPIPE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -x "$bin/mlserve" ] || { echo "no mlserve in $bin"; exit 77; }
/usr/bin/python3 -c 'import requests' 2>/dev/null || { echo "python3-requests not installed"; exit 77; }
exec /usr/bin/python3 "$root/tests/e2e/serve_mlaas.py" "$bin"
