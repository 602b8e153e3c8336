# shellcheck shell=bash
# Shared by every DockerSwarm step. Each step runs as root (directly or through `sudo -n`) with bash, on one host
# of the swarm. Log lines go to stderr, which Pulumi shows; stdout carries only `key: value` results, which it
# does not (the first manager's results hold the join tokens).
set -euo pipefail
umask 077
export LC_ALL=C

# Set by the command text: the swarm's identity, this host's name and address (for messages).
: "${DH_SWARM_KEY:?}" "${DH_NODE_NAME:?}" "${DH_NODE_ADDRESS:?}"
WHO="host $DH_NODE_NAME ($DH_NODE_ADDRESS)"
# Where the Engine API's unix socket is (DockerHost keeps it next to the TLS listener).
DOCKER_SOCKET=${DOCKER_SOCKET:-/var/run/docker.sock}

log() { printf 'docker-swarm: %s\n' "$*" >&2; }
fail() {
  printf 'docker-swarm: error: %s\n' "$*" >&2
  exit 1
}

# Masks anything that looks like a join token, so no message can carry one.
scrub() { sed -E 's/SWMTKN-[A-Za-z0-9-]+/[join token]/g'; }

# One field of `docker info`, by Go template; empty when the engine cannot say (require_docker checks it answers).
info() { docker info --format "$1" 2>/dev/null || true; }

require_docker() {
  phase "asking Docker Engine on $WHO (docker info)"
  command -v docker >/dev/null 2>&1 || fail "$WHO has no docker CLI: is it a provisioned DockerHost?"
  docker info >/dev/null 2>&1 || fail "$WHO: Docker Engine does not answer on $DOCKER_SOCKET"
}

# Swarm mode and live-restore exclude each other: dockerd refuses `swarm init`/`join` with it, and refuses to
# start with it once the host is in a swarm.
require_no_live_restore() {
  if [ "$(info '{{.LiveRestoreEnabled}}')" = true ]; then
    fail "$WHO has live-restore enabled, which Docker refuses in Swarm mode (\"--live-restore daemon configuration is incompatible with swarm mode\"): set engine: { liveRestore: false } on its DockerHost (or \"live-restore\": false in its daemon.json), run pulumi up, and it joins"
  fi
}

# Whether this host is a manager of a swarm right now.
is_manager() { [ "$(info '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}')" = "active true" ]; }

# This host's membership: "inactive", "this" (a member of this swarm) or "other: WHY".
# A manager belongs to this swarm when its cluster ID is the expected one (DH_CLUSTER_ID) or when it carries
# this swarm's marker label (the first manager, before any ID is known); a worker cannot see the cluster, so it
# belongs when the expected first manager (DH_MANAGER_NODE_ID) is among the managers it knows.
membership() {
  local state cluster marker managers
  state=$(info '{{.Swarm.LocalNodeState}}')
  case "$state" in
    inactive) echo inactive ;;
    active)
      if [ "$(info '{{.Swarm.ControlAvailable}}')" = true ]; then
        cluster=$(info '{{.Swarm.Cluster.ID}}')
        marker=$(docker node inspect self --format '{{index .Spec.Labels "docker-host.swarm"}}' 2>/dev/null || true)
        if [ "$marker" = "$DH_SWARM_KEY" ] || { [ -n "${DH_CLUSTER_ID:-}" ] && [ "$cluster" = "$DH_CLUSTER_ID" ]; }; then
          echo this
        else
          echo "other: a manager of swarm $cluster"
        fi
      else
        managers=$(info '{{range .Swarm.RemoteManagers}}{{.NodeID}} {{end}}')
        case " $managers" in
          *" ${DH_MANAGER_NODE_ID:-none} "*) echo this ;;
          *) echo "other: a worker of the swarm managed by ${managers:-no known manager}" ;;
        esac
      fi
      ;;
    *) echo "other: swarm state '${state:-unknown}'" ;;
  esac
}

# An advertise address dockerd accepts: an IP address or an interface name as given, a DNS name resolved here.
advertise_address() {
  local a=$1 ip
  if [[ $a =~ ^[0-9.]+$ || $a == *:* ]] || ip link show "$a" >/dev/null 2>&1; then
    echo "$a"
    return
  fi
  ip=$(getent ahostsv4 "$a" 2>/dev/null | awk 'NR == 1 { print $1 }')
  [ -n "$ip" ] || fail "$WHO: the advertise address $a is neither an IP address nor an interface, and does not resolve"
  echo "$ip"
}
