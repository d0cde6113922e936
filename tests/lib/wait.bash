# Waiting in the scripted tests (sourced; not a test itself). A test waits for the event it
# needs (a line a program writes, a process ending, a change under a directory), never for a
# guessed time, so that a slow machine makes it slower, not wrong; and every wait has a
# deadline, so that a feature that broke makes the test fail instead of hang.
#
#   read_within SECONDS FD NAME   a line from FD into NAME. 0: a line; 1: end of input (NAME
#                                 holds any unterminated rest); 2: no line within SECONDS.
#   read_until SECONDS FD TEXT LOG  reads lines from FD, each appended to the file LOG, until
#                                 one holds TEXT: 0; 1 at end of input; 2 when a line took
#                                 longer than SECONDS. "" for TEXT: up to the end of input.
#   wait_within SECONDS PID       waits for the child PID to end and returns its exit status;
#                                 one still running after SECONDS is killed (SIGKILL): 124.
#   watch_dir DIR [EXCLUDE]       from now on, each change under DIR (files made, written,
#                                 renamed into place or removed; DIR is made if absent; paths
#                                 matching the regex EXCLUDE left out) wakes until_within.
#                                 WATCH_EVENTS=LIST: inotify's events instead (access: reads).
#   until_within SECONDS CMD…     runs CMD now and after each change under the watched DIR
#                                 until it succeeds: 0; 1 when SECONDS pass first.
#   unwatch                       stops watching.
# The FIFOs and watches need bash 5.1 (wait -n -p) and inotifywait (Debian inotify-tools).

read_within() {
  local status=0
  IFS= read -r -t "$1" -u "$2" "$3" || status=$?
  [ $status -gt 128 ] && return 2
  return $status
}

read_until() {
  local line got
  while :; do
    got=0
    read_within "$1" "$2" line || got=$?
    [ $got -eq 2 ] && return 2
    [ $got -eq 1 ] && [ -z "$line" ] && return 1
    printf '%s\n' "$line" >>"$4"
    [ $got -eq 1 ] && return 1
    [ -n "$3" ] && [[ $line == *"$3"* ]] && return 0
  done
}

wait_within() {
  local timer done status=0
  sleep "$1" &
  timer=$!
  wait -n -p done "$2" "$timer" || status=$?
  if [ "$done" = "$timer" ]; then
    kill -KILL "$2" 2>/dev/null || true
    wait "$2" 2>/dev/null || true
    return 124
  fi
  # SIGKILL: a child killed before it has become `sleep` would otherwise still be a copy of
  # this shell, and run its traps (the test's EXIT trap, which removes the test's files).
  kill -KILL "$timer" 2>/dev/null || true
  wait "$timer" 2>/dev/null || true
  return $status
}

watch_fd=
watch_pid=
watch_dir() {
  local line
  mkdir -p "$1"
  # Not -q: "Watches established." says that no change from then on goes unseen.
  exec {watch_fd}< <(exec inotifywait -m -r -e "${WATCH_EVENTS:-create,close_write,moved_to,delete,modify}" \
    ${2:+--exclude "$2"} --format '%w%f %e' "$1" 2>&1)
  watch_pid=$!
  while read_within 30 "$watch_fd" line; do
    [ "$line" = "Watches established." ] && return 0
  done
  echo "watch_dir: inotifywait did not start on $1: $line" >&2
  return 1
}

until_within() {
  local deadline line left
  deadline=$(($(date +%s%N) + ${1%.*} * 1000000000))
  shift
  until "$@"; do
    left=$(((deadline - $(date +%s%N)) / 1000000))  # ms
    [ $left -gt 0 ] || return 1
    read_within "$((left / 1000)).$(printf '%03d' $((left % 1000)))" "$watch_fd" line || return 1
  done
}

unwatch() {
  if [ -n "$watch_pid" ]; then
    kill "$watch_pid" 2>/dev/null || true
    exec {watch_fd}<&-
    watch_pid= watch_fd=
  fi
}
