# shellcheck shell=bash
# The mutual-TLS readiness check of the configure and start steps (after common.sh, before the step's script):
# the check a create ends with is the one a start ends with.
# tls_version DIR PORT: the version dockerd reports on 127.0.0.1:PORT over mutual TLS, verifying the server with
# DIR/ca.pem and presenting DIR/client.pem and DIR/client-key.pem; empty when it does not answer so.
tls_version() {
  docker --tlsverify --tlscacert "$1/ca.pem" --tlscert "$1/client.pem" --tlskey "$1/client-key.pem" \
    -H "tcp://127.0.0.1:$2" version --format '{{.Server.Version}}' 2>/dev/null
}

# await_tls DIR PORT ATTEMPTS: the readiness check of the configure and start steps. Tries tls_version once a
# second, at most ATTEMPTS times; when dockerd answers, sets tls_answer to the version it reported and succeeds,
# else fails without a message (the caller says what it means).
tls_answer=""
await_tls() {
  phase "waiting for dockerd to answer over mutual TLS on port $2"
  for _ in $(seq 1 "$3"); do
    if tls_answer=$(tls_version "$1" "$2") && [ -n "$tls_answer" ]; then
      log "dockerd answers over mutual TLS on port $2"
      return 0
    fi
    sleep 1
  done
  return 1
}
