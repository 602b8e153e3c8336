#!/usr/bin/env bash
# DockerHost benchmark: prints figures and ratios (medians of N runs, each on fresh sandbox hosts), not a test.
#   bash bench/run.sh            N=3
#   BENCH_N=5 bash bench/run.sh  N=5
# Figures (seconds):
#   T_floor        the least work by hand over one ssh session, to the first `docker --tlsverify version` (floor.sh)
#   T_dockerhost   `pulumi up` of examples/existing-host from nothing, plus reading the outputs, to the first TLS answer
#   T_noop         a second `pulumi up` with no change, and how many command:remote:Command operations it ran
#   T_parallel(N)  one stack with N DockerHosts (bench/parallel) on N fresh sandboxes, to every host's first TLS answer
# Also: where T_dockerhost's time goes, from the engine's event log stamped on arrival (bench/breakdown.sh).
# Must run as root (sandboxes). Env: BENCH_N, BENCH_PARALLEL ("1 2 4"), BENCH_UP_FLAGS ("--yes --skip-preview"),
# BENCH_KEEP=1 keeps the work directory.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/pulumi-env.sh
. "$HERE/../scripts/pulumi-env.sh"
export PULUMI_CONFIG_PASSPHRASE=docker-host-bench
WORK=$(mktemp -d /tmp/dh-bench.XXXXXX)
export WORK
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"
N=${BENCH_N:-3}
PARALLEL=${BENCH_PARALLEL:-1 2 4}
UP_FLAGS=${BENCH_UP_FLAGS:---yes --skip-preview}
# The programs run in place (examples/existing-host/index.ts, bench/parallel/index.ts); their project files and
# stack files are written under $WORK, never into the repository.
EXAMPLE=$(project_dir existing-host "$BENCH_REPO/examples/existing-host/index.ts")
PAR=$(project_dir bench-parallel "$HERE/parallel/index.ts")
RID=$(od -An -N2 -tx1 /dev/urandom | tr -d " \n")

cleanup() {
  sb_down_all
  if [ "${BENCH_KEEP:-0}" != 1 ]; then rm -rf "$WORK"; else note "kept $WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_START=$(loadavg)
note "work directory $WORK, N=$N, load $LOAD_START"

# An existing-host stack on the sandbox JSON $1; stack name $2.
example_stack() {
  local json=$1 stack=$2
  stack_init "$EXAMPLE" "$stack"
  {
    echo "config:"
    echo "  existing-host:host: $(jq .host <<<"$json")"
    echo "  existing-host:privateKeyPath: $(jq .privateKeyPath <<<"$json")"
    echo "  existing-host:hostKey: $(jq .hostKey <<<"$json")"
  } >>"$EXAMPLE/Pulumi.$stack.yaml"
}

declare -a FLOOR DH NOOP NOOPOPS
declare -A PARTIME
for i in $(seq 1 "$N"); do
  # T_floor
  json=$(sb_up "bx${RID}f$i")
  read -r total ossl sess first < <(bash "$HERE/floor.sh" "$json" "$WORK/floor$i")
  FLOOR+=("$total")
  note "run $i T_floor $total s (openssl $ossl, ssh session $sess, first answer after the session $first)"
  sb_down_all

  # T_dockerhost and T_noop
  json=$(sb_up "bx${RID}d$i")
  host=$(jq -r .host <<<"$json")
  stack="bench-$RID-$i"
  example_stack "$json" "$stack"
  t0=$(now)
  up_timed "$EXAMPLE" "$stack" "$WORK/dh$i.out" || { cat "$WORK/dh$i.out" >&2; exit 1; }
  t1=$(now)
  bundle "$EXAMPLE" "$stack" "$WORK/dh$i" >/dev/null
  tls_wait "$host" "$WORK/dh$i"
  t2=$(now)
  printf '%s %s %s\n' "$t0" "$t1" "$t2" >"$WORK/dh$i.times"
  DH+=("$(elapsed "$t0" "$t2")")
  note "run $i T_dockerhost $(elapsed "$t0" "$t2") s (pulumi up $(elapsed "$t0" "$t1"), outputs + first answer $(elapsed "$t1" "$t2"))"
  t0=$(now)
  up_timed "$EXAMPLE" "$stack" "$WORK/noop$i.out" --json || { cat "$WORK/noop$i.out" >&2; exit 1; }
  t1=$(now)
  printf '%s %s\n' "$t0" "$t1" >"$WORK/noop$i.times"
  NOOP+=("$(elapsed "$t0" "$t1")")
  NOOPOPS+=("$(remote_ops "$WORK/noop$i.out")")
  note "run $i T_noop $(elapsed "$t0" "$t1") s, remote commands run: ${NOOPOPS[-1]}"
  sb_down_all

  # T_parallel(n)
  for n in $PARALLEL; do
    hosts="[]"
    for j in $(seq 1 "$n"); do
      json=$(sb_up "bx${RID}p$n$i$j")
      hosts=$(jq -c --argjson h "$json" '. + [{host: $h.host, privateKeyPath: $h.privateKeyPath, hostKey: $h.hostKey}]' <<<"$hosts")
    done
    stack="bench-$RID-p$n-$i"
    stack_init "$PAR" "$stack"
    printf 'config:\n  bench-parallel:hosts: %s\n' "$hosts" >>"$PAR/Pulumi.$stack.yaml"
    t0=$(now)
    up_timed "$PAR" "$stack" "$WORK/p$n-$i.out" || { cat "$WORK/p$n-$i.out" >&2; exit 1; }
    t1=$(now)
    for j in $(seq 0 $((n - 1))); do
      h=$(bundle "$PAR" "$stack" "$WORK/p$n-$i-$j" "$j")
      tls_wait "$h" "$WORK/p$n-$i-$j"
    done
    t2=$(now)
    PARTIME[$n]="${PARTIME[$n]:-} $(elapsed "$t0" "$t2")"
    note "run $i T_parallel($n) $(elapsed "$t0" "$t2") s (pulumi up $(elapsed "$t0" "$t1"))"
    sb_down_all
  done
done

LOAD_END=$(loadavg)
mf=$(median "${FLOOR[@]}")
md=$(median "${DH[@]}")
mn=$(median "${NOOP[@]}")
echo
echo "DockerHost benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), N=$N runs each (medians; all runs in brackets)"
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/ {print $2}') GiB memory, kernel $(uname -r)"
echo "load average (1/5/15 min): $LOAD_START at the start, $LOAD_END at the end"
echo "pulumi $(pulumi version), node $(node --version), up flags: $UP_FLAGS, PULUMI_NODEJS_TRANSPILE_ONLY=${PULUMI_NODEJS_TRANSPILE_ONLY:-unset}"
echo
printf 'T_floor             %6s s  [%s]\n' "$mf" "${FLOOR[*]}"
printf 'T_dockerhost        %6s s  [%s]\n' "$md" "${DH[*]}"
printf 'T_noop              %6s s  [%s]  remote commands run: [%s]\n' "$mn" "${NOOP[*]}" "${NOOPOPS[*]}"
for n in $PARALLEL; do
  # shellcheck disable=SC2086 # the list is space-separated numbers
  printf 'T_parallel(%s)       %6s s  [%s]\n' "$n" "$(median ${PARTIME[$n]})" "${PARTIME[$n]# }"
done
echo "T_machine           not measured: rancher/machine cannot be built here (the Go module proxy refuses github.com/rancher/machine with 403) and there is no other way to fetch it offline"
echo
printf 'T_dockerhost / T_floor   %s\n' "$(ratio "$md" "$mf")"
printf 'T_noop / T_dockerhost    %s\n' "$(ratio "$mn" "$md")"
# shellcheck disable=SC2086 # space-separated numbers
p1=$(median ${PARTIME[1]:-0})
for n in $PARALLEL; do
  # shellcheck disable=SC2086 # space-separated numbers
  [ "$n" = 1 ] || printf 'T_parallel(%s) / T_parallel(1)   %s\n' "$n" "$(ratio "$(median ${PARTIME[$n]})" "$p1")"
done
echo
echo "Where the time goes (median over the runs; seconds from the start of \`pulumi up\`):"
bash "$HERE/breakdown.sh" "$WORK" "$N"
