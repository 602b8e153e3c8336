# shellcheck shell=bash
# The start check, after the machine was started again (`power: Running` after `Stopped`, and once when a host
# first gets one): the machine answers over SSH (the connection retried until here, as for the wait step), and
# dockerd serves the Engine API with the configuration DockerHost last verified on it, checked as the configure
# step checks it: a mutual-TLS GET /version on the engine port. When the server certificate was reissued while
# the machine was stopped (a new address, the certificates renewed or rotated), the configure step that follows
# installs it and runs that check itself; so does it on a machine DockerHost has not configured yet. The client
# key arrives on stdin, one base64 line, and never appears in argv, the environment or the logs.
: "${DH_ENGINE_PORT:?}" "${DH_CA_CERT:?}" "${DH_CLIENT_CERT:?}" "${DH_SERVER_CERT:?}"
: "${DH_DIR:?}"

read -r client_key_b64 || fail "the client key did not arrive on stdin"

verified="$DH_DIR/last-good/server.pem"
if [ ! -f "$verified" ]; then
  log "no configuration verified by DockerHost on this machine yet: the configure step checks the engine"
  echo "engine-version: "
  exit 0
fi
if [ "$(cat "$verified")" != "$(printf '%s\n' "$DH_SERVER_CERT")" ]; then
  log "the server certificate changed while the machine was stopped: the configure step installs it and checks the engine"
  echo "engine-version: "
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 0700 "$work"
printf '%s\n' "$DH_CA_CERT" >"$work/ca.pem"
printf '%s\n' "$DH_CLIENT_CERT" >"$work/client.pem"
(umask 077 && printf '%s' "$client_key_b64" | base64 -d >"$work/client-key.pem")

# dockerd starts with the machine; until the step's bound it may take its time (a slow boot, a large daemon).
phase "waiting for docker.service to start"
until systemctl is-active --quiet docker.service; do
  if systemctl is-failed --quiet docker.service; then
    fail "docker.service failed to start after the machine started. Last dockerd log lines:
$(docker_journal 25)"
  fi
  sleep 2
done
if ! await_tls "$work" "$DH_ENGINE_PORT" 300; then
  fail "dockerd runs but did not answer over mutual TLS on port $DH_ENGINE_PORT within 5 minutes of the start. Last dockerd log lines:
$(docker_journal 25)"
fi
# shellcheck disable=SC2154 # set by await_tls (common.sh, which precedes this script)
echo "engine-version: $tls_answer"
