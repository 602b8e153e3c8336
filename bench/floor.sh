#!/usr/bin/env bash
# T_floor: the least work by hand to get a mutual-TLS Docker Engine on a fresh sandbox, over ONE ssh session:
# certificates made here with openssl, then apt-get update + install docker.io (the Distro method's source),
# the files, a drop-in clearing ExecStart, daemon-reload, restart; then `docker --tlsverify version` from this
# machine until it answers. Usage: floor.sh SANDBOX_JSON OUTDIR (sourced helpers: lib.sh, WORK set).
# Prints "total openssl ssh_session first_answer" in seconds; the session's own phases go to OUTDIR/phases.
set -euo pipefail
json=$1
out=$2
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mkdir -p "$out"
host=$(jq -r .host <<<"$json")

t0=$(now)
(
  cd "$out"
  o() { openssl "$@" 2>/dev/null; }
  o ecparam -name prime256v1 -genkey -noout -out ca-key.pem
  o req -new -x509 -key ca-key.pem -days 365 -subj /CN=floor-ca -out ca.pem
  o ecparam -name prime256v1 -genkey -noout -out server-key.pem
  o req -new -key server-key.pem -subj /CN=floor-server -out server.csr
  printf 'subjectAltName=IP:%s,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' "$host" >server.ext
  o x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 365 -extfile server.ext -out server.pem
  o ecparam -name prime256v1 -genkey -noout -out key.pem
  o req -new -key key.pem -subj /CN=floor-client -out client.csr
  printf 'extendedKeyUsage=clientAuth\n' >client.ext
  o x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 365 -extfile client.ext -out cert.pem
  chmod 600 key.pem
)
t1=$(now)

# One session: the script and the three files on stdin.
{
  cat <<'SCRIPT'
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
stamp() { echo "phase $1 $EPOCHREALTIME"; }
stamp start
apt-get -y -q update >/dev/null
stamp apt_update
apt-get -y -q install --no-install-recommends docker.io >/dev/null 2>/tmp/floor-apt.err || { cat /tmp/floor-apt.err >&2; exit 1; }
stamp apt_install
install -d -m 0755 /etc/docker/tls /etc/systemd/system/docker.service.d
SCRIPT
  for f in ca.pem server.pem server-key.pem; do
    printf "cat >/etc/docker/tls/%s <<'PEM'\n%s\nPEM\n" "$f" "$(cat "$out/$f")"
  done
  cat <<'SCRIPT'
chmod 600 /etc/docker/tls/server-key.pem
cat >/etc/docker/daemon.json <<'JSON'
{"hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"], "tls": true, "tlsverify": true,
 "tlscacert": "/etc/docker/tls/ca.pem", "tlscert": "/etc/docker/tls/server.pem", "tlskey": "/etc/docker/tls/server-key.pem"}
JSON
printf '[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd --containerd=/run/containerd/containerd.sock\n' \
  >/etc/systemd/system/docker.service.d/override.conf
systemctl daemon-reload
systemctl restart docker.service
stamp restart
SCRIPT
} | sb_ssh "$json" bash -s >"$out/phases"
t2=$(now)
tls_wait "$host" "$out"
t3=$(now)
echo "$(elapsed "$t0" "$t3") $(elapsed "$t0" "$t1") $(elapsed "$t1" "$t2") $(elapsed "$t2" "$t3")" | tee "$out/times"
