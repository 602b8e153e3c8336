#!/usr/bin/env bash
# Where T_dockerhost's time goes, next to T_floor's phases: medians over the runs of bench/run.sh.
# Usage: breakdown.sh WORKDIR N. Reads WORKDIR/dh$i.out (pulumi up's output lines stamped on arrival),
# dh$i.times (start, pulumi exit, first TLS answer), noop$i.out/.times, floor$i/phases and floor$i/times.
set -euo pipefail
work=$1
n=$2
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# stamp FILE REGEX: arrival time of the first output line matching REGEX.
stamp() { awk -F'\t' -v re="$2" '$2 ~ re { print $1; exit }' "$1"; }
lastline() { tail -n 1 "$1" | cut -f1; }
declare -A P
add() { P[$1]="${P[$1]:-} $2"; }
for i in $(seq 1 "$n"); do
  out="$work/dh$i.out"
  [ -s "$out" ] || continue
  read -r t0 t1 t2 <"$work/dh$i.times"
  s_stack=$(stamp "$out" 'pulumi:pulumi:Stack .* creating')
  s_comp=$(stamp "$out" 'DockerHost .* creating')
  s_wait0=$(stamp "$out" 'command:remote:Command [^ ]*-wait creating')
  s_wait1=$(stamp "$out" 'command:remote:Command [^ ]*-wait created')
  s_inst0=$(stamp "$out" 'command:remote:Command [^ ]*-install creating')
  s_inst1=$(stamp "$out" 'command:remote:Command [^ ]*-install created')
  s_conf0=$(stamp "$out" 'command:remote:Command [^ ]*-configure creating')
  s_conf1=$(stamp "$out" 'command:remote:Command [^ ]*-configure created')
  s_done=$(stamp "$out" 'pulumi:pulumi:Stack .* created')
  add a "$(elapsed "$t0" "$s_stack")"
  add b "$(elapsed "$s_stack" "$s_comp")"
  add c "$(elapsed "$s_comp" "$s_wait0")"
  add d "$(elapsed "$s_wait0" "$s_wait1")"
  add e "$(elapsed "$s_wait1" "$s_inst0")"
  add f "$(elapsed "$s_inst0" "$s_inst1")"
  add g "$(elapsed "$s_inst1" "$s_conf0")"
  add h "$(elapsed "$s_conf0" "$s_conf1")"
  add i "$(elapsed "$s_conf1" "$s_done")"
  add j "$(elapsed "$s_done" "$t1")"
  add k "$(elapsed "$t1" "$t2")"
  add t "$(elapsed "$t0" "$t2")"
  if [ -s "$work/noop$i.out" ]; then
    read -r n0 n1 <"$work/noop$i.times"
    first=$(head -n 1 "$work/noop$i.out" | cut -f1)
    comp=$(stamp "$work/noop$i.out" '"type":"docker-host:index:DockerHost"')
    add na "$(elapsed "$n0" "$first")"
    add nb "$(elapsed "$first" "$comp")"
    add nc "$(elapsed "$comp" "$n1")"
    add nt "$(elapsed "$n0" "$n1")"
  fi
  ph="$work/floor$i/phases"
  if [ -s "$ph" ]; then
    read -r ft fo fs ff <"$work/floor$i/times"
    ps=$(awk '$1 == "phase" && $2 == "start" { printf "%.6f", $3 }' "$ph")
    pu=$(awk '$1 == "phase" && $2 == "apt_update" { printf "%.6f", $3 }' "$ph")
    pi=$(awk '$1 == "phase" && $2 == "apt_install" { printf "%.6f", $3 }' "$ph")
    pr=$(awk '$1 == "phase" && $2 == "restart" { printf "%.6f", $3 }' "$ph")
    add fa "$fo"
    add fb "$(awk -v s="$fs" -v a="$ps" -v b="$pr" 'BEGIN { printf "%.1f", s - (b - a) }')"
    add fc "$(elapsed "$ps" "$pu")"
    add fd "$(elapsed "$pu" "$pi")"
    add fe "$(elapsed "$pi" "$pr")"
    add ff "$ff"
    add ft "$ft"
  fi
done
m() { # shellcheck disable=SC2086
  if [ -n "${P[$1]:-}" ]; then median ${P[$1]}; else printf -- '-'; fi
}
printf '  %-78s %8s\n' "T_dockerhost: pulumi up of examples/existing-host, then the first TLS answer" ""
printf '    %-76s %6s s\n' \
  "CLI start, engine, plugins, language host up (to the Stack resource)" "$(m a)" \
  "program load: node + ts-node + SDK modules (Stack to the DockerHost component)" "$(m b)" \
  "component + TLS resources until the wait step starts" "$(m c)" \
  "wait step (SSH connect, OS checks)" "$(m d)" \
  "between wait and install (engine scheduling)" "$(m e)" \
  "install step (apt-get update + install docker.io)" "$(m f)" \
  "between install and configure" "$(m g)" \
  "configure step (files, daemon-reload, restart, TLS self-check)" "$(m h)" \
  "program end (outputs registered)" "$(m i)" \
  "engine shutdown, state write, CLI exit" "$(m j)" \
  "stack output + docker --tlsverify version from here" "$(m k)" \
  "total" "$(m t)"
printf '  %s\n' "T_floor: one ssh session by hand"
printf '    %-76s %6s s\n' \
  "openssl: CA, server and client certificates" "$(m fa)" \
  "ssh connect + transfer + exit (session minus the remote phases)" "$(m fb)" \
  "apt-get update" "$(m fc)" \
  "apt-get install docker.io" "$(m fd)" \
  "files, drop-in, daemon-reload, restart" "$(m fe)" \
  "first docker --tlsverify version from here" "$(m ff)" \
  "total" "$(m ft)"
printf '  %s\n' "T_noop: second pulumi up, no change"
printf '    %-76s %6s s\n' \
  "CLI start, engine, plugins, language host up (to the first engine event)" "$(m na)" \
  "program load (first event to the DockerHost component)" "$(m nb)" \
  "the rest: every step same, state write, CLI exit" "$(m nc)" \
  "total" "$(m nt)"
