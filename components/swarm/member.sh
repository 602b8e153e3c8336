# shellcheck shell=bash
# Create or update of a host's membership step, on the first manager: waits until the node is Ready, gives it
# its role (promote or demote, waiting until Raft has taken the change), its labels and the availability
# `active`. The node labels DockerSwarm owns: docker-host.swarm (this swarm), docker-host.node (the host's name)
# and docker-host.labels (the keys of the labels it set, so that a label taken out of the program is removed).
: "${DH_NODE_ID:?}" "${DH_ROLE:?}"

require_docker
is_manager || fail "the first manager, where the swarm's commands run, is not a manager of a swarm (it should be: its join step made it one)"

node_field() { docker node inspect "$DH_NODE_ID" --format "$1" 2>/dev/null; }
manager_reachability() { node_field '{{if .ManagerStatus}}{{.ManagerStatus.Reachability}}{{end}}'; }

phase "waiting for $WHO (node $DH_NODE_ID) to be Ready in the swarm"
for _ in $(seq 1 90); do
  [ "$(node_field '{{.Status.State}}')" = ready ] && break
  sleep 1
done
[ "$(node_field '{{.Status.State}}')" = ready ] ||
  fail "$WHO (node $DH_NODE_ID) is not Ready in the swarm after 90 s: $(node_field '{{.Status.State}} {{.Status.Message}}')"

role=$(node_field '{{.Spec.Role}}')
if [ "$role" != "$DH_ROLE" ]; then
  log "changing $WHO from $role to $DH_ROLE"
  out=$(docker node update --role "$DH_ROLE" "$DH_NODE_ID" 2>&1 >/dev/null) || fail "$WHO: changing its role failed: $out"
fi
# Raft adds or removes a manager after the spec changes: wait until it has.
phase "waiting for Raft to make $WHO a $DH_ROLE"
for _ in $(seq 1 90); do
  reach=$(manager_reachability)
  if [ "$DH_ROLE" = manager ] && [ "$reach" = reachable ]; then break; fi
  if [ "$DH_ROLE" = worker ] && [ -z "$reach" ]; then break; fi
  sleep 1
done
reach=$(manager_reachability)
if { [ "$DH_ROLE" = manager ] && [ "$reach" != reachable ]; } || { [ "$DH_ROLE" = worker ] && [ -n "$reach" ]; }; then
  fail "$WHO did not become a $DH_ROLE within 90 s (manager status: ${reach:-none})"
fi

# The labels: ours, the wanted ones (DH_LABELS, KEY=VALUE lines), and removal of those set before but not wanted.
wanted_keys=()
args=(--availability active --label-add "docker-host.swarm=$DH_SWARM_KEY" --label-add "docker-host.node=$DH_NODE_NAME")
while IFS= read -r line; do
  [ -n "$line" ] || continue
  wanted_keys+=("${line%%=*}")
  args+=(--label-add "$line")
done <<<"${DH_LABELS:-}"
# shellcheck disable=SC2016 # a Go template, not a shell expansion
present=$(node_field '{{range $k, $v := .Spec.Labels}}{{$k}}{{"\n"}}{{end}}')
previous=$(node_field '{{index .Spec.Labels "docker-host.labels"}}')
IFS=, read -ra previous_keys <<<"$previous"
for key in "${previous_keys[@]}"; do
  [ -n "$key" ] || continue
  if [[ " ${wanted_keys[*]} " != *" $key "* ]] && printf '%s\n' "$present" | grep -qxF -- "$key"; then
    args+=(--label-rm "$key")
  fi
done
joined=$(
  IFS=,
  echo "${wanted_keys[*]}"
)
args+=(--label-add "docker-host.labels=$joined")
phase "updating the labels of $WHO"
out=$(docker node update "${args[@]}" "$DH_NODE_ID" 2>&1 >/dev/null) || fail "$WHO: updating the node failed: $out"
log "$WHO is a Ready $DH_ROLE of the swarm (node $DH_NODE_ID)"
echo "role: $DH_ROLE"
