#!/usr/bin/env bash
# Every command block of README.md and every EXAMPLES block of the man pages runs and prints what
# it shows (docs_examples.py says how blocks are found and marked); prints how many ran and why
# the others were skipped.
set -euo pipefail
bin=${1:?usage: docs_examples.sh BIN_DIR}
root=${MLPIPE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -x /usr/bin/python3 ] || { echo "SKIP: no /usr/bin/python3"; exit 77; }
exec /usr/bin/python3 "$root/tests/e2e/docs_examples.py" "$bin" "$root"
