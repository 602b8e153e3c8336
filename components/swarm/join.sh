# shellcheck shell=bash
# Create or update of a host's join step, on the host itself. The first manager initialises the swarm (or finds
# itself already in it) and prints the swarm's identity and join tokens; any other host joins with the token of
# its role, read from stdin (never from the command text, the environment or argv). A host already in this swarm
# is left alone; a host in another swarm is an error.
: "${DH_ROLE:?}" "${DH_ADVERTISE:?}"

require_docker
state=$(membership)

if [ "${DH_FIRST:-}" = 1 ]; then
  case "$state" in
    this) log "$WHO already manages this swarm: left alone" ;;
    inactive)
      require_no_live_restore
      advertise=$(advertise_address "$DH_ADVERTISE")
      log "initialising the swarm on $WHO, advertising $advertise"
      phase "initialising the swarm on $WHO (docker swarm init)"
      # `swarm init` prints the worker join command, token included: its stdout goes nowhere.
      if ! out=$(docker swarm init --advertise-addr "$advertise" 2>&1 >/dev/null); then
        fail "$WHO: docker swarm init failed: $(printf '%s' "$out" | scrub)"
      fi
      # The marker makes this swarm recognisable on the next run; without it, undo the init so a retry starts clean.
      if ! out=$(docker node update --label-add "docker-host.swarm=$DH_SWARM_KEY" \
        --label-add "docker-host.node=$DH_NODE_NAME" "$(info '{{.Swarm.NodeID}}')" 2>&1 >/dev/null); then
        docker swarm leave --force >/dev/null 2>&1 || true
        fail "$WHO: labelling the new swarm's first node failed, the swarm is dissolved again: $out"
      fi
      ;;
    *)
      fail "$WHO is already in another swarm (${state#other: }): make it leave that swarm (docker swarm leave) or list another host first in managers"
      ;;
  esac
  is_manager || fail "$WHO is not a manager of the swarm it is in"
  addr=$(info '{{.Swarm.NodeAddr}}')
  worker_token=$(docker swarm join-token -q worker)
  manager_token=$(docker swarm join-token -q manager)
  echo "cluster-id: $(info '{{.Swarm.Cluster.ID}}')"
  echo "node-id: $(info '{{.Swarm.NodeID}}')"
  if [[ $addr == *:* ]]; then echo "manager-address: [$addr]:2377"; else echo "manager-address: $addr:2377"; fi
  echo "worker-token: $worker_token"
  echo "manager-token: $manager_token"
  exit 0
fi

: "${DH_MANAGER_ADDR:?}" "${DH_CLUSTER_ID:?}" "${DH_MANAGER_NODE_ID:?}"
case "$state" in
  this)
    log "$WHO is already in this swarm: left alone"
    current=$(info '{{.Swarm.NodeAddr}}')
    if [[ $DH_ADVERTISE =~ ^[0-9.]+$ || $DH_ADVERTISE == *:* ]] && [ "$current" != "$DH_ADVERTISE" ]; then
      log "$WHO advertises $current, not $DH_ADVERTISE: a host changes its address only by leaving and joining again (take it out of the swarm, pulumi up, add it back)"
    fi
    ;;
  inactive)
    require_no_live_restore
    command -v curl >/dev/null 2>&1 ||
      fail "$WHO has no curl: joining goes through the Engine API's unix socket so that the token never appears in a process list; install curl"
    IFS= read -r token || true
    case "$token" in
      SWMTKN-1-*) ;;
      *) fail "$WHO: no join token on the step's stdin" ;;
    esac
    advertise=$(advertise_address "$DH_ADVERTISE")
    log "joining $WHO to the swarm at $DH_MANAGER_ADDR as a $DH_ROLE, advertising $advertise"
    phase "joining $WHO to the swarm at $DH_MANAGER_ADDR"
    # printf is a shell builtin: the token goes from this shell's memory to curl's stdin, never into argv.
    body=$(printf '{"ListenAddr":"0.0.0.0:2377","AdvertiseAddr":"%s","RemoteAddrs":["%s"],"JoinToken":"%s"}' \
      "$advertise" "$DH_MANAGER_ADDR" "$token")
    unset token
    response=$(mktemp)
    trap 'rm -f "$response"' EXIT
    status=$(printf '%s' "$body" | curl -sS --max-time 120 --unix-socket "$DOCKER_SOCKET" -X POST \
      -H 'Content-Type: application/json' --data-binary @- -o "$response" -w '%{http_code}' \
      http://localhost/swarm/join 2>&1) || true
    unset body
    if [ "$status" != 200 ]; then
      fail "$WHO could not join the swarm at $DH_MANAGER_ADDR (HTTP ${status:-none}): $(scrub <"$response")"
    fi
    ;;
  *)
    fail "$WHO is already in another swarm (${state#other: }): make it leave that swarm (docker swarm leave) or take it out of this DockerSwarm"
    ;;
esac
echo "node-id: $(info '{{.Swarm.NodeID}}')"
