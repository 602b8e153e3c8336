# shellcheck shell=bash
# Helpers for bench/run.sh: sandboxes, one-session SSH, Pulumi stacks on a throw-away backend, timing.

BENCH_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SANDBOX_SH="$BENCH_REPO/scripts/sandbox.sh"

now() { printf '%s\n' "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
median() { # median of the arguments
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.1f", v[(NR + 1) / 2]; else printf "%.1f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
note() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# sb_up NAME: boots a fresh sandbox, prints its JSON (host, privateKeyPath, hostKey).
sb_up() {
  local json
  json=$(bash "$SANDBOX_SH" up "$1" 2>>"$WORK/sandbox.log") || { note "sandbox $1 failed to boot (see $WORK/sandbox.log)"; return 1; }
  echo "$1" >>"$WORK/booted" # a file: sb_up runs in a command substitution's subshell
  printf '%s\n' "$json"
}
sb_down() { bash "$SANDBOX_SH" down "$1" >>"$WORK/sandbox.log" 2>&1 || true; }
sb_down_all() {
  local n
  [ -f "$WORK/booted" ] || return 0
  while read -r n; do sb_down "$n"; done <"$WORK/booted"
  : >"$WORK/booted"
}

# sb_ssh JSON ARGS...: ssh to the sandbox with its pinned host key (one session per call).
sb_ssh() {
  local json=$1
  shift
  local host key hostkey kh
  host=$(jq -r .host <<<"$json")
  key=$(jq -r .privateKeyPath <<<"$json")
  hostkey=$(jq -r .hostKey <<<"$json")
  kh="$WORK/known_hosts.$host"
  printf '%s %s\n' "$host" "$hostkey" >"$kh"
  ssh -i "$key" -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$kh" "root@$host" "$@"
}

# tls_wait HOST CERTDIR [PORT]: polls `docker --tlsverify version` from this machine until it answers (5 min).
tls_wait() {
  local host=$1 dir=$2 port=${3:-2376} deadline
  deadline=$((SECONDS + 300))
  until docker --tlsverify --tlscacert "$dir/ca.pem" --tlscert "$dir/cert.pem" --tlskey "$dir/key.pem" \
    -H "tcp://$host:$port" version --format '{{.Server.Version}}' >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || { note "no TLS answer from $host:$port"; return 1; }
    sleep 0.2
  done
}

# project_dir NAME MAIN: a Pulumi project directory under $WORK whose program is the file MAIN (absolute), so
# that stack files never land in the repository (where `prettier --check .` would see them); prints the directory.
project_dir() {
  local dir="$WORK/project-$1"
  mkdir -p "$dir"
  printf 'name: %s\nruntime: nodejs\nmain: %s\n' "$1" "$2" >"$dir/Pulumi.yaml"
  printf '%s\n' "$dir"
}

# stack_init DIR STACK: a stack on its own file backend under $WORK; sets PULUMI_BACKEND_URL for this shell.
stack_init() {
  local dir=$1 stack=$2
  export PULUMI_BACKEND_URL="file://$WORK/state-$stack"
  mkdir -p "$WORK/state-$stack"
  pulumi stack init "$stack" -C "$dir" --non-interactive >/dev/null
}

# up_timed DIR STACK OUT [EXTRA FLAGS...]: `pulumi up` whose output lines are stamped with their arrival time
# (EPOCHREALTIME, tab, line) in OUT; OTel spans go to OUT.otel.json. Returns pulumi's status.
up_timed() {
  local dir=$1 stack=$2 out=$3
  shift 3
  # shellcheck disable=SC2086 # UP_FLAGS is a list of flags
  pulumi up -C "$dir" -s "$stack" $UP_FLAGS --color never --suppress-progress "$@" 2>&1 |
    while IFS= read -r line; do printf '%s\t%s\n' "$EPOCHREALTIME" "$line"; done >"$out"
  return "${PIPESTATUS[0]}"
}

# remote_ops OUT: how many command:remote:Command operations other than "same" a `pulumi up --json` ran
# (its engine events, one JSON object a line).
remote_ops() {
  cut -f2- "$1" | jq -rs '[.[] | objects | .resourcePreEvent.metadata? // empty
    | select(.type == "command:remote:Command" and .op != "same")] | length'
}

# bundle DIR STACK OUTDIR [INDEX]: writes ca.pem/cert.pem/key.pem from the stack outputs; prints the address.
bundle() {
  local dir=$1 stack=$2 out=$3 idx=${4:-} o
  mkdir -p "$out"
  o=$(pulumi stack output -C "$dir" -s "$stack" --show-secrets --json)
  if [ -z "$idx" ]; then
    jq -r .caCert <<<"$o" >"$out/ca.pem"
    jq -r .clientCert <<<"$o" >"$out/cert.pem"
    jq -r .clientKey <<<"$o" >"$out/key.pem"
    jq -r .dockerHost <<<"$o" | sed -E 's#^tcp://##; s#:[0-9]+$##'
  else
    jq -r ".caCerts[$idx]" <<<"$o" >"$out/ca.pem"
    jq -r ".clientCerts[$idx]" <<<"$o" >"$out/cert.pem"
    jq -r ".clientKeys[$idx]" <<<"$o" >"$out/key.pem"
    jq -r ".dockerHosts[$idx]" <<<"$o" | sed -E 's#^tcp://##; s#:[0-9]+$##'
  fi
  chmod 600 "$out/key.pem"
}
