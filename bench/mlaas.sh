#!/usr/bin/env bash
# mltrain --compare on tabular files as users have them (missing cells, text columns,
# imbalanced, multi-class and regression targets: R's mlbench, datasets and survival
# packages, scikit-learn's diabetes, exported to CSV as they come), against scikit-learn's
# best of four standard models behind an imputing, one-hot encoding, scaling pipeline, the
# same five folds on both sides. One table: file, rows, metric, mlpipe, scikit-learn,
# difference; which files chose mltrain's defaults (dev) and which are held out. See
# bench/mlaas.py. The data come from Debian packages (scripts/install-deps.sh bench installs
# them when missing); files go to bench/out/mlaas/.
set -euo pipefail
bin=$(cd "${1:-build/bin}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v Rscript >/dev/null || ! Rscript -e 'library(mlbench); library(survival)' >/dev/null 2>&1 ||
  ! /usr/bin/python3 -c 'import pandas, sklearn' 2>/dev/null; then
  bash "$here/../scripts/install-deps.sh" bench
fi
/usr/bin/python3 "$here/mlaas.py" "$bin" "$here/out/mlaas"
