#!/usr/bin/env bash
# The README's main command (`npm run demo`): on a fresh machine it sets everything up (toolchain, npm
# dependencies, the sandbox host), runs `pulumi up` on the repository's root program (a DockerHost on the
# sandbox), writes the client bundle, prints the env lines to paste and runs a container over TLS with them.
# A second run reuses everything. `npm run demo:down` (this script with `down`) tears it all down.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)
sandbox=dhdemo
stack=demo
certs="$repo/.docker-host/$stack"

say() { printf '\n\033[1m%s\033[0m\n' "$*"; }
elapsed() { echo "$(($(date +%s) - $1)) s"; }

setup() {
  bash scripts/toolchain.sh
  # shellcheck source=scripts/pulumi-env.sh
  source scripts/pulumi-env.sh
  if [ ! -d node_modules/@pulumi/pulumi ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "npm ci"
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  fi
}

up() {
  local t0 json
  t0=$(date +%s)
  setup
  if bash scripts/sandbox.sh status "$sandbox" >/dev/null 2>&1; then
    say "sandbox host $sandbox is running; reusing it"
    json=$(bash scripts/sandbox.sh status "$sandbox" | sed -n '/^{/,$p')
  else
    say "booting the sandbox host $sandbox"
    json=$(bash scripts/sandbox.sh up "$sandbox")
  fi
  local host key hostkey
  host=$(jq -r .host <<<"$json")
  key=$(jq -r .privateKeyPath <<<"$json")
  hostkey=$(jq -r .hostKey <<<"$json")

  say "pulumi up (stack $stack, backend $PULUMI_BACKEND_URL)"
  pulumi stack select --create "$stack" >/dev/null
  pulumi config set host "$host"
  pulumi config set privateKeyPath "$key"
  pulumi config set hostKey "$hostkey"
  pulumi up --yes --non-interactive --skip-preview

  say "client bundle in $certs"
  install -d -m 0700 "$certs"
  pulumi stack output caCert >"$certs/ca.pem"
  pulumi stack output clientCert >"$certs/cert.pem"
  (umask 077 && pulumi stack output --show-secrets clientKey >"$certs/key.pem")
  local docker_host
  docker_host=$(pulumi stack output dockerHost)

  say "Paste these lines to use the host with the docker CLI:"
  printf 'export DOCKER_TLS_VERIFY="1"\nexport DOCKER_HOST="%s"\nexport DOCKER_CERT_PATH="%s"\n' "$docker_host" "$certs"

  say "docker run over TLS with exactly those settings:"
  export DOCKER_TLS_VERIFY=1 DOCKER_HOST="$docker_host" DOCKER_CERT_PATH="$certs"
  if ! docker image inspect busybox:demo >/dev/null 2>&1; then
    busybox_image | docker import - busybox:demo >/dev/null
  fi
  docker run --rm busybox:demo /bin/echo "Hello from Docker $(docker version --format '{{.Server.Version}}') on $docker_host, over mutual TLS"
  say "done in $(elapsed "$t0"). Afterwards: source scripts/pulumi-env.sh && pulumi stack output; teardown: npm run demo:down"
}

# A tiny image (no registry is reachable here): Debian's static busybox and two applet links.
busybox_image() {
  dpkg -s busybox-static >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && apt-get install -y -q busybox-static >/dev/null; }
  local root
  root=$(mktemp -d)
  mkdir -p "$root/bin"
  cp "$(command -v busybox || echo /bin/busybox)" "$root/bin/busybox"
  ln -s busybox "$root/bin/sh"
  ln -s busybox "$root/bin/echo"
  tar -C "$root" -cf - bin
  rm -rf "$root"
}

down() {
  setup
  if pulumi stack select "$stack" >/dev/null 2>&1; then
    say "pulumi destroy"
    pulumi destroy --yes --non-interactive --skip-preview || true
    pulumi stack rm --yes --force "$stack" >/dev/null
  fi
  say "removing the sandbox host and the client bundle"
  bash scripts/sandbox.sh down "$sandbox" || true
  rm -rf "$certs"
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  *)
    echo "usage: scripts/demo.sh up|down" >&2
    exit 2
    ;;
esac
