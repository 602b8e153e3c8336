# shellcheck shell=bash
# Step 1, wait: the machine answers over SSH (the connection retried until here), cloud-init is done, and the OS
# is one we support. Prints the daemon.json found at adoption so that DockerHost merges its keys over it.
: "${DH_DIR:?}" "${DH_DAEMON_JSON_PATH:?}"

# cloud-init's log lines matching PATTERN, without their timestamps, each once, the last N.
cloud_init_log() {
  { grep -hE "$1" /var/log/cloud-init.log 2>/dev/null || true; } | sed -E 's/^[0-9-]+ [0-9:,]+ - //' |
    awk '!seen[$0]++' | tail -n "$2"
}

# Prints cloud-init's own lines to stderr, each prefixed `cloud-init: `; lines that could hold key material are
# dropped.
cloud_init_say() {
  grep -v -e 'PRIVATE[[:space:]]KEY' -e '^[[:space:]]*$' | sed 's/^/  cloud-init: /' >&2 || true
}

# What went wrong, in cloud-init's words: its status detail, the warnings and errors of its log, and what the last
# stage printed (a failing user script's own messages). Each part is best effort: `status --long` exits 1 here.
cloud_init_report() {
  {
    { cloud-init status --long 2>&1 || true; } | sed -n '/^detail:/,$p' | sed '1d'
    cloud_init_log '\[(WARNING|ERROR|CRITICAL)\]' 12
    # The last stage's output, less cloud-init's own banners and log lines (shown above).
    awk '/^Cloud-init v\. .* running / { n = 0; next } /^Cloud-init v\. .* finished / { next }
      /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9:,]+ - / { next } { l[++n] = $0 }
      END { for (i = (n > 8 ? n - 7 : 1); i <= n; i++) print l[i] }' /var/log/cloud-init-output.log 2>/dev/null ||
      true
  } | cloud_init_say
}

if command -v cloud-init >/dev/null 2>&1; then
  # The phase first: a cloud-init that hangs, hangs its status query too, and the bound must name it.
  phase "waiting for cloud-init to finish (cloud-init status --wait)"
  # Whether cloud-init was still running when this step began (a fresh VM usually is): the log says so.
  ci_status=$(cloud-init status 2>/dev/null | sed -n 's/^status: //p' | head -n 1) || true
  log "waiting for cloud-init to finish (cloud-init status: ${ci_status:-unknown})"
  rc=0
  cloud-init status --wait >/dev/null 2>&1 || rc=$?
  # 0 done, 2 done with recoverable errors (cloud-init >= 23.4); only 1 means it failed.
  if [ "$rc" -eq 1 ]; then
    cloud_init_report
    fail "cloud-init failed on this machine (its lines above say why; 'cloud-init status --long' on the machine shows them too)"
  fi
  # A cloud-config part that cloud-init cannot read (bad YAML, not a mapping) is skipped with a warning only (done
  # or done with recoverable errors): on a machine DockerHost made (its part, docker-host.cfg, is in the merged
  # config), that part is the user's, which then never ran.
  if grep -qx '# docker-host.cfg' /var/lib/cloud/instance/cloud-config.txt 2>/dev/null &&
    grep -q 'Failed at merging in cloud config part' /var/log/cloud-init.log 2>/dev/null; then
    cloud_init_log 'Failed at merging in cloud config part|Failed loading yaml blob' 6 | cloud_init_say
    fail "cloud-init refused a cloud-config part of the user data and skipped it (its lines above say why): fix the user data; a new one replaces the machine"
  fi
  if [ "$rc" -eq 2 ]; then
    log "cloud-init finished with recoverable errors ('cloud-init status --long' lists them)"
  else
    log "cloud-init finished"
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
