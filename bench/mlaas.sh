#!/usr/bin/env bash
# mltrain --compare vs scikit-learn on iris, wine, breast cancer, digits and diabetes
# (scikit-learn's bundled data), the same five folds on both sides. See bench/mlaas.py.
set -euo pipefail
bin=$(cd "${1:-build/bin}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
/usr/bin/python3 "$here/mlaas.py" "$bin" "$here/out/mlaas"
