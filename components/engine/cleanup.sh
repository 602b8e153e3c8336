# shellcheck shell=bash
# Runs on delete when existing.cleanupOnDelete is true: removes the drop-in and certificates, restores the
# daemon.json found at adoption (or removes ours), and restarts Docker on its socket. Docker stays installed.
: "${DH_DIR:?}" "${DH_DROPIN:?}" "${DH_DAEMON_JSON_PATH:?}"

phase "removing DockerHost's files"
rm -f "$DH_DROPIN"
rmdir "${DH_DROPIN%/*}" 2>/dev/null || true
if [ -f "$DH_DIR/daemon.json.orig" ]; then
  install -m 0644 -o root -g root "$DH_DIR/daemon.json.orig" "$DH_DAEMON_JSON_PATH"
elif [ -e "$DH_DIR/daemon.json.absent" ]; then
  rm -f "$DH_DAEMON_JSON_PATH"
fi
rm -rf "$DH_DIR"
systemctl daemon-reload
if systemctl list-unit-files docker.service >/dev/null 2>&1; then
  # While DockerHost's daemon.json was in force, dockerd created /var/run/docker.sock itself, replacing the
  # file behind docker.socket; restarting the socket unit recreates it for the package's `-H fd://` again.
  phase "restarting Docker on its socket"
  systemctl stop docker.service
  if systemctl list-unit-files docker.socket >/dev/null 2>&1; then systemctl restart docker.socket; fi
  systemctl start docker.service || fail "dockerd did not start after cleanup. Last log lines:
$(docker_journal 25)"
  for _ in $(seq 1 30); do
    if docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
      log "DockerHost's configuration is removed; Docker runs on its socket"
      exit 0
    fi
    sleep 1
  done
  fail "dockerd does not answer on its socket after cleanup"
fi
