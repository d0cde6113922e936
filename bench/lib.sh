# Shared by the benchmark scripts: source it.

# median: the median of the numbers on stdin, one per line.
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# mlmr_take_output PATH DEST: moves what `mlmr -o PATH` wrote to the file DEST. An mlmr that
# writes one file for -o PATH leaves that file; an older one (or -o PATH/) leaves a directory
# of part files, whose concatenation in name order is the output.
mlmr_take_output() {
  if [ -d "$1" ]; then
    cat "$1"/part-* >"$2"
    rm -rf "$1"
  else
    mv "$1" "$2"
  fi
}

# mlmr_rss: the peak RSS in MB of each rank, space-separated, from the --stats lines on stdin.
mlmr_rss() { sed -n 's/.*peak RSS \([0-9.]*\) MB.*/\1/p' | awk '{ printf "%s%.0f", (NR > 1 ? " " : ""), $1 } END { print "" }'; }

# mlmr_option_default BIN OPTION: the default mlmr --help shows for OPTION ("" when it has
# none, "absent" when this mlmr has no such option).
mlmr_option_default() {
  local text
  text=$("$1/mlmr" --help 2>/dev/null | grep -A1 -- "  $2" || true)
  if [ -z "$text" ]; then echo absent; return; fi
  # CLI11 shows a default at the end of the option's line ("=256"); else the text may say it.
  { head -1 <<<"$text" | sed -n 's/.*=\([^] =]*\)$/\1/p'
    sed -n 's/.*(default:* \([^),;]*\).*/\1/p' <<<"$text"; } | head -1
}
