# shellcheck shell=bash
# Step 3, configure: certificates, daemon.json and the systemd drop-in, switched atomically. The new
# configuration is validated first where dockerd can (23.0+); after the restart the engine must answer a
# mutual-TLS GET /version. On any failure the previous files come back, dockerd restarts on them, and the step
# fails with the journal's last lines. Secrets (the server key, the client key for the self-check) arrive on
# stdin, one base64 line each, and never appear in argv, the environment or the logs.
: "${DH_DAEMON_JSON:?}" "${DH_DROPIN_TEXT:?}" "${DH_CA_CERT:?}" "${DH_SERVER_CERT:?}" "${DH_CLIENT_CERT:?}"
: "${DH_ENGINE_PORT:?}" "${DH_STORAGE_DRIVER?}"
: "${DH_DIR:?}" "${DH_DROPIN:?}" "${DH_DAEMON_JSON_PATH:?}"

read -r server_key_b64 || fail "the server key did not arrive on stdin"
read -r client_key_b64 || fail "the client key did not arrive on stdin"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 0700 "$work"

command -v dockerd >/dev/null || fail "dockerd is not installed (the install step should have installed it)"
command -v docker >/dev/null || fail "the docker CLI is not installed; it is needed for the TLS self-check"

# Another drop-in that sets ExecStart would override ours (docker-machine's 10-machine.conf is the usual one).
for f in "${DH_DROPIN%/*}"/*.conf; do
  if [ ! -e "$f" ] || [ "$f" = "$DH_DROPIN" ]; then continue; fi
  if grep -q '^[[:space:]]*ExecStart=' "$f"; then
    fail "$f also sets ExecStart for docker.service and would override DockerHost's listener settings; remove it (docker-machine wrote 10-machine.conf) and run pulumi up again"
  fi
done

# An adopted engine keeps its storage driver: switching it hides every existing image and container.
if [ -n "$DH_STORAGE_DRIVER" ] && systemctl is-active --quiet docker.service; then
  in_use=$(docker info --format '{{.Driver}}' 2>/dev/null || true)
  if [ -n "$in_use" ] && [ "$in_use" != "$DH_STORAGE_DRIVER" ] &&
    [ -n "$(docker ps -aq 2>/dev/null)$(docker images -q 2>/dev/null)" ]; then
    fail "engine.storageDriver is $DH_STORAGE_DRIVER but this engine already stores containers and images with $in_use; switching would hide them. Remove engine.storageDriver or set it to $in_use"
  fi
fi

# Remember the daemon.json found at adoption, once, so that cleanup can restore it.
install -d -m 0755 -o root -g root "$DH_DIR"
if [ ! -e "$DH_DIR/daemon.json.orig" ] && [ ! -e "$DH_DIR/daemon.json.absent" ]; then
  if [ -f "$DH_DAEMON_JSON_PATH" ]; then
    cp -p "$DH_DAEMON_JSON_PATH" "$DH_DIR/daemon.json.orig"
  else
    : >"$DH_DIR/daemon.json.absent"
  fi
fi

# The package's own dockerd command minus its listener flags: dockerd refuses a listener given both as a flag
# and in daemon.json, so the drop-in runs this command and daemon.json alone says where to listen.
unit=$(systemctl show -p FragmentPath --value docker.service)
if [ -z "$unit" ] || [ ! -r "$unit" ]; then
  fail "docker.service has no unit file; is Docker Engine installed with systemd units?"
fi
vendor_exec=$(sed -nE 's/^[[:space:]]*ExecStart=(.+)$/\1/p' "$unit" | tail -n 1)
[ -n "$vendor_exec" ] || fail "$unit has no ExecStart line"
dockerd_command=$(printf '%s\n' "$vendor_exec" | sed -E 's/(^|[[:space:]])(-H|--host)([[:space:]]+|=)[^[:space:]]+//g')

# Stage the new files.
printf '%s\n' "$DH_DAEMON_JSON" >"$work/daemon.json"
printf '%s\n' "${DH_DROPIN_TEXT//@DOCKERD_COMMAND@/$dockerd_command}" >"$work/dropin.conf"
printf '%s\n' "$DH_CA_CERT" >"$work/ca.pem"
printf '%s\n' "$DH_SERVER_CERT" >"$work/server.pem"
printf '%s\n' "$DH_CLIENT_CERT" >"$work/client.pem"
(umask 077 && printf '%s' "$server_key_b64" | base64 -d >"$work/server-key.pem")
(umask 077 && printf '%s' "$client_key_b64" | base64 -d >"$work/client-key.pem")

phase "validating the new configuration (dockerd --validate)"
if "$(command -v dockerd)" --help 2>&1 | grep -q -- '--validate'; then
  # daemon.json names the certificate paths; validate against the staged copies.
  sed -e "s#$DH_DIR/#$work/#g" "$work/daemon.json" >"$work/validate.json"
  if ! out=$(dockerd --validate --config-file "$work/validate.json" 2>&1); then
    fail "dockerd rejects the new configuration, nothing was changed: $out"
  fi
fi

# Back up the last configuration that passed the TLS check (the first time: what is there now). Files in place
# may be unverified: a run interrupted after the switch (Ctrl-C, a lost connection) leaves them behind.
managed=("$DH_DAEMON_JSON_PATH" "$DH_DROPIN" "$DH_DIR/ca.pem" "$DH_DIR/server.pem" "$DH_DIR/server-key.pem")
good="$DH_DIR/last-good"
backup="$work/backup"
mkdir -p "$backup"
for f in "${managed[@]}"; do
  source_file=$f
  if [ -d "$good" ]; then source_file="$good/$(basename "$f")"; fi
  if [ -e "$source_file" ]; then cp -p "$source_file" "$backup/$(basename "$f").bak"; fi
done

put() { # put MODE SOURCE TARGET: atomically, owned by root
  install -D -m "$1" -o root -g root "$2" "$3.docker-host-new"
  mv -f "$3.docker-host-new" "$3"
}
# Each file is put back whole (copy, then rename), so even a KILL in the middle leaves no half-written file.
restore() {
  local f
  for f in "${managed[@]}"; do
    if [ -e "$backup/$(basename "$f").bak" ]; then
      cp -p "$backup/$(basename "$f").bak" "$f.docker-host-new"
      mv -f "$f.docker-host-new" "$f"
    else
      rm -f "$f"
    fi
  done
  systemctl daemon-reload
  systemctl restart docker.service || true
}

# Stopped at the step's time bound (TERM from `timeout`, see components/remote/bound.sh) after the switch began:
# restore the previous configuration before going, so the host serves as before; there are 60 s for it before
# KILL. Before the switch nothing on the host has changed: just go (the EXIT trap removes the staged keys).
switched=no
# The phase keeps what the step waited for, with what became of the host.
on_term() {
  local was
  trap - TERM
  if [ "$switched" = yes ]; then
    was=$(current_phase)
    log "stopped at the time bound: restoring the previous configuration"
    phase "$was (stopped there, restoring the previous configuration)"
    restore
    phase "$was (the previous configuration is restored)"
  fi
  exit 143
}
trap on_term TERM

switched=yes
phase "switching to the new configuration"
put 0644 "$work/ca.pem" "$DH_DIR/ca.pem"
put 0644 "$work/server.pem" "$DH_DIR/server.pem"
put 0600 "$work/server-key.pem" "$DH_DIR/server-key.pem"
put 0644 "$work/daemon.json" "$DH_DAEMON_JSON_PATH"
put 0644 "$work/dropin.conf" "$DH_DROPIN"

systemctl daemon-reload
log "restarting dockerd with the new configuration"
phase "restarting dockerd with the new configuration"
if systemctl restart docker.service && await_tls "$work" "$DH_ENGINE_PORT" 60; then
  # This configuration is verified: it is what the next run rolls back to. A stop from here on keeps it.
  switched=no
  phase "recording the verified configuration"
  rm -rf "$good.new"
  install -d -m 0755 "$good.new"
  cp -p "${managed[@]}" "$good.new/"
  rm -rf "$good"
  mv "$good.new" "$good"
  # shellcheck disable=SC2154 # set by await_tls (common.sh, which precedes this script)
  echo "engine-version: $tls_answer"
  exit 0
fi
journal=$(docker_journal 25)
log "the new configuration failed; restoring the previous one"
phase "restoring the previous configuration after the new one failed"
restore
fail "dockerd did not serve the Engine API over TLS on port $DH_ENGINE_PORT with the new configuration; the previous configuration is restored. Last dockerd log lines:
$journal"
