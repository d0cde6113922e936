#!/usr/bin/env bash
# Cron-friendly retraining of a model that running streams use: when the labelled inputs
# changed, mltrain trains a new model and puts it in place of MODEL (the model file, then
# its sidecar, each renamed into place), never two runs at once, one log line per run.
# Streams started with `mlclassify --reload -m NAME=MODEL` (or `mllink --reload -m MODEL`)
# switch to the new model at their next batch and say so on stderr; without --reload, send
# them SIGHUP (-k PIDFILE does it).
#
#   mlpipe-retrain.sh [-a 'MLTRAIN OPTIONS'] [-l LOG] [-k PIDFILE] -s STATE_DIR -o MODEL LABELLED…
#
#   crontab:  0 * * * *  /usr/local/share/mlpipe/scripts/cron/mlpipe-retrain.sh -a '-t linear --cv 5 --calibrate' \
#                 -s /var/lib/claim -o /m/claim.model /srv/labelled/claims.ndjson
#
# LABELLED: NDJSON files with features and labels (mltrain's input), trained on together.
# STATE_DIR/state remembers their sizes and modification times once a model is in place:
# with none changed, nothing is trained. A failed training leaves MODEL as it was (and is
# tried again next run). STATE_DIR/lock (flock) keeps a second run from starting while one
# runs. Each run appends one line to LOG (default STATE_DIR/log); failures also go to
# stderr, so cron mails them. mltrain is looked for in $MLPIPE_BIN, on PATH, then in the bin
# directory of the tree this script is in (PREFIX/bin).
# Exit status: 0 trained, unchanged or busy; 1 training failed; 2 usage.
set -u
log= state_dir= model= pidfile= options=
usage() { echo "usage: mlpipe-retrain.sh [-a 'MLTRAIN OPTIONS'] [-l LOG] [-k PIDFILE] -s STATE_DIR -o MODEL LABELLED… (see --help)" >&2; exit 2; }
bad() { echo "mlpipe-retrain: $*" >&2; usage; }
# -h, --help: the comment at the top of this file.
help() { sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0; }
# "-:" makes getopts hand over a long option: --help is option "-" with argument "help".
while getopts ":a:l:k:s:o:h-:" opt; do
  case $opt in
    a) options=$OPTARG ;;
    l) log=$OPTARG ;;
    k) pidfile=$OPTARG ;;
    s) state_dir=$OPTARG ;;
    o) model=$OPTARG ;;
    h) help ;;
    -) [ "$OPTARG" = help ] && help; bad "unknown option --$OPTARG" ;;
    :) bad "option -$OPTARG needs a value" ;;
    *) bad "unknown option -$OPTARG" ;;
  esac
done
shift $((OPTIND - 1))
[ -n "$state_dir" ] && [ -n "$model" ] && [ $# -ge 1 ] || usage
read -r -a train_options <<<"$options"
mkdir -p "$state_dir" || exit 2
log=${log:-$state_dir/log}
state=$state_dir/state
# The programs: MLPIPE_BIN when set, then PATH (cron's is short), then the bin directory next to
# this script: PREFIX/bin for an installed one (PREFIX/share/mlpipe/scripts/cron), build/bin in
# the source tree.
here=$(cd "$(dirname "$0")" && pwd)
PATH=${MLPIPE_BIN:+$MLPIPE_BIN:}$PATH:$here/../../../../bin:$here/../../build/bin
command -v mltrain >/dev/null || { echo "mlpipe-retrain: mltrain not found on PATH, in MLPIPE_BIN or next to this script" >&2; exit 2; }

say() { printf '%s mlpipe-retrain: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >>"$log"; }

exec 9>>"$state_dir/lock"
if ! flock -n 9; then
  say "busy: another run holds $state_dir/lock; nothing done"
  exit 0
fi

start=$(date +%s.%N)
touch "$state"
# "size mtime<TAB>path" of each input, as the state keeps them.
current=$(for f in "$@"; do printf '%s\t%s\n' "$(stat -c '%s %.9Y' -- "$f")" "$f" || exit 1; done) || {
  say "failed: cannot read the inputs"; echo "mlpipe-retrain: cannot read the inputs" >&2; exit 1; }
changed=$(comm -23 <(sort <<<"$current") <(sort "$state") | wc -l)
if [ "$changed" -eq 0 ] && [ -e "$model" ]; then
  say "unchanged: $model is up to date with its $# input(s)"
  exit 0
fi

# mltrain writes MODEL, then MODEL.json, each atomically: a stream reading them waits for the
# sidecar. A failure leaves both as they were.
if ! mltrain "${train_options[@]}" -o "$model" "$@" 2>"$state_dir/train.err" 9>&-; then
  say "failed: mltrain ${train_options[*]} (see $state_dir/train.err)"
  echo "mlpipe-retrain: training $model failed:" >&2
  tail -n 5 "$state_dir/train.err" >&2
  exit 1
fi
printf '%s\n' "$current" >"$state.tmp" && mv -f "$state.tmp" "$state"
if [ -n "$pidfile" ] && [ -s "$pidfile" ]; then
  kill -HUP "$(cat "$pidfile")" 2>/dev/null || echo "mlpipe-retrain: no process $(cat "$pidfile") to signal" >&2
fi
secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
say "retrained $model from $changed changed input(s) of $# (${secs}s)"
exit 0
