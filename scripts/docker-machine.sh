#!/usr/bin/env bash
# Builds Docker Machine's maintained fork (github.com/rancher/machine, its cmd/rancher-machine) from the Go module
# proxy, once per version, and prints the binary's path on stdout (progress goes to stderr). A warm re-run takes
# no time and needs no network; a cold machine rebuilds it (about 3 minutes on 2 cores).
#   scripts/docker-machine.sh
# Env: DOCKERHOST_MACHINE_VERSION (v0.15.0-rancher145: `go list -m -versions` of this module is refused with 403
#      by the proxy here, but exact versions are served, and this is the newest one it serves),
#      DOCKERHOST_CACHE (default /var/cache/docker-host): the binary goes to docker-machine/VERSION/docker-machine.
# How: a throw-away main module that requires the release and copies its go.mod's replace directives (a replace
# applies only in the main module, so `go install MODULE@VERSION` refuses a module that has one), then a static
# build stamped the way upstream's package/Dockerfile stamps it.
set -euo pipefail

MOD=github.com/rancher/machine
VER=${DOCKERHOST_MACHINE_VERSION:-v0.15.0-rancher145}
ROOT=${DOCKERHOST_CACHE:-/var/cache/docker-host}/docker-machine
OUT=$ROOT/$VER/docker-machine

log() { printf '[docker-machine.sh] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
[[ $VER =~ ^v[0-9][0-9A-Za-z.+-]*$ ]] || die "DOCKERHOST_MACHINE_VERSION must look like v0.15.0-rancher145 (got '$VER')"

if [ -x "$OUT" ]; then
  printf '%s\n' "$OUT"
  exit 0
fi
mkdir -p "$ROOT"
exec {lock}>"$ROOT/.lock" # two benchmarks started at once build it once
flock "$lock"
if [ -x "$OUT" ]; then
  printf '%s\n' "$OUT"
  exit 0
fi

command -v go >/dev/null || { [ -x /usr/local/go/bin/go ] && PATH=$PATH:/usr/local/go/bin; }
command -v go >/dev/null || die "Go is required to build $MOD@$VER from the Go module proxy (no go on PATH)"
command -v jq >/dev/null || die "jq is required"
export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod"

src=$ROOT/src/$VER
rm -rf "$src"
mkdir -p "$src"
cd "$src"
go mod init local/docker-machine-wrap >/dev/null 2>&1
log "building $MOD@$VER from the Go module proxy (once per version; about 3 minutes)"
info=$(go mod download -json "$MOD@$VER" 2>&1) || die "the Go module proxy does not serve $MOD@$VER: $(jq -r '.Error // empty' <<<"$info" 2>/dev/null || printf '%s' "$info")"
gomod=$(jq -r .GoMod <<<"$info")
commit=$(jq -r '.Origin.Hash // "unknown"' <<<"$info")
# Upstream's replace directives (e.g. an old urfave/cli for its RPC driver plugins), as the wrapper's own.
while IFS= read -r r; do
  [ -n "$r" ] || continue
  case ${r#*=} in ./* | ../* | /*) die "$MOD@$VER replaces a module with a local path ($r): cannot build it outside its repository" ;; esac
  go mod edit -replace "$r"
done < <(go mod edit -json "$gomod" | jq -r '.Replace[]? |
  "\(.Old.Path)\(if .Old.Version then "@" + .Old.Version else "" end)=\(.New.Path)\(if .New.Version then "@" + .New.Version else "" end)"')
if ! err=$(go get "$MOD/cmd/rancher-machine@$VER" 2>&1); then
  printf '%s\n' "$err" | tail -n 5 >&2
  die "go get $MOD/cmd/rancher-machine@$VER failed (a dependency the proxy refuses? pin a served version with go mod edit -replace)"
fi
[ "$(go list -m -f '{{.Version}}' "$MOD")" = "$VER" ] || die "the wrapper resolved $MOD to another version than $VER"
mkdir -p "$(dirname "$OUT")"
go build -trimpath -tags netgo \
  -ldflags "-s -w -X $MOD/version.Version=$VER -X $MOD/version.GitCommit=${commit:0:8}" \
  -o "$OUT.tmp.$$" "$MOD/cmd/rancher-machine"
"$OUT.tmp.$$" --version | grep -qF "$VER" || die "the built binary does not report version $VER"
mv -f "$OUT.tmp.$$" "$OUT"
cd /
rm -rf "$src"
log "built $OUT ($("$OUT" --version))"
printf '%s\n' "$OUT"
