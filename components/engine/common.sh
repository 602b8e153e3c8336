# shellcheck shell=bash
# Shared by every DockerHost step. Each step runs as root (directly or through `sudo -n`) with bash.
set -euo pipefail
umask 022
# Non-interactive apt that never asks, and needrestart (Ubuntu 22.04+) that lists instead of restarting services.
export DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=l NEEDRESTART_SUSPEND=1
export LC_ALL=C

# The paths the steps work on (DH_DIR, DH_DROPIN, DH_DAEMON_JSON_PATH) are parameters of every step, spelled
# once in components/engine/paths.ts: daemon.json, rendered there, names the certificates in DH_DIR.

log() { printf 'docker-host: %s\n' "$*"; }
fail() {
  printf 'docker-host: error: %s\n' "$*" >&2
  exit 1
}

# apt-get that waits for the dpkg lock held by cloud-init or unattended-upgrades instead of failing at once.
apt_get() {
  apt-get -y -q -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 "$@"
}

# `apt-get update` takes the lists lock, which DPkg::Lock::Timeout does not cover: retry while another apt holds
# it (up to 10 minutes); fail after three attempts on any other error, e.g. an unreachable mirror.
apt_update() {
  local attempt out other=0
  for attempt in $(seq 1 60); do
    phase "apt-get update"
    if out=$(apt_get update 2>&1); then return 0; fi
    printf '%s\n' "$out" | tail -n 5
    if printf '%s' "$out" | grep -q 'Could not get lock'; then
      phase "waiting for the apt lists lock$(lock_holder "$out") before apt-get update"
    else
      other=$((other + 1))
      [ "$other" -lt 3 ] || fail "apt-get update failed: the package mirror is unreachable or broken (see above)"
    fi
    log "apt-get update attempt $attempt failed; retrying in 10 s"
    sleep 10
  done
  fail "apt-get update kept failing for 10 minutes"
}

# ", held by process PID (NAME)" from apt's "Could not get lock ..." message, or nothing.
lock_holder() {
  printf '%s\n' "$1" | sed -nE 's/.*held by process ([0-9]+) \(([^)]*)\).*/, held by process \1 (\2)/p' | head -n 1
}

# Copies apt's output through and keeps the phase saying whether apt waits for another process's lock
# (DPkg::Lock::Timeout: unattended-upgrades, cloud-init's package stage) or runs: PHASE is what it runs.
apt_watch() {
  local line waiting=no
  phase "$1"
  while IFS= read -r line; do
    printf '%s\n' "$line"
    case "$line" in
      *"Could not get lock"*)
        if [ "$waiting" = no ]; then phase "waiting for the dpkg lock$(lock_holder "$line") during $1"; fi
        waiting=yes
        ;;
      *)
        if [ "$waiting" = yes ]; then phase "$1"; fi
        waiting=no
        ;;
    esac
  done
}

# `apt-get install ARGS...`, its output shown as it comes; when it fails, one error line saying why. apt downloads
# every package before dpkg changes anything, so a download failure leaves the host as it was.
apt_install() {
  local output status=0 unreachable=no what="apt-get install" arg
  for arg in "$@"; do
    case "$arg" in -*) ;; *) what="$what $arg" ;; esac
  done
  output=$(mktemp)
  apt_get install "$@" 2>&1 | apt_watch "$what" | tee "$output" || status=$?
  if [ "$status" -ne 0 ] &&
    grep -qE 'Failed to fetch|Unable to fetch|Could not connect|Temporary failure resolving|unreachable|timed out' "$output"; then
    unreachable=yes
  fi
  rm -f "$output"
  [ "$status" -ne 0 ] || return 0
  [ "$unreachable" = no ] || fail "apt-get install could not download the packages: the package mirror is unreachable (see apt's messages above); nothing was changed on the host, and the next run installs once the mirror answers"
  fail "apt-get install failed with status $status (see apt's messages above)"
}

# A dpkg run cut short (lost connection, power, a killed step) blocks every later apt-get install until someone
# runs `dpkg --configure -a`; do it here, so the next run converges without a manual step.
finish_interrupted_dpkg() {
  if [ -n "$(dpkg --audit 2>/dev/null)" ]; then
    log "finishing an interrupted dpkg run first (dpkg --configure -a)"
    phase "finishing an interrupted dpkg run (dpkg --configure -a)"
    dpkg --configure -a
  fi
}

# The engine version dockerd reports without a running daemon, e.g. "27.5.1" or "20.10.24+dfsg1"; empty if none.
installed_engine_version() {
  local dockerd
  dockerd=$(command -v dockerd || true)
  [ -n "$dockerd" ] || return 0
  "$dockerd" --version 2>/dev/null | sed -nE 's/^Docker version ([^,]+),.*/\1/p'
}

# True when an installed version satisfies a pin: "20.10.24+dfsg1" and "20.10.24-1" satisfy "20.10.24".
version_matches() {
  case "$1" in
    "$2" | "$2"[+~-]*) return 0 ;;
    *) return 1 ;;
  esac
}

# Journal lines for an error message, with anything that looks like PEM material removed.
docker_journal() {
  journalctl -u docker.service -n "${1:-25}" --no-pager -o cat 2>/dev/null |
    sed -e '/-----BEGIN/,/-----END/d' || true
}
