#!/usr/bin/env bash
# JSON and UTF-8 conformance of every program (cases and checks: conformance.py).
set -euo pipefail
bin=${1:?usage: conformance.sh BIN_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
exec /usr/bin/python3 "$root/tests/e2e/conformance.py" "$bin" "$root"
