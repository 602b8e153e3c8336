# shellcheck shell=bash
# Source me (bash):  source scripts/pulumi-env.sh
# Points the shell at the Pulumi toolchain that scripts/toolchain.sh builds into
# $DOCKERHOST_CACHE (default /var/cache/docker-host). Builds nothing, downloads nothing, and
# works from any cwd. scripts/toolchain.sh sources it too, so the paths live in one place.

DOCKERHOST_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOCKERHOST_CACHE="${DOCKERHOST_CACHE:-/var/cache/docker-host}"
# Node >= 22 from the npm package `node` (used only when the system node is older).
DOCKERHOST_NODE_VERSION="${DOCKERHOST_NODE_VERSION:-22.23.3}"
DOCKERHOST_NODE_BIN="$DOCKERHOST_CACHE/node-v$DOCKERHOST_NODE_VERSION/node_modules/.bin"

# Versions come from package-lock.json, so the CLI and plugins always match the npm SDKs
# (the engine wants an exact plugin version match). Any node (even 20) or python3 can parse it.
_dh_lockver() {
  local lock="$DOCKERHOST_ROOT/package-lock.json"
  if command -v node >/dev/null 2>&1; then
    node -e 'const p=require(process.argv[1]).packages["node_modules/"+process.argv[2]];
      if(!p)process.exit(1);console.log(p.version)' "$lock" "$1"
  else
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["packages"]["node_modules/"+sys.argv[2]]["version"])' "$lock" "$1"
  fi
}
DOCKERHOST_PULUMI_VERSION="$(_dh_lockver @pulumi/pulumi)" || echo "pulumi-env: cannot read @pulumi/pulumi from package-lock.json" >&2
DOCKERHOST_COMMAND_VERSION="$(_dh_lockver @pulumi/command)" || echo "pulumi-env: cannot read @pulumi/command from package-lock.json" >&2
DOCKERHOST_TLS_VERSION="$(_dh_lockver @pulumi/tls)" || echo "pulumi-env: cannot read @pulumi/tls from package-lock.json" >&2
unset -f _dh_lockver
export DOCKERHOST_PULUMI_VERSION DOCKERHOST_COMMAND_VERSION DOCKERHOST_TLS_VERSION
DOCKERHOST_PULUMI_BIN="$DOCKERHOST_CACHE/toolchain/pulumi-v$DOCKERHOST_PULUMI_VERSION/bin"

_dh_prepend() { case ":$PATH:" in *":$1:"*) ;; *) if [ -d "$1" ]; then PATH="$1:$PATH"; fi ;; esac; }
_dh_prepend "$DOCKERHOST_PULUMI_BIN" # the CLI plus its language hosts (looked up next to it)
_dh_prepend "$DOCKERHOST_NODE_BIN"   # node >= 22 first: @pulumi/pulumi 3.249+ needs it
unset -f _dh_prepend
export PATH

# Plugins (resource-command-vX, resource-tls-vX), workspaces and credentials stay in the cache.
export PULUMI_HOME="$DOCKERHOST_CACHE/pulumi-home"
export PULUMI_SKIP_UPDATE_CHECK=true                      # no call to api.pulumi.com
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true   # missing plugin = immediate error, no download
export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true
export PULUMI_CREDENTIAL_STORE=plaintext                  # no OS keyring probing
# Programs run with ts-node in transpile-only mode: `npm run lint` type-checks everything already, and the
# per-run type check of components/ costs about 24 s of every preview and up here (see BENCHMARKS.md).
export PULUMI_NODEJS_TRANSPILE_ONLY="${PULUMI_NODEJS_TRANSPILE_ONLY:-true}"
# State lives in the repo's local file backend unless the user points elsewhere.
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$DOCKERHOST_ROOT/.pulumi-state}"
case "$PULUMI_BACKEND_URL" in file://*) mkdir -p "${PULUMI_BACKEND_URL#file://}" 2>/dev/null || true ;; esac
# Passphrase of the local ("passphrase") secrets provider for stacks in that backend. It is a
# well-known default for throw-away local stacks; set PULUMI_CONFIG_PASSPHRASE (an empty value
# is kept) or PULUMI_CONFIG_PASSPHRASE_FILE yourself for anything that matters.
if [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-docker-host-local}"
fi
