#!/usr/bin/env bash
# A one-node Slurm cluster for the sweep tests (test/sweep/slurm.test.ts), as root on Debian.
#
#   scripts/ci-slurm.sh start   install slurmctld, slurmd, slurm-client and munge if missing,
#                               write a one-node slurm.conf if there is none, and start munged,
#                               slurmctld and slurmd unless they already run
#   scripts/ci-slurm.sh stop    stop only the daemons `start` started (their pids are kept in
#                               $VAE_SLURM_STATE, default /tmp/vae-ci-slurm.pids)
#
# A cluster that already answers (sinfo lists an idle or mixed node) is used as it is: nothing is
# installed, written or started. The slurm.conf written here is the one docs/cluster.md shows.
set -uo pipefail

STATE="${VAE_SLURM_STATE:-/tmp/vae-ci-slurm.pids}"
CONF=/etc/slurm/slurm.conf

log() { echo "ci-slurm: $*" >&2; }

answering() {
  command -v sinfo >/dev/null 2>&1 && timeout 10 sinfo -h -o '%T' 2>/dev/null | grep -Eq '^(idle|mixed|allocated|completing)'
}

install_packages() {
  if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null && command -v munged >/dev/null; then return 0; fi
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    log "slurm is not installed and this is not a Debian root shell; the slurm tests will skip"
    return 1
  fi
  log "installing slurmctld slurmd slurm-client munge"
  apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq slurmctld slurmd slurm-client munge >/dev/null
}

write_conf() {
  local host cpus mem
  host="$(hostname -s)"
  cpus="$(nproc)"
  # RealMemory in MB, a little under what the machine has so slurmd accepts it.
  mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 9 / 10 ))
  mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
  if [ -f "$CONF" ] && ! grep -q '^# vaelang CI' "$CONF"; then
    log "keeping the existing $CONF"
    return 0
  fi
  cat >"$CONF" <<EOF
# vaelang CI: a one-node cluster (scripts/ci-slurm.sh)
ClusterName=vaelang
SlurmctldHost=${host}
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MaxArraySize=1001
MinJobAge=600
KillWait=10
NodeName=${host} CPUs=${cpus} RealMemory=${mem} State=UNKNOWN
PartitionName=main Nodes=${host} Default=YES MaxTime=INFINITE State=UP
EOF
  log "wrote $CONF (node ${host}, ${cpus} CPUs, ${mem} MB)"
}

start_daemon() {
  # start_daemon NAME CMD...: runs CMD unless a process called NAME runs; records its pid.
  local name=$1
  shift
  if pgrep -x "$name" >/dev/null; then return 0; fi
  "$@" || { log "$name failed to start"; return 1; }
  sleep 1
  local pid
  pid="$(pgrep -x -n "$name")" || { log "$name exited; see /var/log/slurm/"; return 1; }
  echo "$name $pid" >>"$STATE"
  log "started $name (pid $pid)"
}

start() {
  if answering; then
    log "a slurm cluster already answers; using it"
    return 0
  fi
  install_packages || return 1
  mkdir -p /etc/munge /run/munge /var/lib/munge /var/log/munge
  [ -f /etc/munge/munge.key ] || dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
  chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge && chmod 400 /etc/munge/munge.key
  write_conf
  start_daemon munged runuser -u munge -- /usr/sbin/munged || return 1
  start_daemon slurmctld /usr/sbin/slurmctld || return 1
  start_daemon slurmd /usr/sbin/slurmd || return 1
  for _ in $(seq 1 30); do
    if answering; then
      log "cluster up: $(sinfo -h -o '%P %a %D %T' | tr '\n' ' ')"
      return 0
    fi
    # A node that was down when slurmctld started comes back with this.
    scontrol update nodename="$(hostname -s)" state=resume >/dev/null 2>&1 || true
    sleep 1
  done
  log "slurm did not come up; see /var/log/slurm/"
  return 1
}

stop() {
  [ -f "$STATE" ] || return 0
  # Reverse order: slurmd, slurmctld, munged.
  tac "$STATE" | while read -r name pid; do
    if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]; then
      kill "$pid" && log "stopped $name (pid $pid)"
    fi
  done
  rm -f "$STATE"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
