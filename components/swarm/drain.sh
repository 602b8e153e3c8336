# shellcheck shell=bash
# Delete of a host's membership step, on the first manager, before the host leaves: drains the node (its tasks
# move to the other nodes), waits until none of its tasks runs any more, and demotes it when it is a manager.
# The first manager itself is neither drained nor demoted: it leaves last, dissolving the swarm.
: "${DH_NODE_ID:?}"

require_docker
if ! is_manager; then
  log "this host is not a manager of a swarm any more: nothing to drain"
  exit 0
fi
node_field() { docker node inspect "$DH_NODE_ID" --format "$1" 2>/dev/null; }
if ! node_field '{{.ID}}' >/dev/null; then
  log "$WHO (node $DH_NODE_ID) is not in the swarm any more: nothing to drain"
  exit 0
fi
if [ "$DH_NODE_ID" = "$(info '{{.Swarm.NodeID}}')" ]; then
  log "$WHO runs the swarm's commands: it is not drained, it leaves last"
  exit 0
fi

log "draining $WHO (node $DH_NODE_ID)"
phase "draining $WHO: waiting for its tasks to stop"
out=$(docker node update --availability drain "$DH_NODE_ID" 2>&1 >/dev/null) || fail "$WHO: draining failed: $out"
running() { docker node ps "$DH_NODE_ID" --format '{{.CurrentState}}' 2>/dev/null | grep -cE '^(Running|Starting|Preparing|Assigned|Accepted|Ready)' || true; }
for _ in $(seq 1 120); do
  [ "$(running)" = 0 ] && break
  sleep 1
done
left=$(running)
if [ "$left" = 0 ]; then
  log "$WHO is drained: no task runs on it"
else
  log "$WHO still runs $left task(s) after 120 s of draining; it leaves the swarm anyway"
fi

if [ -n "$(node_field '{{if .ManagerStatus}}{{.ManagerStatus.Reachability}}{{end}}')" ]; then
  log "demoting $WHO before it leaves"
  phase "demoting $WHO"
  out=$(docker node demote "$DH_NODE_ID" 2>&1 >/dev/null) || fail "$WHO: demoting failed: $out"
  for _ in $(seq 1 60); do
    [ -z "$(node_field '{{if .ManagerStatus}}{{.ManagerStatus.Reachability}}{{end}}')" ] && break
    sleep 1
  done
fi
