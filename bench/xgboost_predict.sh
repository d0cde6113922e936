#!/bin/sh
# Gradient-boosted trees: prediction rows/s of mlpipe's TreeEnsemble (what mlclassify uses)
# against XGBoost's own CPU predictor, one thread each, same model, same rows: a 10-class
# model on scikit-learn's digits (200 trees: 20 rounds x 10 classes, depth 6), the 1,797
# rows repeated 20 times, zeros left out (missing, as in mlpipe's sparse features). The
# driver also checks that every margin equals XGBoost's. Median of BENCH_RUNS runs.
# usage: bench/xgboost_predict.sh [BUILD_DIR] [ROUNDS] [COPIES]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
rounds=${2:-20}
copies=${3:-20}
digits=/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz
[ -f "$digits" ] || { echo "xgboost_predict: $digits not found (python3-sklearn)"; exit 1; }
cmake --build "$build" --target xgboost_predict >/dev/null
gzip -dc "$digits" | "$build/bin/xgboost_predict" "$rounds" "$copies" "${BENCH_RUNS:-5}"
