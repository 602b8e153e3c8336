#!/usr/bin/env bash
# DockerSwarm at scale under Pulumi's mocks (bench/swarm-scale.ts): per cloud and N, the resources, the firewall
# rules, the program's time and its peak memory. A measurement, not a test; no sandbox, no root, no cloud.
#   bash bench/swarm-scale.sh                          N = 10 50 200, every cloud of swarm-scale.ts, compiled
#   bash bench/swarm-scale.sh --n 10,50 --clouds aws   a subset
#   bash bench/swarm-scale.sh --baseline               also each N as DockerHosts alone (no DockerSwarm)
#   bash bench/swarm-scale.sh --floor                  also the SDK's floor for those DockerHosts: their resources
#                                                      built directly with their final inputs
#   bash bench/swarm-scale.sh --ts                     the TypeScript sources under ts-node, as `pulumi up` runs a
#                                                      TypeScript program (source-mapped stack traces: slower)
#   bash bench/swarm-scale.sh --drop-unread-outputs    an experiment on the SDK's cost: no Output for the output
#                                                      properties the components never read (bench/unreadOutputs.ts)
#   bash bench/swarm-scale.sh --tree DIR               another checkout's components (e.g. `git worktree add DIR
#                                                      COMMIT`), built there with its own `npm run build`
# Compiled (the default): `npm run build` (dist/, what the package and the component provider run), the harness
# compiled by tsc next to node_modules, plain Node.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
# shellcheck source=scripts/pulumi-env.sh
. "$REPO/scripts/pulumi-env.sh" >/dev/null

TS=0
TREE=$REPO
ARGS=()
while [ $# -gt 0 ]; do
  case $1 in
    --ts) TS=1; shift ;;
    --tree) TREE=$(cd "$2" && pwd); shift 2 ;;
    --drop-unread-outputs) export SWARM_SCALE_DROP_UNREAD_OUTPUTS=1; shift ;;
    *) ARGS+=("$1"); shift ;;
  esac
done

cd "$REPO"
if [ "$TS" = 1 ]; then
  exec node --require ts-node/register/transpile-only bench/swarm-scale.ts \
    --components "$TREE/components" "${ARGS[@]}"
fi
# Another tree needs the dependencies: its own node_modules, or this one's.
if [ ! -e "$TREE/node_modules" ]; then ln -s "$REPO/node_modules" "$TREE/node_modules"; fi
(cd "$TREE" && npm run --silent build >/dev/null)
# Under node_modules, so that the compiled harness resolves the packages as the sources do.
OUT=$REPO/node_modules/.cache/swarm-scale
rm -rf "$OUT"
npx tsc -p bench/tsconfig.swarm-scale.json --outDir "$OUT"
exec node "$OUT/bench/swarm-scale.js" --components "$TREE/dist/components" "${ARGS[@]}"
