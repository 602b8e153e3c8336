#!/usr/bin/env bash
# npm run test:cloud [-- aws digitalocean azure gcp hetzner]
#
# The cloud end-to-end check, for a CI job with cloud credentials. For each cloud whose credentials are present:
# `pulumi up` of examples/<cloud>, then `docker version` over mutual TLS with the stack's outputs (and a check
# that the engine refuses a client without a certificate), `pulumi preview --expect-no-changes`, and
# `pulumi destroy` (always, also after a failure). A cloud without credentials is skipped with the names of the
# variables it misses. The last line is the summary; the exit code is 1 when any cloud failed.
#
# Credentials (any one form per cloud):
#   aws           AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE
#   digitalocean  DIGITALOCEAN_TOKEN (or DIGITALOCEAN_ACCESS_TOKEN)
#   azure         ARM_CLIENT_ID + ARM_CLIENT_SECRET + ARM_TENANT_ID + ARM_SUBSCRIPTION_ID, or ARM_USE_OIDC=true with
#                 ARM_CLIENT_ID + ARM_TENANT_ID + ARM_SUBSCRIPTION_ID, or an `az login` session
#   gcp           GOOGLE_CREDENTIALS (the key's JSON) or GOOGLE_APPLICATION_CREDENTIALS (its file), and GOOGLE_PROJECT
#   hetzner       HCLOUD_TOKEN
# Settings:
#   TEST_CLOUD_ALLOWED_CIDR  the range admitted on SSH and the engine port (default: this runner's public IPv4/32)
#   TEST_CLOUD_BACKEND_URL   Pulumi state backend (default: a throw-away local directory; use a bucket in CI so a
#                            killed job can still be destroyed later)
#   TEST_CLOUD_KEEP=1        leave the stacks up (debugging); destroy them yourself
#   AWS_REGION (or AWS_DEFAULT_REGION, default us-east-1), DIGITALOCEAN_REGION (nyc3), AZURE_LOCATION (eastus),
#   GOOGLE_ZONE (us-central1-a), HCLOUD_LOCATION (fsn1)
# Needs: the pulumi CLI (plugins are downloaded as usual), Node >= 22, npm, curl; the docker CLI when present.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
CLOUDS=(aws digitalocean azure gcp hetzner)

usage() { echo "usage: $0 [aws] [digitalocean] [azure] [gcp] [hetzner]" >&2; }
selected=("$@")
if [ "${#selected[@]}" -eq 0 ]; then selected=("${CLOUDS[@]}"); fi
for c in "${selected[@]}"; do
  case "$c" in aws | digitalocean | azure | gcp | hetzner) ;; *) usage && exit 2 ;; esac
done

# Prints what is missing for a cloud's credentials; prints nothing when they are there.
missing_aws() {
  if [ -n "${AWS_PROFILE:-}" ]; then return; fi
  if [ -n "${AWS_ROLE_ARN:-}" ] && [ -n "${AWS_WEB_IDENTITY_TOKEN_FILE:-}" ]; then return; fi
  local m=()
  [ -n "${AWS_ACCESS_KEY_ID:-}" ] || m+=(AWS_ACCESS_KEY_ID)
  [ -n "${AWS_SECRET_ACCESS_KEY:-}" ] || m+=(AWS_SECRET_ACCESS_KEY)
  if [ "${#m[@]}" -gt 0 ]; then echo "${m[*]} (or AWS_PROFILE, or AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE)"; fi
}
missing_digitalocean() {
  if [ -z "${DIGITALOCEAN_TOKEN:-}" ] && [ -z "${DIGITALOCEAN_ACCESS_TOKEN:-}" ]; then
    echo "DIGITALOCEAN_TOKEN"
  fi
}
missing_azure() {
  local m=() v
  for v in ARM_CLIENT_ID ARM_CLIENT_SECRET ARM_TENANT_ID ARM_SUBSCRIPTION_ID; do
    [ -n "${!v:-}" ] || m+=("$v")
  done
  if [ "${#m[@]}" -eq 0 ]; then return; fi
  if [ "${ARM_USE_OIDC:-}" = "true" ] && [ -n "${ARM_CLIENT_ID:-}" ] && [ -n "${ARM_TENANT_ID:-}" ] &&
    [ -n "${ARM_SUBSCRIPTION_ID:-}" ]; then
    return
  fi
  if command -v az >/dev/null 2>&1 && az account show >/dev/null 2>&1; then return; fi
  echo "${m[*]} (or ARM_USE_OIDC=true with ARM_CLIENT_ID, ARM_TENANT_ID and ARM_SUBSCRIPTION_ID, or an az login session)"
}
missing_gcp() {
  local m=()
  if [ -z "${GOOGLE_CREDENTIALS:-}" ] && [ -z "${GOOGLE_APPLICATION_CREDENTIALS:-}" ]; then
    m+=("GOOGLE_CREDENTIALS (or GOOGLE_APPLICATION_CREDENTIALS)")
  fi
  [ -n "${GOOGLE_PROJECT:-}" ] || m+=(GOOGLE_PROJECT)
  if [ "${#m[@]}" -gt 0 ]; then echo "${m[*]}"; fi
}
missing_hetzner() {
  if [ -z "${HCLOUD_TOKEN:-}" ]; then echo "HCLOUD_TOKEN"; fi
}

declare -A result
to_run=()
for c in "${selected[@]}"; do
  miss=$("missing_$c")
  if [ -n "$miss" ]; then
    result[$c]="skipped: set $miss"
    echo "$c: skipped: set $miss"
  else
    to_run+=("$c")
  fi
done

summary() {
  local passed=0 failed=0 skipped=0 c
  echo
  echo "=== test:cloud summary"
  for c in "${selected[@]}"; do
    printf '%-13s %s\n' "$c" "${result[$c]}"
    case "${result[$c]}" in passed*) passed=$((passed + 1)) ;; skipped*) skipped=$((skipped + 1)) ;; *) failed=$((failed + 1)) ;; esac
  done
  echo "test:cloud: $passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ]
}
if [ "${#to_run[@]}" -eq 0 ]; then
  summary
  exit 0
fi

# The toolchain: a pulumi CLI on PATH, else the repository's own (scripts/toolchain.sh builds it).
if ! command -v pulumi >/dev/null 2>&1 && [ -f scripts/pulumi-env.sh ]; then
  # shellcheck source=scripts/pulumi-env.sh
  source scripts/pulumi-env.sh
fi
command -v pulumi >/dev/null || { echo "pulumi CLI not found: https://www.pulumi.com/docs/install/" >&2 && exit 1; }
# Cloud provider plugins are downloaded on first use (pulumi-env.sh forbids that for the offline toolchain).
unset PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION
[ -d node_modules/@pulumi/aws ] || npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

WORK=$(mktemp -d "${TMPDIR:-/tmp}/docker-host-cloud.XXXXXX")
export PULUMI_BACKEND_URL="${TEST_CLOUD_BACKEND_URL:-file://$WORK/state}"
case "$PULUMI_BACKEND_URL" in file://*) mkdir -p "${PULUMI_BACKEND_URL#file://}" ;; esac
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}"
export PULUMI_SKIP_UPDATE_CHECK=true
RUN_ID="ci-$(date -u +%m%d%H%M)-$((RANDOM % 10000))"
keep_work=0

allowed="${TEST_CLOUD_ALLOWED_CIDR:-}"
if [ -z "$allowed" ]; then
  ip=$(curl -fsS --max-time 15 https://checkip.amazonaws.com | tr -d '[:space:]' || true)
  if [[ "$ip" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]]; then
    allowed="$ip/32"
  else
    echo "cannot find this runner's public IPv4 address (checkip.amazonaws.com): set TEST_CLOUD_ALLOWED_CIDR" >&2
    exit 1
  fi
fi
echo "allowed on SSH and the engine port: $allowed; state: $PULUMI_BACKEND_URL; run $RUN_ID"

# Talks to the engine with the stack's client bundle: docker over TLS, and no answer without a certificate.
check_engine() { # check_engine BUNDLE-DIR DOCKER_HOST
  local bundle=$1 url=$2 hostport=${2#tcp://}
  if command -v docker >/dev/null 2>&1; then
    DOCKER_TLS_VERIFY=1 DOCKER_HOST="$url" DOCKER_CERT_PATH="$bundle" DOCKER_CONFIG="$bundle/docker-config" \
      docker version || return
  else
    curl -fsS --max-time 30 --cacert "$bundle/ca.pem" --cert "$bundle/cert.pem" --key "$bundle/key.pem" \
      "https://$hostport/version" || return
    echo
  fi
  if curl -fsS --max-time 30 --cacert "$bundle/ca.pem" "https://$hostport/version" >/dev/null 2>&1; then
    echo "the engine answered a client without a certificate" >&2
    return 1
  fi
  echo "a client without a certificate is refused, as it should be"
}

# Up, use over TLS, expect no changes. Every command is checked (errexit does not apply in a `||` context).
up_and_check() { # up_and_check CLOUD BUNDLE-DIR
  local cloud=$1 bundle=$2
  SECONDS=0
  pulumi up --yes --skip-preview --non-interactive || return
  echo "$cloud: up in ${SECONDS}s"
  pulumi stack output caCert >"$bundle/ca.pem" || return
  pulumi stack output clientCert >"$bundle/cert.pem" || return
  (umask 077 && pulumi stack output --show-secrets clientKey >"$bundle/key.pem") || return
  check_engine "$bundle" "$(pulumi stack output dockerHost)" || return
  pulumi preview --expect-no-changes --non-interactive || return
}

# One cloud, in a subshell so that a failure ends only this cloud. Destroys what it created, whatever happened.
run_cloud() { # run_cloud CLOUD
  local cloud=$1 stack="$RUN_ID-$1" bundle="$WORK/$1" status=0 region
  mkdir -p "$bundle/docker-config" || return
  cd "$ROOT/examples/$cloud" || return
  pulumi stack init "$stack" --secrets-provider passphrase --non-interactive || return
  case "$cloud" in
    aws) region=(aws:region "${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}") ;;
    digitalocean) region=(region "${DIGITALOCEAN_REGION:-nyc3}") ;;
    azure) region=(location "${AZURE_LOCATION:-eastus}") ;;
    gcp) region=(zone "${GOOGLE_ZONE:-us-central1-a}") ;;
    hetzner) region=(location "${HCLOUD_LOCATION:-fsn1}") ;;
  esac
  {
    pulumi config set --path 'allowedCidrs[0]' "$allowed" &&
      pulumi config set name "dh-$RUN_ID-$cloud" &&
      pulumi config set "${region[@]}" &&
      up_and_check "$cloud" "$bundle"
  } || status=$?
  if [ "${TEST_CLOUD_KEEP:-0}" = "1" ]; then
    echo "$cloud: TEST_CLOUD_KEEP=1: stack $stack left up (state: $PULUMI_BACKEND_URL)"
    return "$status"
  fi
  if pulumi destroy --yes --skip-preview --non-interactive; then
    pulumi stack rm --yes --non-interactive "$stack" || true
  else
    echo "$cloud: DESTROY FAILED: resources of stack $stack may be left; state kept in $PULUMI_BACKEND_URL" >&2
    return 3
  fi
  return "$status"
}

for c in "${to_run[@]}"; do
  echo
  echo "=== $c"
  rc=0
  (run_cloud "$c") || rc=$?
  case $rc in
    0) result[$c]="passed" ;;
    3) result[$c]="FAILED: destroy failed, resources may be left (state in $PULUMI_BACKEND_URL)" && keep_work=1 ;;
    *) result[$c]="FAILED (exit $rc), destroyed" ;;
  esac
done

if [ "$keep_work" -eq 0 ] && [ "${TEST_CLOUD_KEEP:-0}" != "1" ]; then rm -rf "$WORK"; fi
summary
