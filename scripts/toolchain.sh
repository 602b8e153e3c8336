#!/usr/bin/env bash
# Builds the offline Pulumi toolchain (CLI, Node.js language host, provider plugins, Node >= 22)
# from package registries only: Go modules from the Go module proxy, Node from npm. Idempotent:
# every artifact is built to a temp name and moved into place, and a step whose output exists is
# skipped, so a warm re-run takes seconds and needs no network.
#
# Usage: scripts/toolchain.sh [--with-yaml] [--with-python] [--no-providers] [--smoke]
#   --with-yaml     also build pulumi-language-yaml      --with-python  also build pulumi-language-python
#   --no-providers  skip the command/tls plugins          --smoke        real up/destroy in a temp project
# Then: source scripts/pulumi-env.sh. Cache: ${DOCKERHOST_CACHE:-/var/cache/docker-host}.
set -euo pipefail

WITH_YAML=0 WITH_PY=0 PROVIDERS=1 SMOKE=0
for a in "$@"; do
  case $a in
    --with-yaml) WITH_YAML=1 ;; --with-python) WITH_PY=1 ;; --no-providers) PROVIDERS=0 ;; --smoke) SMOKE=1 ;;
    -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "toolchain: unknown option $a (see --help)" >&2; exit 2 ;;
  esac
done

# shellcheck source=scripts/pulumi-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/pulumi-env.sh" # paths + versions from package-lock.json
PV=$DOCKERHOST_PULUMI_VERSION CV=$DOCKERHOST_COMMAND_VERSION TV=$DOCKERHOST_TLS_VERSION
NV=$DOCKERHOST_NODE_VERSION T=$DOCKERHOST_CACHE/toolchain BIN=$DOCKERHOST_PULUMI_BIN
# Newest sdk/v3 release the proxy here serves whose module still contains the language hosts
# (3.69+ moved them to their own modules, which the proxy here does not serve at all).
LEGACY_SDK=3.68.0
YAML_VER=${DOCKERHOST_YAML_VERSION:-1.25.0} # newest pulumi-yaml the proxy here serves
CLIPBOARD=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e # upstream's replace
START=$SECONDS NOTES=() MISSING=() CLI_FROM=built GO_READY=0 PULUMI=

log() { printf '%s\n' "$*"; }
die() { printf 'toolchain: ERROR: %s\n' "$*" >&2; exit 1; }
step() { local n=$1 t0=$SECONDS; shift; log "==> $n"; "$@"; log "<== $n: $((SECONDS - t0))s"; }
jfield() { # print a dotted field of the JSON on stdin, fail if absent
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let v;try{v=JSON.parse(s)}catch{process.exit(1)}
    v=process.argv[1].split(".").reduce((o,k)=>o==null?o:o[k],v);if(v==null)process.exit(1);console.log(v)})' "$1"
}
if [ -z "$PV" ] || [ -z "$CV" ] || [ -z "$TV" ]; then die "cannot read versions from $DOCKERHOST_ROOT/package-lock.json (run npm install first)"; fi
mkdir -p "$T/src/probe" "$BIN"

free_gb() { local d=$1; while [ ! -d "$d" ]; do d=$(dirname "$d"); done; df -Pk "$d" | awk 'NR==2{print int($4/1048576)}'; }
need_go() { # prerequisites, checked only when something must be built, so warm runs stay offline
  [ "$GO_READY" = 1 ] && return 0
  command -v go >/dev/null || { [ -x /usr/local/go/bin/go ] && PATH=$PATH:/usr/local/go/bin; }
  command -v go >/dev/null || die "Go >= 1.25 is required to build the Pulumi CLI from the Go module proxy (no go on PATH)"
  local v; v=$(go env GOVERSION); v=${v#go}
  [ "${v%%.*}" -gt 1 ] || [ "$(echo "$v" | cut -d. -f2)" -ge 25 ] ||
    die "Go >= 1.25 is required to build the Pulumi CLI from the Go module proxy (found go$v)"
  local d; for d in "$T" "$(go env GOMODCACHE)" "$(go env GOCACHE)"; do
    [ "$(free_gb "$d")" -ge 8 ] || die "less than 8 GB free for $d ($(free_gb "$d") GB): the Go module and build caches need several GB"
  done
  local out # a version list always asks the proxy (a module download may be answered from the local cache)
  if [ "$(go env GOPROXY)" != off ] && ! out=$(cd "$T/src/probe" && timeout 90 go list -m -versions github.com/pulumi/pulumi/sdk/v3 2>&1); then
    out=${out:-no answer in 90s}
    die "Go module proxy unreachable (GOPROXY=$(go env GOPROXY)): $(printf '%s' "$out" | tail -n 1 | cut -c1-200). With a warm module cache, GOPROXY=off builds offline."
  fi
  export CGO_ENABLED=0 # as upstream release builds; no C toolchain needed
  GO_READY=1
}
modjson() { # go mod download -json, retrying time-outs: a first pseudo-version lookup makes the proxy clone the repo
  local i out
  for i in 1 2 3 4; do
    if out=$(cd "$T/src/probe" && timeout 300 go mod download -json "$1" 2>&1); then printf '%s\n' "$out"; return 0; fi
    case $out in *"timed out"* | *"timeout"* | *"TLS handshake"* | *"connection reset"* | "") ;; *) break ;; esac
    log "    proxy not ready for $1 (try $i/4), retrying in $((i * 20))s" >&2; sleep $((i * 20))
  done
  log "    proxy refused $1: $(printf '%s' "$out" | grep -m1 '"Error"' | cut -c1-300)" >&2; return 1
}
quiet() { # run a chatty command (go get), show its output only when it fails
  local f; f=$(mktemp); if "$@" >"$f" 2>&1; then rm -f "$f"; else cat "$f" >&2; rm -f "$f"; return 1; fi
}
gobuild() { # OUT VERSION_LDFLAGS PKG: atomic (temp name + mv), stripped, stamped, as upstream's goreleaser
  quiet go build -mod=mod -trimpath -tags osusergo,grpcnotrace -ldflags "-s -w $2" -o "$1.tmp.$$" "$3"
  mv -f "$1.tmp.$$" "$1"
}
wrapmod() { # fresh throw-away main module: only the main module's replaces apply (pulumictl#87)
  mkdir -p "$1" && cd "$1"
  printf 'module local/%s\n\ngo 1.25\n' "$(basename "$1")" >go.mod
  go mod edit -replace "github.com/atotto/clipboard=$CLIPBOARD"
}

ensure_node() {
  if [ -x "$DOCKERHOST_NODE_BIN/node" ]; then log "    exists: $DOCKERHOST_NODE_BIN/node"; return; fi
  if [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -ge 22 ]; then
    log "    system node $(node -v) is >= 22"; return
  fi
  command -v npm >/dev/null || die "npm is required to fetch Node >= 22 (npm package node@$NV)"
  local dst=$DOCKERHOST_CACHE/node-v$NV tmp=$DOCKERHOST_CACHE/node-v$NV.tmp.$$
  rm -rf "$tmp"; mkdir -p "$tmp"
  npm install --prefix "$tmp" --no-audit --no-fund --loglevel=error "node@$NV" >/dev/null
  [ "$("$tmp/node_modules/.bin/node" -v)" = "v$NV" ] || die "npm package node@$NV did not yield a working node"
  rm -rf "$dst"; mv "$tmp" "$dst"; PATH=$DOCKERHOST_NODE_BIN:$PATH
}

ensure_cli() {
  local p; p=$(command -v pulumi || true)
  if [ -x "$BIN/pulumi" ]; then PULUMI=$BIN/pulumi; log "    exists: $PULUMI"; return; fi
  if [ -n "$p" ] && [ "$("$p" version 2>/dev/null)" = "v$PV" ]; then # e.g. a laptop install: bundles its hosts
    PULUMI=$p CLI_FROM="PATH ($p)"; log "    using $p (v$PV) from PATH"; return
  fi
  need_go; wrapmod "$T/src/pulumi-wrap"
  quiet go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$PV" "github.com/pulumi/pulumi/sdk/v3@v$PV"
  # pkg/go.mod replaces sdk with ../sdk upstream: make sure we build against the same sdk version
  [ "$(go list -m -f '{{.Version}}' github.com/pulumi/pulumi/sdk/v3)" = "v$PV" ] || die "sdk/v3 is not v$PV in the wrapper"
  gobuild "$BIN/pulumi" "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PV" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  PULUMI=$BIN/pulumi
}

ensure_host() { # LANG (nodejs|python): language host next to the CLI, where the engine looks for bundled hosts
  local l=$1 out=$BIN/pulumi-language-$1 sdk sha
  if [ -x "$out" ]; then log "    exists: $out"; return; fi
  if [ "$CLI_FROM" != built ]; then log "    provided by the pulumi install on PATH"; return; fi
  need_go; sdk=$(modjson "github.com/pulumi/pulumi/sdk/v3@v$PV" | jfield Dir)
  # Exact host: its own module at the release commit (pseudo-version), as the reference recipe says.
  if sha=$(modjson "github.com/pulumi/pulumi/sdk/v3@v$PV" | jfield Origin.Hash) &&
    modjson "github.com/pulumi/pulumi/sdk/$l/cmd/pulumi-language-$l/v3@$sha" >/dev/null; then
    cd "$T/src/pulumi-wrap" && quiet go get "github.com/pulumi/pulumi/sdk/$l/cmd/pulumi-language-$l/v3@$sha"
    gobuild "$out" "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PV" "github.com/pulumi/pulumi/sdk/$l/cmd/pulumi-language-$l/v3"
  else # Fallback: the proxy here serves neither the commit (no Origin) nor that module.
    log "    exact pulumi-language-$l for v$PV not available from the proxy: building the sdk v$LEGACY_SDK host"
    wrapmod "$T/src/langhost-legacy"
    quiet go get "github.com/pulumi/pulumi/sdk/v3@v$LEGACY_SDK"
    gobuild "$out" "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$LEGACY_SDK" "github.com/pulumi/pulumi/sdk/v3/$l/cmd/pulumi-language-$l"
    [ "$l" = python ] && sdk=$(modjson "github.com/pulumi/pulumi/sdk/v3@v$LEGACY_SDK" | jfield Dir) # exec script pairs with its host
    NOTES+=("pulumi-language-$l is the sdk v$LEGACY_SDK host")
  fi
  case $l in # helper scripts ship in the sdk zip without +x
    nodejs) install -m 0755 "$sdk/nodejs/dist/pulumi-resource-pulumi-nodejs" "$BIN/" ;; # dynamic providers
    python) install -m 0755 "$sdk/python/cmd/pulumi-language-python-exec" "$sdk/python/dist/pulumi-resource-pulumi-python" "$BIN/" ;;
  esac
}

ensure_yaml() {
  local out=$BIN/pulumi-language-yaml
  if [ -x "$out" ]; then log "    exists: $out"; return; fi
  need_go; wrapmod "$T/src/yaml-wrap"; quiet go get "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$YAML_VER"
  gobuild "$out" "-X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$YAML_VER" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml
}

build_command() { # VER OUT: provider/go.mod has no replaces -> plain build at the v$VER commit
  local sha; sha=$(modjson "github.com/pulumi/pulumi-command@v$1" | jfield Origin.Hash) || return 1
  modjson "github.com/pulumi/pulumi-command/provider@$sha" >/dev/null || return 1
  cd "$T/src/probe" && GOBIN=$(dirname "$2")/.gobin.$$ go install -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi-command/provider/pkg/version.Version=v$1" \
    "github.com/pulumi/pulumi-command/provider/cmd/pulumi-resource-command@$sha"
  mv -f "$(dirname "$2")/.gobin.$$/pulumi-resource-command" "$2"; rmdir "$(dirname "$2")/.gobin.$$"
}
build_tls() { # VER OUT: upstream module copy + recreated ./shim module + generated schema-embed.json
  local sha dir m=github.com/pulumi/pulumi-tls/provider/v${1%%.*} src=$T/src/tls-v$1
  sha=$(modjson "github.com/pulumi/pulumi-tls@v$1+incompatible" | jfield Origin.Hash) || return 1
  dir=$(modjson "$m@$sha" | jfield Dir) || return 1
  rm -rf "$src"; cp -r "$dir" "$src"; chmod -R u+w "$src"; cd "$src"
  req() { go mod edit -json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>
    console.log(JSON.parse(s).Require.find(r=>r.Path===process.argv[1]).Version))' "$1"; }
  mkdir -p shim
  printf 'module github.com/hashicorp/terraform-provider-tls/shim\n\ngo 1.25\n\nrequire (\n\tgithub.com/hashicorp/terraform-plugin-framework %s\n\tgithub.com/hashicorp/terraform-provider-tls %s\n)\n' \
    "$(req github.com/hashicorp/terraform-plugin-framework)" "$(req github.com/hashicorp/terraform-provider-tls)" >shim/go.mod
  printf 'package shim\n\nimport (\n\t"github.com/hashicorp/terraform-plugin-framework/provider"\n\ttlsProvider "github.com/hashicorp/terraform-provider-tls/internal/provider"\n)\n\nfunc NewProvider() provider.Provider { return tlsProvider.New() }\n' >shim/shim.go
  # schema-embed.json is gitignored upstream (made by go generate): same content, version set
  (cd cmd/pulumi-resource-tls && node -e 'const f=require("fs"),d=JSON.parse(f.readFileSync("schema.json"));
    d.version=process.argv[1];f.writeFileSync("schema-embed.json",JSON.stringify(d))' "$1")
  # version stamp is required: an empty one makes tfbridge's semver parse panic at startup
  gobuild "$2" "-X $m/pkg/version.Version=$1" ./cmd/pulumi-resource-tls
}
# Our own protocol-compatible provider (offline-providers/NAME), for machines whose Go proxy refuses upstream's
# module (as here). Its cache directory is keyed by a hash of its sources, so an edit rebuilds it.
offline_out() { # NAME VER -> path of the cached offline build
  local h; h=$(cd "$DOCKERHOST_ROOT/offline-providers/$1" && find . -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) |
    LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-12)
  echo "$T/$1-v$2-offline-$h/pulumi-resource-$1"
}
build_offline() { # NAME VER OUT
  log "    upstream's $1 provider is not available from this proxy: building docker-host's compatible one (offline-providers/$1)"
  (cd "$DOCKERHOST_ROOT/offline-providers/$1" &&
    go build -mod=mod -trimpath -ldflags "-s -w -X main.version=$2" -o "$3.tmp.$$" .) && mv -f "$3.tmp.$$" "$3"
}
ensure_provider() { # NAME VER: build once into the toolchain dir, then install into $PULUMI_HOME/plugins
  local n=$1 v=$2 out=$T/$1-v$2/pulumi-resource-$1 pd=$PULUMI_HOME/plugins/resource-$1-v$2 offline
  offline=$(offline_out "$n" "$v")
  if [ -x "$out" ]; then log "    exists: $out"
  elif [ -x "$offline" ]; then out=$offline; log "    exists: $out (docker-host's compatible build)"
  else
    need_go; mkdir -p "$(dirname "$out")" "$(dirname "$offline")"
    if ! "build_$n" "$v" "$out" 2>"$T/$n-upstream.err"; then
      tail -n 2 "$T/$n-upstream.err" | sed 's/^/    upstream: /'
      out=$offline
      build_offline "$n" "$v" "$out" || { MISSING+=("$n@$v"); return 0; }
      NOTES+=("$n is docker-host's compatible provider")
    fi
  fi
  if [ -x "$pd/pulumi-resource-$n" ] && [ ! -e "$pd.partial" ] && cmp -s "$out" "$pd/pulumi-resource-$n"; then
    log "    installed: $pd"; return
  fi
  rm -rf "$pd" "$pd.partial" "$pd.lock" # a leftover .partial hides the plugin from the engine
  "$PULUMI" plugin install resource "$n" "$v" --file "$out"
  if [ ! -x "$pd/pulumi-resource-$n" ] || [ -e "$pd.partial" ]; then die "plugin install of $n $v left no usable $pd"; fi
}

smoke() { # a real up/destroy against a throw-away local backend, fully offline
  local d; d=$(mktemp -d); cd "$d"
  printf 'name: smoke\nruntime: nodejs\n' >Pulumi.yaml
  local deps="\"@pulumi/pulumi\":\"$PV\"" js='const pulumi = require("@pulumi/pulumi");
class P { async create(i) { return { id: "d1", outs: { v: i.v + 1 } }; } }
const dyn = new pulumi.dynamic.Resource(new P(), "d", { v: 41 });
exports.dyn = dyn.v;'
  if [ "$PROVIDERS" = 1 ]; then
    deps+=",\"@pulumi/command\":\"$CV\",\"@pulumi/tls\":\"$TV\""
    js+='
const tls = require("@pulumi/tls"), command = require("@pulumi/command");
const k = new tls.PrivateKey("k", { algorithm: "ED25519" });
const c = new command.local.Command("c", { create: "echo hi" });
exports.hi = c.stdout; exports.pub = k.publicKeyOpenssh;'
  fi
  printf '{"name":"smoke","main":"index.js","dependencies":{%s}}\n' "$deps" >package.json
  printf '%s\n' "$js" >index.js
  # --ignore-scripts: @pulumi/command's install script would try to download its plugin
  npm install --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
  export PULUMI_BACKEND_URL=file://$d/state PULUMI_CONFIG_PASSPHRASE=smoke; mkdir -p "$d/state"
  "$PULUMI" stack init dev >/dev/null 2>&1
  "$PULUMI" up --yes --non-interactive --skip-preview >"$d/up.log" 2>&1 || { cat "$d/up.log"; die "smoke: pulumi up failed (in $d)"; }
  [ "$("$PULUMI" stack output dyn)" = 42 ] || die "smoke: wrong dynamic output"
  if [ "$PROVIDERS" = 1 ]; then [ "$("$PULUMI" stack output hi)" = hi ] || die "smoke: wrong command output"; fi
  "$PULUMI" destroy --yes --non-interactive >"$d/destroy.log" 2>&1 || { cat "$d/destroy.log"; die "smoke: destroy failed (in $d)"; }
  "$PULUMI" stack rm --yes dev >/dev/null 2>&1; cd /; rm -rf "$d"; log "    smoke: up + destroy OK"
}

step "node >= 22" ensure_node
step "pulumi CLI v$PV" ensure_cli
step "pulumi-language-nodejs" ensure_host nodejs
[ "$WITH_PY" = 1 ] && step "pulumi-language-python" ensure_host python
[ "$WITH_YAML" = 1 ] && step "pulumi-language-yaml v$YAML_VER" ensure_yaml
if [ "$PROVIDERS" = 1 ]; then
  step "plugin command v$CV" ensure_provider command "$CV"
  step "plugin tls v$TV" ensure_provider tls "$TV"
fi
if [ "${#MISSING[@]}" -gt 0 ]; then
  die "$(printf '%s ' "${MISSING[@]}")could not be built (see above): neither upstream's module nor offline-providers/NAME built. Drop a binary at $T/NAME-vVER/pulumi-resource-NAME and re-run, or pass --no-providers."
fi
[ "$SMOKE" = 1 ] && step "smoke test" smoke
notes=""; for x in "${NOTES[@]}"; do notes+="; $x"; done
log "toolchain: OK in $((SECONDS - START))s: pulumi v$PV ($CLI_FROM), node $(node -v), providers $([ "$PROVIDERS" = 1 ] && echo "command $CV, tls $TV" || echo skipped)$notes; now: source scripts/pulumi-env.sh"
