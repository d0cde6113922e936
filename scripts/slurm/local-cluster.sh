#!/usr/bin/env bash
# A private single-node Slurm on this machine, for tests and trying the sbatch script:
# munged with its own key and socket, slurmctld and slurmd with a generated slurm.conf, all
# under DIR, stopped by process id. Needs root (slurmd starts jobs as their users) and
# Debian's slurm-wlm and munge.
#
#   local-cluster.sh start DIR   # prints the environment to use it: export SLURM_CONF=DIR/slurm.conf
#   local-cluster.sh stop DIR    # stops what start started (by the pids in DIR), keeps the logs
#
# Exit status of start: 0 up, 1 failed (logs in DIR), 77 cannot run here (reason on stderr).
set -u
cmd=${1:-}; dir=${2:-}
case $cmd in
  -h | --help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  start | stop) ;;
  '') echo "usage: local-cluster.sh start|stop DIR (see --help)" >&2; exit 2 ;;
  *) echo "local-cluster: unknown command or option $cmd (see --help)" >&2; exit 2 ;;
esac
[ -n "$dir" ] || { echo "usage: local-cluster.sh start|stop DIR (see --help)" >&2; exit 2; }

stop() {
  # Reverse order of start; each by the pid it wrote.
  for name in slurmd slurmctld munged; do
    [ -s "$dir/$name.pid" ] || continue
    pid=$(cat "$dir/$name.pid")
    if kill "$pid" 2>/dev/null; then
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null
    fi
    rm -f "$dir/$name.pid"
  done
}

if [ "$cmd" = stop ]; then stop; exit 0; fi
[ "$cmd" = start ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

skip() { echo "local-cluster: cannot run Slurm here: $*" >&2; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root (slurmd runs jobs as their users)"
for p in munged mungekey slurmctld slurmd sbatch sinfo; do
  command -v $p >/dev/null || [ -x /usr/sbin/$p ] || skip "no $p (install munge and slurm-wlm)"
done
export PATH=$PATH:/usr/sbin
mkdir -p "$dir" && chmod 700 "$dir" || skip "cannot create $dir"
dir=$(cd "$dir" && pwd)
mkdir -p "$dir/state" "$dir/spool"

host=$(hostname -s)
cpus=$(nproc)
# Free TCP ports for the controller and the node daemon.
read -r ctl_port node_port < <(python3 - <<'PY'
import socket
ports = []
socks = []
for _ in range(2):
    s = socket.socket(); s.bind(("", 0)); ports.append(s.getsockname()[1]); socks.append(s)
print(*ports)
PY
)

mungekey -c -k "$dir/munge.key" -f >/dev/null 2>&1 || dd if=/dev/urandom of="$dir/munge.key" bs=1024 count=1 2>/dev/null
chmod 600 "$dir/munge.key"
# --force: munged runs as root here, with its key, socket and files in DIR.
munged --force --key-file="$dir/munge.key" --socket="$dir/munge.sock" --pid-file="$dir/munged.pid" \
  --log-file="$dir/munged.log" --seed-file="$dir/munged.seed" 2>"$dir/munged.err" ||
  { cat "$dir/munged.err" >&2; skip "munged does not start"; }

cat >"$dir/slurm.conf" <<CONF
ClusterName=mlpipe-local
SlurmctldHost=$host
SlurmctldPort=$ctl_port
SlurmdPort=$node_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge.sock
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
PlugStackConfig=$dir/plugstack.conf
KillWait=5
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
: >"$dir/plugstack.conf"
export SLURM_CONF=$dir/slurm.conf

slurmctld -c -f "$SLURM_CONF" 2>"$dir/slurmctld.err" || { cat "$dir/slurmctld.err" >&2; stop; exit 1; }
slurmd -f "$SLURM_CONF" 2>"$dir/slurmd.err" || { cat "$dir/slurmd.err" >&2; stop; exit 1; }

# Up when the node is idle (at most 30 s).
for _ in $(seq 1 60); do
  state=$(sinfo -h -N -o %T 2>/dev/null | head -n 1)
  case $state in idle*) echo "export SLURM_CONF=$SLURM_CONF"; exit 0 ;; esac
  sleep 0.5
done
echo "local-cluster: the node did not become idle (state: ${state:-none}); logs in $dir" >&2
tail -n 5 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 2>/dev/null
stop
exit 1
