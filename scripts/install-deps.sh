#!/usr/bin/env bash
# Installs the Debian packages mlpipe needs to build, test, benchmark and run its demo.
# Does nothing when they are all present, so `make test` can call it every time.
# `install-deps.sh bench` adds what only the benchmarks need: gnuplot for the plots; R with
# its mlbench and survival packages and pandas for the data sets of bench/mlaas.sh.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost-dev libcli11-dev libsvm-dev libsvm-tools liblinear-dev liblinear-tools libxgboost-dev
  libsimdjson-dev libfmt-dev libutf8proc-dev zlib1g-dev libzstd-dev zstd doctest-dev libstemmer-dev liblink-grammar-dev link-grammar-dictionaries-en
  libopenmpi-dev openmpi-bin
  python3 python3-sklearn python3-numpy python3-snowballstemmer python3-nltk
  slurm-wlm munge
  clang libclang-rt-dev libomp-dev lld
  hyperfine time wrk python3-flask gunicorn python3-requests curl jq inotify-tools
  graphviz chromium chromium-driver python3-selenium wordnet-base
)
[ "${1:-}" = bench ] && packages+=(gnuplot-nox r-base-core r-cran-mlbench r-cran-survival python3-pandas)

# One dpkg-query for them all: a package it does not know is missing too.
mapfile -t installed < <(dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>/dev/null |
  awk '$NF == "installed" && $(NF-1) == "ok" { sub(/:.*/, "", $1); print $1 }')
missing=()
for p in "${packages[@]}"; do
  [[ " ${installed[*]} " == *" $p "* ]] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: error: need root to install packages (run as root or install: ${missing[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
