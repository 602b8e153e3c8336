# shellcheck shell=bash
# Delete of a host's removal step, on the first manager, after the host left: removes its node from the swarm's
# node list. The node is found by the labels its membership step set (docker-host.swarm, docker-host.node); it
# is removed once the managers see it down, or with --force after 30 s (it left, or it was taken out of the
# program and is not to stay in the swarm).

require_docker
if ! is_manager; then
  log "this host is not a manager of a swarm any more: nothing to remove"
  exit 0
fi
self=$(info '{{.Swarm.NodeID}}')
ids=$(docker node ls -q --filter "node.label=docker-host.node=$DH_NODE_NAME")
found=0
for id in $ids; do
  [ "$id" != "$self" ] || continue
  swarm=$(docker node inspect "$id" --format '{{index .Spec.Labels "docker-host.swarm"}}' 2>/dev/null || true)
  [ "$swarm" = "$DH_SWARM_KEY" ] || continue
  found=1
  phase "waiting for the managers to see $WHO (node $id) down"
  for _ in $(seq 1 30); do
    [ "$(docker node inspect "$id" --format '{{.Status.State}}' 2>/dev/null)" = down ] && break
    sleep 1
  done
  if [ "$(docker node inspect "$id" --format '{{.Status.State}}' 2>/dev/null)" = down ]; then
    out=$(docker node rm "$id" 2>&1 >/dev/null) || fail "$WHO: removing node $id failed: $out"
  else
    log "$WHO (node $id) is not down after 30 s: removing it with --force"
    out=$(docker node rm --force "$id" 2>&1 >/dev/null) || fail "$WHO: removing node $id failed: $out"
  fi
  log "removed $WHO (node $id) from the swarm's nodes"
done
[ "$found" = 1 ] || log "$WHO has no node in this swarm: nothing to remove"
