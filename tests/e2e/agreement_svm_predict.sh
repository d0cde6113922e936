#!/usr/bin/env bash
# Agreement with libsvm's own tools, both ways:
#  1. models written by svm-train: mlclassify's labels equal svm-predict's (and its
#     regression values and probabilities agree to 1e-6);
#  2. models written by mltrain: svm-predict reads them and agrees with mlclassify (kernel
#     models trained with --scale none: svm-predict reads no sidecar, so no scaling).
# Linear, RBF, poly, sigmoid; binary, multi-class, regression, probabilities; liblinear
# and compact models. Argument 1: the directory of the programs. Exit 77: skipped.
set -euo pipefail
bin=$1
root=${MLPIPE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
data=$root/tests/data/model
command -v svm-train >/dev/null && command -v svm-predict >/dev/null || { echo "libsvm-tools not installed"; exit 77; }
command -v jq >/dev/null || { echo "jq not installed"; exit 77; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0

# mlclassify's svm-predict-style output for a model: labels for classifiers (by the
# sign of the decision for two classes), values for regression, P(first class) with -b.
predict_ours() {  # MODEL NDJSON [--probability]
  local model=$1 input=$2 prob=${3:-}
  local labels
  labels=$(sed -n 's/^label //p' "$model")
  if [ -n "$prob" ]; then
    "$bin/mlclassify" -m m="$model" --probability --per-class --drop-features "$input" |
      jq -r --arg first "${labels%% *}" '.scores_detail.m[$first]'
  elif [ -z "$labels" ]; then
    "$bin/mlclassify" -m m="$model" --drop-features "$input" | jq -r '.scores.m'
  elif [ "$(wc -w <<<"$labels")" = 2 ]; then
    set -- $labels
    "$bin/mlclassify" -m m="$model" --drop-features "$input" | jq -r --arg a "$1" --arg b "$2" 'if .scores.m > 0 then $a else $b end'
  else
    # Class names are the labels without a sidecar; with one, map names back to labels.
    if [ -f "$model.json" ]; then
      "$bin/mlclassify" -m m="$model" --drop-features "$input" |
        jq -r --slurpfile s "$model.json" '($s[0].classes | to_entries | map({(.value): .key}) | add) as $inv | $inv[.scores.m]'
    else
      "$bin/mlclassify" -m m="$model" --drop-features "$input" | jq -r '.scores.m'
    fi
  fi
}

# Compares two columns of numbers: exact for labels, 1e-6 relative for values.
compare() {  # NAME THEIRS OURS
  local name=$1
  if ! paste "$2" "$3" | awk '{ d = $1 - $2; if (d < 0) d = -d; s = ($1 < 0 ? -$1 : $1); if (d > 1e-6 * (s > 1 ? s : 1)) { bad++; if (bad <= 3) print "  row " NR ": svm-predict " $1 ", mlclassify " $2 } } END { exit bad > 0 }'; then
    echo "FAIL: $name"
    fail=1
  else
    echo "ok: $name ($(wc -l <"$2") rows)"
  fi
}

check_svm_train_model() {  # NAME DATA SVM-TRAIN-ARGS...
  local name=$1 set=$2
  shift 2
  svm-train -q "$@" "$data/$set.libsvm" "$t/$name.model"
  if [[ " $* " == *" -b 1 "* ]]; then
    svm-predict -q -b 1 "$data/$set.libsvm" "$t/$name.model" "$t/theirs" >/dev/null
    # First line names the label order; column 2 is P(first label).
    tail -n +2 "$t/theirs" | awk '{print $2}' >"$t/theirs.p"
    predict_ours "$t/$name.model" "$data/$set.ndjson" prob >"$t/ours"
    compare "svm-train $name (probability)" "$t/theirs.p" "$t/ours"
  fi
  svm-predict -q "$data/$set.libsvm" "$t/$name.model" "$t/theirs" >/dev/null
  predict_ours "$t/$name.model" "$data/$set.ndjson" >"$t/ours"
  compare "svm-train $name" "$t/theirs" "$t/ours"
}

check_mltrain_model() {  # NAME DATA MLTRAIN-ARGS...
  local name=$1 set=$2
  shift 2
  "$bin/mltrain" "$@" -o "$t/$name.model" "$data/$set.ndjson"
  svm-predict -q "$data/$set.libsvm" "$t/$name.model" "$t/theirs" >/dev/null || { echo "FAIL: svm-predict cannot read $name"; fail=1; return; }
  predict_ours "$t/$name.model" "$data/$set.ndjson" >"$t/ours"
  compare "mltrain $name" "$t/theirs" "$t/ours"
}

check_svm_train_model linear-binary cancer -t 0
check_svm_train_model rbf-binary cancer -t 2
check_svm_train_model poly-binary cancer -t 1 -d 3 -r 1
check_svm_train_model sigmoid-binary cancer -t 3 -g 0.01
check_svm_train_model rbf-binary-prob cancer -t 2 -b 1
check_svm_train_model linear-multi iris -t 0
check_svm_train_model rbf-multi iris -t 2 -c 10
check_svm_train_model poly-multi iris -t 1 -d 2
check_svm_train_model nu-multi-prob iris -s 1 -b 1
check_svm_train_model eps-svr-rbf diabetes -s 3 -t 2 -c 100
check_svm_train_model nu-svr-linear diabetes -s 4 -t 0
check_svm_train_model eps-svr-poly diabetes -s 3 -t 1 -d 2

check_mltrain_model linear-binary cancer -t linear --solver libsvm
check_mltrain_model linear-compact cancer -t linear --compact
check_mltrain_model liblinear-binary cancer -t linear --solver liblinear
check_mltrain_model rbf-binary cancer -t rbf --scale none
check_mltrain_model poly-binary cancer -t poly -r 1 --scale none
check_mltrain_model rbf-multi iris -t rbf -c 10 --scale none
check_mltrain_model linear-multi-compact iris -t linear --compact
check_mltrain_model liblinear-multi iris -t linear --solver liblinear
check_mltrain_model svr-rbf diabetes -s epsilon-svr -t rbf -c 100 --label y --scale none
# Linear models keep their scaling folded into the weights: svm-predict reads raw features.
check_mltrain_model linear-folded-standard cancer -t linear --scale standard
check_mltrain_model linear-folded-minmax iris -t linear --scale minmax
check_mltrain_model linear-svr-folded diabetes --learner linear-svr --label y --scale standard
check_mltrain_model svr-linear-compact diabetes -s epsilon-svr -t linear --compact --label y

exit $fail
