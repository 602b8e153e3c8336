# shellcheck shell=bash
# Step 1, wait: the machine answers over SSH (the connection retried until here), cloud-init is done, and the OS
# is one we support. Prints the daemon.json found at adoption so that DockerHost merges its keys over it.
: "${DH_DIR:?}" "${DH_DAEMON_JSON_PATH:?}"

if command -v cloud-init >/dev/null 2>&1; then
  log "waiting for cloud-init to finish"
  phase "waiting for cloud-init to finish (cloud-init status --wait)"
  rc=0
  cloud-init status --wait >/dev/null 2>&1 || rc=$?
  # 0 done, 2 done with recoverable errors (cloud-init >= 23.4); only 1 means it crashed.
  if [ "$rc" -eq 1 ]; then
    fail "cloud-init failed on this machine; 'cloud-init status --long' says why"
  fi
fi

phase "checking the operating system"
[ -r /etc/os-release ] || fail "/etc/os-release is missing: supported systems are Ubuntu 22.04+ and Debian 12+"
# shellcheck disable=SC1091
. /etc/os-release
os="${ID:-unknown} ${VERSION_ID:-unknown}"
major="${VERSION_ID%%.*}"
case "${ID:-}" in
  ubuntu) [ "${major:-0}" -ge 22 ] 2>/dev/null || fail "unsupported OS $os: supported systems are Ubuntu 22.04+ and Debian 12+" ;;
  debian) [ "${major:-0}" -ge 12 ] 2>/dev/null || fail "unsupported OS $os: supported systems are Ubuntu 22.04+ and Debian 12+" ;;
  *) fail "unsupported OS $os (${PRETTY_NAME:-}): supported systems are Ubuntu 22.04+ and Debian 12+" ;;
esac
[ -d /run/systemd/system ] || fail "systemd is not running on this machine: DockerHost manages dockerd through systemd"

log "machine ready: $os"
echo "os: $os"
base=""
if [ -f "$DH_DIR/daemon.json.orig" ]; then
  base="$DH_DIR/daemon.json.orig"
elif [ ! -e "$DH_DIR/daemon.json.absent" ] && [ -f "$DH_DAEMON_JSON_PATH" ]; then
  base="$DH_DAEMON_JSON_PATH"
fi
# In wrapped lines: a large daemon.json (many labels) on one line would hang the step (see emit_block).
if [ -n "$base" ]; then
  emit_block daemon-json-base64 <"$base"
else
  echo "daemon-json-base64: "
fi
