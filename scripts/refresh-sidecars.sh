#!/usr/bin/env bash
# Rewrites the sidecars of the shipped models for their model files as they are (size and
# checksum, dimension) without retraining: the model files stay byte for byte the same.
# Run after a change to what a sidecar records; `make models` writes new sidecars itself.
#   bash scripts/refresh-sidecars.sh [BIN_DIR]        (default: build/bin)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/bin}
for model in "$root"/data/samples/models/*.model "$root"/data/samples/models/*/*.model; do
  [ -f "$model.json" ] || continue
  "$bin/mltrain" --refresh-sidecar "$model"
  echo "refreshed ${model#"$root"/}.json"
done
