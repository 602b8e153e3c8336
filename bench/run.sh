#!/usr/bin/env bash
# DockerHost benchmark: prints figures and ratios (medians of N runs, each on fresh sandbox hosts), not a test.
#   bash bench/run.sh            N=3
#   BENCH_N=5 bash bench/run.sh  N=5
# Figures (seconds):
#   T_floor        the least work by hand over one ssh session, to the first `docker --tlsverify version` (floor.sh)
#   T_dockerhost   `pulumi up` of examples/existing-host from nothing, plus reading the outputs, to the first TLS answer
#   T_noop         a second `pulumi up` with no change, and how many command:remote:Command operations it ran
#   T_parallel(N)  one stack with N DockerHosts (examples/existing-hosts) on N fresh sandboxes, to every host's first TLS answer
#   T_machine      Docker Machine (rancher/machine, scripts/docker-machine.sh builds it once) `create --driver generic`
#                  on a fresh sandbox, its install URL a local script installing from the same source (machine.sh)
# Also: where T_dockerhost's and T_machine's time goes, from their output stamped on arrival (bench/breakdown.sh).
# Must run as root (sandboxes). Env: BENCH_N, BENCH_PARALLEL ("1 2 4"), BENCH_UP_FLAGS ("--yes --skip-preview"),
# BENCH_KEEP=1 keeps the work directory, BENCH_ONLY picks figures for a quick check (default all:
# "floor machine dockerhost noop parallel"; noop implies dockerhost).
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
ONLY=" ${BENCH_ONLY:-floor machine dockerhost noop parallel} "
for f in $ONLY; do
  case $f in
    floor | machine | dockerhost | noop | parallel) ;;
    *) note "BENCH_ONLY: unknown figure $f (floor machine dockerhost noop parallel)"; rm -rf "$WORK"; exit 2 ;;
  esac
done
want() { case $ONLY in *" $1 "*) return 0 ;; esac; [ "$1" = dockerhost ] && want noop; }
# The programs run in place (examples/existing-host/index.ts, examples/existing-hosts/index.ts); their project files and
# stack files are written under $WORK, never into the repository.
EXAMPLE=$(project_dir existing-host "$BENCH_REPO/examples/existing-host/index.ts")
PAR=$(project_dir existing-hosts "$BENCH_REPO/examples/existing-hosts/index.ts")
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

# Not timed: a cold machine builds docker-machine here (about 3 minutes), a warm one finds it in the cache.
if want machine; then DM=$(bash "$HERE/../scripts/docker-machine.sh"); fi

declare -a FLOOR=() DH=() NOOP=() NOOPOPS=() MACHINE=()
declare -A PARTIME=()

run_floor() { # RUN
  local i=$1 json total ossl sess first
  json=$(sb_up "bx${RID}f$i")
  read -r total ossl sess first < <(bash "$HERE/floor.sh" "$json" "$WORK/floor$i")
  FLOOR+=("$total")
  note "run $i T_floor $total s (openssl $ossl, ssh session $sess, first answer after the session $first)"
  sb_down_all
}

run_machine() { # RUN
  local i=$1 json total create first
  json=$(sb_up "bx${RID}m$i")
  read -r total create first < <(bash "$HERE/machine.sh" "$json" "$WORK/machine$i" "$DM")
  MACHINE+=("$total")
  note "run $i T_machine $total s (docker-machine create $create, env + first answer $first)"
  sb_down_all
}

run_dockerhost() { # RUN: T_dockerhost, then T_noop on the same stack
  local i=$1 json host stack t0 t1 t2
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
  if want noop; then
    t0=$(now)
    up_timed "$EXAMPLE" "$stack" "$WORK/noop$i.out" --json || { cat "$WORK/noop$i.out" >&2; exit 1; }
    t1=$(now)
    printf '%s %s\n' "$t0" "$t1" >"$WORK/noop$i.times"
    NOOP+=("$(elapsed "$t0" "$t1")")
    NOOPOPS+=("$(remote_ops "$WORK/noop$i.out")")
    note "run $i T_noop $(elapsed "$t0" "$t1") s, remote commands run: ${NOOPOPS[-1]}"
  fi
  sb_down_all
}

run_parallel() { # RUN: T_parallel(n) for each n in $PARALLEL
  local i=$1 n j json hosts stack h t0 t1 t2
  for n in $PARALLEL; do
    hosts="[]"
    for j in $(seq 1 "$n"); do
      json=$(sb_up "bx${RID}p$n$i$j")
      hosts=$(jq -c --argjson h "$json" --arg name "bench$j" '. + [{name: $name, host: $h.host, privateKeyPath: $h.privateKeyPath, hostKey: $h.hostKey}]' <<<"$hosts")
    done
    stack="bench-$RID-p$n-$i"
    stack_init "$PAR" "$stack"
    printf 'config:\n  existing-hosts:hosts: %s\n' "$hosts" >>"$PAR/Pulumi.$stack.yaml"
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
}

for i in $(seq 1 "$N"); do
  if want floor; then run_floor "$i"; fi
  if want machine; then run_machine "$i"; fi
  if want dockerhost; then run_dockerhost "$i"; fi
  if want parallel; then run_parallel "$i"; fi
done

LOAD_END=$(loadavg)
med() { if [ "$#" -gt 0 ]; then median "$@"; fi; } # empty for a figure that was not run
mf=$(med "${FLOOR[@]}")
mm=$(med "${MACHINE[@]}")
md=$(med "${DH[@]}")
mn=$(med "${NOOP[@]}")
echo
echo "DockerHost benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), N=$N runs each (medians; all runs in brackets)"
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/ {print $2}') GiB memory, kernel $(uname -r)"
echo "load average (1/5/15 min): $LOAD_START at the start, $LOAD_END at the end"
echo "pulumi $(pulumi version), node $(node --version), up flags: $UP_FLAGS, PULUMI_NODEJS_TRANSPILE_ONLY=${PULUMI_NODEJS_TRANSPILE_ONLY:-unset}"
if want machine; then echo "docker-machine: $("$DM" --version) ($DM)"; fi
echo
if want floor; then printf 'T_floor             %6s s  [%s]\n' "$mf" "${FLOOR[*]}"; fi
if want machine; then printf 'T_machine           %6s s  [%s]\n' "$mm" "${MACHINE[*]}"; fi
if want dockerhost; then printf 'T_dockerhost        %6s s  [%s]\n' "$md" "${DH[*]}"; fi
if want noop; then printf 'T_noop              %6s s  [%s]  remote commands run: [%s]\n' "$mn" "${NOOP[*]}" "${NOOPOPS[*]}"; fi
if want parallel; then
  for n in $PARALLEL; do
    # shellcheck disable=SC2086 # the list is space-separated numbers
    printf 'T_parallel(%s)       %6s s  [%s]\n' "$n" "$(median ${PARTIME[$n]})" "${PARTIME[$n]# }"
  done
fi
echo
if [ -n "$md" ] && [ -n "$mf" ]; then printf 'T_dockerhost / T_floor     %s\n' "$(ratio "$md" "$mf")"; fi
if [ -n "$md" ] && [ -n "$mm" ]; then printf 'T_dockerhost / T_machine   %s\n' "$(ratio "$md" "$mm")"; fi
if [ -n "$mm" ] && [ -n "$mf" ]; then printf 'T_machine / T_floor        %s\n' "$(ratio "$mm" "$mf")"; fi
if [ -n "$mn" ] && [ -n "$md" ]; then printf 'T_noop / T_dockerhost      %s\n' "$(ratio "$mn" "$md")"; fi
if want parallel && [ -n "${PARTIME[1]:-}" ]; then
  # shellcheck disable=SC2086 # space-separated numbers
  p1=$(median ${PARTIME[1]})
  for n in $PARALLEL; do
    # shellcheck disable=SC2086 # space-separated numbers
    [ "$n" = 1 ] || printf 'T_parallel(%s) / T_parallel(1)   %s\n' "$n" "$(ratio "$(median ${PARTIME[$n]})" "$p1")"
  done
fi
echo
echo "Where the time goes (median over the runs; seconds from each command's start):"
bash "$HERE/breakdown.sh" "$WORK" "$N"
