#!/usr/bin/env bash
# Builds the Pulumi toolchain (CLI, language hosts, the genuine command and tls provider plugins, Node >= 22)
# on a machine that reaches only package registries. The CLI comes from the Go module proxy, Node from npm. The
# provider plugins come from `pulumi plugin install` as on a user's machine, or, where that cannot reach the
# network, are built from the upstream sources in ../shared/third_party (or $DOCKERHOST_THIRD_PARTY); the
# current language hosts, which the proxy refuses, are built from there too. The last lines say which it used.
# Idempotent: every artifact is built to a temp name and moved into place, and cached by version (and source
# commit), so a warm re-run takes seconds and needs no network.
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
    -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "toolchain: unknown option $a (see --help)" >&2; exit 2 ;;
  esac
done

# shellcheck source=scripts/pulumi-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/pulumi-env.sh" # paths + versions from package-lock.json
PV=$DOCKERHOST_PULUMI_VERSION CV=$DOCKERHOST_COMMAND_VERSION TV=$DOCKERHOST_TLS_VERSION
NV=$DOCKERHOST_NODE_VERSION T=$DOCKERHOST_CACHE/toolchain BIN=$DOCKERHOST_PULUMI_BIN
CLIPBOARD=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e # upstream's replace
START=$SECONDS USED=() CLI_FROM=built GO_READY=0 PULUMI=

log() { printf '%s\n' "$*"; }
die() { printf 'toolchain: ERROR: %s\n' "$*" >&2; exit 1; }
step() { local n=$1 t0=$SECONDS; shift; log "==> $n"; "$@"; log "<== $n: $((SECONDS - t0))s"; }
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

# Upstream sources of what the Go module proxy here refuses (the provider plugins and current language hosts):
# unmodified snapshots, used as build inputs like registry packages (copied to a scratch directory, built there).
TP=${DOCKERHOST_THIRD_PARTY:-$DOCKERHOST_ROOT/../shared/third_party}
tp_dir() { # GLOB: the one third_party folder matching it, or nothing
  local d; for d in "$TP"/$1; do [ -d "$d" ] && { (cd "$d" && pwd); return 0; }; done; return 1
}
tp_commit() { # DIR: the upstream commit its README row names (40 hex), else a hash of its files
  local c; c=$(grep -F "\`$(basename "$1")/\`" "$TP/README.md" 2>/dev/null | grep -oE '\b[0-9a-f]{40}\b' | head -n 1)
  [ -n "$c" ] || c=tree-$(cd "$1" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-40)
  echo "$c"
}
scratch() { # SRC DST: a writable copy of a read-only source folder
  rm -rf "$2"; mkdir -p "$(dirname "$2")"; cp -r "$1" "$2"; chmod -R u+w "$2"
}
install_into_bin() { # FILE...: next to the CLI, where it looks for bundled language hosts (replaced when different)
  local f; for f in "$@"; do cmp -s "$f" "$BIN/$(basename "$f")" || install -m 0755 "$f" "$BIN/"; done
}

# Language host LANG (nodejs|python) of the pulumi/pulumi snapshot in third_party (the proxy refuses these modules).
# Its go.mod replaces pkg/sdk with paths that are not in the snapshot: require the released modules instead.
ensure_host() {
  local l=$1 src ver c out sdk
  if [ "$CLI_FROM" != built ]; then log "    provided by the pulumi install on PATH"; return; fi
  src=$(tp_dir 'pulumi-v3.*') || die "no pulumi-v3.* folder in $TP (set DOCKERHOST_THIRD_PARTY): the language hosts are built from it"
  ver=${src##*/pulumi-v} c=$(tp_commit "$src") sdk=$src/sdk/$l
  out=$T/langhosts/$l-v$ver-${c:0:12}
  if [ ! -x "$out/pulumi-language-$l" ]; then
    need_go; scratch "$sdk/cmd/pulumi-language-$l" "$T/src/langhost-$l-v$ver"; cd "$T/src/langhost-$l-v$ver"
    go mod edit -dropreplace github.com/pulumi/pulumi/pkg/v3 -dropreplace github.com/pulumi/pulumi/sdk/v3 \
      -require "github.com/pulumi/pulumi/pkg/v3@v$ver" -require "github.com/pulumi/pulumi/sdk/v3@v$ver"
    mkdir -p "$out.tmp.$$"
    gobuild "$out.tmp.$$/pulumi-language-$l" "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$ver" .
    case $l in # helper scripts of the same snapshot: dynamic providers; the Python host's executor
      nodejs) install -m 0755 "$sdk/dist/pulumi-resource-pulumi-nodejs" "$out.tmp.$$/" ;;
      python) install -m 0755 "$sdk/cmd/pulumi-language-python-exec" "$sdk/dist/pulumi-resource-pulumi-python" "$out.tmp.$$/" ;;
    esac
    rm -rf "$out"; mv "$out.tmp.$$" "$out"
  else log "    exists: $out"; fi
  install_into_bin "$out"/*
  USED+=("pulumi-language-$l v$ver (third_party, pulumi/pulumi ${c:0:12})")
}

ensure_yaml() {
  local src ver c out
  if [ "$CLI_FROM" != built ]; then log "    provided by the pulumi install on PATH"; return; fi
  src=$(tp_dir 'pulumi-yaml-v*') || die "no pulumi-yaml-v* folder in $TP (set DOCKERHOST_THIRD_PARTY)"
  ver=${src##*/pulumi-yaml-v} c=$(tp_commit "$src") out=$T/langhosts/yaml-v$ver-${c:0:12}/pulumi-language-yaml
  if [ ! -x "$out" ]; then
    need_go; scratch "$src" "$T/src/pulumi-yaml-v$ver"; cd "$T/src/pulumi-yaml-v$ver"; mkdir -p "$(dirname "$out")"
    gobuild "$out" "-X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$ver" ./cmd/pulumi-language-yaml
  else log "    exists: $out"; fi
  install_into_bin "$out"
  USED+=("pulumi-language-yaml v$ver (third_party, pulumi-yaml ${c:0:12})")
}

# The genuine provider plugins. A user's machine gets them with `pulumi plugin install` from the network; where
# that cannot work (no route to get.pulumi.com or GitHub, as here), they are built from the upstream sources in
# third_party, stamped with the version the npm SDK requests (the engine wants an exact match), and cached by
# version and source commit. No other fallback.
src_command() { tp_dir "pulumi-command-v$1"; }
src_tls() { tp_dir 'pulumi-tls-*' && tp_dir 'terraform-provider-tls-*'; }
build_command() { # VER OUT SRC
  scratch "$3/provider" "$T/src/command-v$1"; cd "$T/src/command-v$1"
  gobuild "$2" "-X github.com/pulumi/pulumi-command/provider/pkg/version.Version=v$1" ./cmd/pulumi-resource-command
}
build_tls() { # VER OUT SRC(pulumi-tls) SRC(terraform-provider-tls)
  local tf=$T/src/terraform-provider-tls
  scratch "$4" "$tf"; scratch "$3/provider" "$T/src/tls-v$1"; cd "$T/src/tls-v$1"
  # The tls provider requires a terraform-provider-tls commit the proxy refuses: use the snapshot beside it,
  # in both modules that require it (its shim is a nested module with its own go.mod).
  go mod edit -replace "github.com/hashicorp/terraform-provider-tls=$tf"
  (cd shim && go mod edit -replace "github.com/hashicorp/terraform-provider-tls=$tf")
  # schema-embed.json is generated upstream (VERSION=x go generate) and not committed: the schema, version set
  (cd cmd/pulumi-resource-tls && node -e 'const f=require("fs"),d=JSON.parse(f.readFileSync("schema.json"));
    d.version=process.argv[1];f.writeFileSync("schema-embed.json",JSON.stringify(d))' "$1")
  # the version stamp is required: an empty one makes tfbridge's semver parse panic at start
  gobuild "$2" "-X github.com/pulumi/pulumi-tls/provider/v${1%%.*}/pkg/version.Version=$1" ./cmd/pulumi-resource-tls
}
ensure_provider() { # NAME VER
  local n=$1 v=$2 pd=$PULUMI_HOME/plugins/resource-$1-v$2 srcs=() key="" out="" d c err
  local downloaded=$T/plugins/$n-v$v.downloaded
  if [ -e "$downloaded" ] && [ -x "$pd/pulumi-resource-$n" ] && [ ! -e "$pd.partial" ]; then
    USED+=("$n $v (downloaded by pulumi plugin install)"); log "    installed: $pd (downloaded)"; return
  fi
  if d=$("src_$n" "$v"); then mapfile -t srcs <<<"$d"; fi
  for d in "${srcs[@]}"; do c=$(tp_commit "$d"); key+=${key:+-}${c:0:12}; done
  [ -n "$key" ] && out=$T/plugins/$n-v$v-$key/pulumi-resource-$n
  if [ -z "$out" ] || [ ! -x "$out" ]; then
    # Nothing cached for these sources: first do what a user's machine does.
    rm -rf "$pd" "$pd.partial" "$pd.lock"; mkdir -p "$T/plugins"
    if err=$(timeout 180 "$PULUMI" plugin install resource "$n" "$v" 2>&1) && [ -x "$pd/pulumi-resource-$n" ]; then
      date -u +%FT%TZ >"$downloaded"; USED+=("$n $v (downloaded by pulumi plugin install)"); return
    fi
    log "    pulumi plugin install resource $n $v failed: $(printf '%s' "$err" | grep -v '^\s*$' | tail -n 1 | cut -c1-200)"
    [ -n "$out" ] || die "no upstream source of the $n plugin $v in $TP (set DOCKERHOST_THIRD_PARTY): cannot get the genuine plugin"
    log "    building the genuine $n plugin $v from ${srcs[*]}"
    need_go; mkdir -p "$(dirname "$out")"; "build_$n" "$v" "$out" "${srcs[@]}"
  else log "    exists: $out"; fi
  USED+=("$n $v (built from third_party ${key})")
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
[ "$WITH_YAML" = 1 ] && step "pulumi-language-yaml" ensure_yaml
if [ "$PROVIDERS" = 1 ]; then
  step "plugin command v$CV" ensure_provider command "$CV"
  step "plugin tls v$TV" ensure_provider tls "$TV"
fi
[ "$SMOKE" = 1 ] && step "smoke test" smoke
log "toolchain: OK in $((SECONDS - START))s: pulumi v$PV ($CLI_FROM), node $(node -v)"
for x in "${USED[@]}"; do log "toolchain: using $x"; done
log "toolchain: now: source scripts/pulumi-env.sh"
