#!/usr/bin/env bash
# T_machine: Docker Machine (rancher/machine, built by scripts/docker-machine.sh) turning a fresh sandbox into a TLS
# Docker host with `create --driver generic`, its engine installed by bench/machine-install.sh (the same apt source as
# T_floor and DockerHost), served over HTTP on the sandbox's gateway address (the host's side of its veth). Measured
# from the create command's start to the first `docker --tlsverify version` answer from this machine, with the
# bundle `docker-machine env` points at. Usage: machine.sh SANDBOX_JSON OUTDIR DOCKER_MACHINE (lib.sh, WORK set).
# Prints "total create first_answer" in seconds (also in OUTDIR/times; the start, create's exit and the answer as
# EPOCHREALTIME in OUTDIR/stamps); create's --debug output, stamped on arrival, goes to OUTDIR/create.out. Note: docker-machine checks no host key (StrictHostKeyChecking=no) and its --debug output
# includes the server's private key (it is uploaded with printf over SSH): OUTDIR is under the work directory.
set -euo pipefail
json=$1
out=$2
dm=$3
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
host=$(jq -r .host <<<"$json")
key=$(jq -r .privateKeyPath <<<"$json")
name=$(jq -r .name <<<"$json")
gw=${host%.*}.1 # sandbox.sh: the guest is .2 of its /24, the host's side of the veth .1
mkdir -p "$out/www" "$out/store"
install -m 0644 "$(dirname "${BASH_SOURCE[0]}")/machine-install.sh" "$out/www/install.sh"
export MACHINE_STORAGE_PATH=$out/store
: >"$MACHINE_STORAGE_PATH/no-error-report" # never a crash report to bugsnag (it sends none without a token anyway)

# The install script's server: bound to the gateway address only, on a free port it reports.
srv=
stop_server() { if [ -n "$srv" ]; then kill "$srv" 2>/dev/null || true; wait "$srv" 2>/dev/null || true; srv=; fi; }
trap stop_server EXIT
trap 'exit 130' INT TERM
python3 -u -c 'import functools, http.server, sys
s = http.server.HTTPServer((sys.argv[1], 0), functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[2]))
print(s.server_address[1])
s.serve_forever()' "$gw" "$out/www" >"$out/http.port" 2>"$out/http.log" &
srv=$!
for _ in $(seq 1 100); do
  [ -s "$out/http.port" ] && break
  kill -0 "$srv" 2>/dev/null || { cat "$out/http.log" >&2; note "the install script's server did not start"; exit 1; }
  sleep 0.1
done
url="http://$gw:$(cat "$out/http.port")/install.sh"

t0=$(now)
if ! "$dm" --debug create --driver generic --generic-ip-address "$host" --generic-ssh-key "$key" \
  --generic-ssh-user root --engine-install-url "$url" "$name" 2>&1 |
  while IFS= read -r line; do printf '%s\t%s\n' "$EPOCHREALTIME" "$line"; done >"$out/create.out"; then
  tail -n 30 "$out/create.out" | cut -f2- >&2
  note "docker-machine create failed (see above; whole log in $out/create.out)"
  exit 1
fi
t1=$(now)
env=$("$dm" env --shell bash "$name" 2>"$out/env.log")
certs=$(sed -n 's/^export DOCKER_CERT_PATH="\(.*\)"$/\1/p' <<<"$env")
addr=$(sed -n 's#^export DOCKER_HOST="tcp://\(.*\):\([0-9]*\)"$#\1 \2#p' <<<"$env")
tls_wait "${addr% *}" "$certs" "${addr#* }"
t2=$(now)
stop_server
"$dm" rm -y -f "$name" >"$out/rm.log" 2>&1 || note "docker-machine rm $name failed (see $out/rm.log)"
printf '%s %s %s\n' "$t0" "$t1" "$t2" >"$out/stamps"
echo "$(elapsed "$t0" "$t2") $(elapsed "$t0" "$t1") $(elapsed "$t1" "$t2")" | tee "$out/times"
