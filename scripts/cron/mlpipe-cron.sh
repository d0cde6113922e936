#!/usr/bin/env bash
# Cron-friendly runs of an mlpipe pipeline over a set of inputs: only new or changed inputs
# are processed, never two runs at once, outputs appear atomically, one log line per run.
#
#   mlpipe-cron.sh [-r RANKS] [-l LOG] -s STATE_DIR -o OUT_DIR 'PIPELINE' INPUT…
#
#   crontab:  */10 * * * *  /usr/local/share/mlpipe/scripts/cron/mlpipe-cron.sh -s /var/lib/links -o /srv/links \
#                 'mlsplit | mlfeat | mlclassify -m claim=/m/claim.model --keep any | mljoin | mllink -m /m/link.model' /srv/essays
#
# INPUT is a file or a directory (its regular files, recursively, in name order). Each input is
# run through the pipeline alone (with mlmr: RANKS > 1 under mpirun) into OUT_DIR/NAME.ndjson
# (NAME: the file's path below the directory given, or its base name), written to a temporary
# file and renamed into place. STATE_DIR/state remembers each input's size and modification
# time once its output is in place: an unchanged input is not run again; a failed one is
# retried next time. STATE_DIR/lock (flock) keeps a second run from starting while one runs:
# that second run logs "busy" and exits 0. Each run appends one line to LOG (default
# STATE_DIR/log); failures also go to stderr, so cron mails them. mlmr is looked for in
# $MLPIPE_BIN, on PATH, then in the bin directory of the tree this script is in (PREFIX/bin).
# Exit status: 0 all inputs done (or busy), 1 some input failed, 2 usage.
set -u
ranks=1 log= state_dir= out_dir=
usage() { echo "usage: mlpipe-cron.sh [-r RANKS] [-l LOG] -s STATE_DIR -o OUT_DIR 'PIPELINE' INPUT… (see --help)" >&2; exit 2; }
bad() { echo "mlpipe-cron: $*" >&2; usage; }
# -h, --help: the comment at the top of this file.
help() { sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0; }
# "-:" makes getopts hand over a long option: --help is option "-" with argument "help".
while getopts ":r:l:s:o:h-:" opt; do
  case $opt in
    r) ranks=$OPTARG ;;
    l) log=$OPTARG ;;
    s) state_dir=$OPTARG ;;
    o) out_dir=$OPTARG ;;
    h) help ;;
    -) [ "$OPTARG" = help ] && help; bad "unknown option --$OPTARG" ;;
    :) bad "option -$OPTARG needs a value" ;;
    *) bad "unknown option -$OPTARG" ;;
  esac
done
shift $((OPTIND - 1))
[ -n "$state_dir" ] && [ -n "$out_dir" ] && [ $# -ge 2 ] || usage
[[ $ranks =~ ^[1-9][0-9]*$ ]] || usage
pipeline=$1
shift
mkdir -p "$state_dir" "$out_dir" || exit 2
log=${log:-$state_dir/log}
state=$state_dir/state
# The programs: MLPIPE_BIN when set, then PATH (cron's is short), then the bin directory next to
# this script: PREFIX/bin for an installed one (PREFIX/share/mlpipe/scripts/cron), build/bin in
# the source tree.
here=$(cd "$(dirname "$0")" && pwd)
PATH=${MLPIPE_BIN:+$MLPIPE_BIN:}$PATH:$here/../../../../bin:$here/../../build/bin
command -v mlmr >/dev/null || { echo "mlpipe-cron: mlmr not found on PATH, in MLPIPE_BIN or next to this script" >&2; exit 2; }

say() {  # the run's one log line
  printf '%s mlpipe-cron: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >>"$log"
}

exec 9>>"$state_dir/lock"
if ! flock -n 9; then
  say "busy: another run holds $state_dir/lock; nothing done"
  exit 0
fi

start=$(date +%s.%N)
touch "$state"
# Input files as "output name<TAB>path", in order.
list=$(
  for arg in "$@"; do
    if [ -d "$arg" ]; then
      (cd "$arg" && find . -type f ! -name '.*' -printf '%P\n' | LC_ALL=C sort) |
        while IFS= read -r rel; do printf '%s\t%s\n' "$rel" "${arg%/}/$rel"; done
    elif [ -f "$arg" ]; then
      printf '%s\t%s\n' "$(basename "$arg")" "$arg"
    else
      echo "mlpipe-cron: $arg: no such file or directory" >&2
    fi
  done
)

mlmr=$(command -v mlmr)
launch=("$mlmr")
if [ "$ranks" -gt 1 ]; then
  launch=(mpirun -n "$ranks" "$mlmr")
  [ "$(id -u)" -eq 0 ] && launch=(mpirun --allow-run-as-root -n "$ranks" "$mlmr")
fi

total=0 done_count=0 failed=0 failures=
while IFS=$'\t' read -r name path; do
  [ -n "$path" ] || continue
  total=$((total + 1))
  key=$(stat -c '%s %.9Y' "$path") || { failed=$((failed + 1)); continue; }
  # The state line of this input: "size mtime<TAB>path".
  if grep -qxF -- "$key"$'\t'"$path" "$state"; then continue; fi
  out=$out_dir/$name.ndjson
  mkdir -p "$(dirname "$out")"
  tmp_out=$(mktemp "$out.tmp.XXXXXX")
  # 9>&-: the lock is this script's; an MPI helper process outliving mlmr must not keep it.
  if "${launch[@]}" "$pipeline" "$path" >"$tmp_out" 2>"$tmp_out.err" 9>&- && mv -f "$tmp_out" "$out"; then
    done_count=$((done_count + 1))
    # Replace this input's line, atomically.
    { P=$path awk -F'\t' '$2 != ENVIRON["P"]' "$state"; printf '%s\t%s\n' "$key" "$path"; } >"$state.tmp" &&
      mv -f "$state.tmp" "$state"
    rm -f "$tmp_out.err"
  else
    failed=$((failed + 1))
    failures+=" $path"
    echo "mlpipe-cron: $path failed:" >&2
    tail -n 5 "$tmp_out.err" >&2
    rm -f "$tmp_out" "$tmp_out.err"
  fi
done <<<"$list"

secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
if [ $failed -gt 0 ]; then
  say "$done_count new or changed of $total inputs processed, $failed failed:$failures (${secs}s)"
  echo "mlpipe-cron: $failed input(s) failed; see above and $log" >&2
  exit 1
fi
say "$done_count new or changed of $total inputs processed (${secs}s)"
exit 0
