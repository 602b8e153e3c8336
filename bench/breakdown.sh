#!/usr/bin/env bash
# Where T_dockerhost's time goes, next to T_floor's and T_machine's phases: medians over the runs of bench/run.sh.
# Usage: breakdown.sh WORKDIR N. Reads WORKDIR/dh$i.out (pulumi up's output lines stamped on arrival),
# dh$i.times (start, pulumi exit, first TLS answer), noop$i.out/.times, floor$i/phases and floor$i/times,
# machine$i/create.out (docker-machine create --debug, stamped on arrival) and machine$i/times. A figure that was
# not run (BENCH_ONLY) is left out.
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
  if [ -s "$out" ]; then
    read -r t0 t1 t2 <"$work/dh$i.times"
    s_stack=$(stamp "$out" 'pulumi:pulumi:Stack .* creating')
    s_comp=$(stamp "$out" 'DockerHost .* creating')
    s_wait0=$(stamp "$out" 'command:remote:Command [^ ]*-wait creating')
    s_wait1=$(stamp "$out" 'command:remote:Command [^ ]*-wait created')
    s_inst0=$(stamp "$out" 'command:remote:Command [^ ]*-install creating')
    s_inst1=$(stamp "$out" 'command:remote:Command [^ ]*-install created')
    # its streamed output: apt-get update's is captured (shown only on failure), apt-get install's first line is
    s_apt0=$(stamp "$out" 'command:remote:Command [^ ]*-install creating .*installing Docker Engine')
    s_apt1=$(stamp "$out" 'command:remote:Command [^ ]*-install creating .*Reading package lists')
    s_conf0=$(stamp "$out" 'command:remote:Command [^ ]*-configure creating')
    s_conf1=$(stamp "$out" 'command:remote:Command [^ ]*-configure created')
    s_done=$(stamp "$out" 'pulumi:pulumi:Stack .* created')
    add a "$(elapsed "$t0" "$s_stack")"
    add b "$(elapsed "$s_stack" "$s_comp")"
    add c "$(elapsed "$s_comp" "$s_wait0")"
    add d "$(elapsed "$s_wait0" "$s_wait1")"
    add e "$(elapsed "$s_wait1" "$s_inst0")"
    add f "$(elapsed "$s_inst0" "$s_inst1")"
    if [ -n "$s_apt1" ]; then
      add fa1 "$(elapsed "$s_inst0" "$s_apt0")"
      add fa2 "$(elapsed "$s_apt0" "$s_apt1")"
      add fa3 "$(elapsed "$s_apt1" "$s_inst1")"
    fi
    if [ -n "$s_apt0" ]; then # its own cost: the total without apt-get update + install (the mirror's part)
      add own "$(awk -v t="$(elapsed "$t0" "$t2")" -v a="$s_apt0" -v b="$s_inst1" 'BEGIN { printf "%.1f", t - (b - a) }')"
    fi
    add g "$(elapsed "$s_inst1" "$s_conf0")"
    add h "$(elapsed "$s_conf0" "$s_conf1")"
    add i "$(elapsed "$s_conf1" "$s_done")"
    add j "$(elapsed "$s_done" "$t1")"
    add k "$(elapsed "$t1" "$t2")"
    add t "$(elapsed "$t0" "$t2")"
  fi
  if [ -s "$work/noop$i.out" ]; then
    read -r n0 n1 <"$work/noop$i.times"
    first=$(head -n 1 "$work/noop$i.out" | cut -f1)
    comp=$(stamp "$work/noop$i.out" '"type":"docker-host:index:DockerHost"')
    add na "$(elapsed "$n0" "$first")"
    add nb "$(elapsed "$first" "$comp")"
    add nc "$(elapsed "$comp" "$n1")"
    add nt "$(elapsed "$n0" "$n1")"
  fi
  mo="$work/machine$i/create.out"
  if [ -s "$mo" ] && [ -s "$work/machine$i/stamps" ]; then
    read -r m0 m1 m2 <"$work/machine$i/stamps"
    ms_pre=$(stamp "$mo" 'Running pre-create checks')
    ms_prov=$(stamp "$mo" '^Provisioning with')
    ms_base=$(stamp "$mo" '^installing base packages')
    ms_curl=$(stamp "$mo" 'About to run SSH command: .*apt-get install -y +curl')
    ms_inst=$(stamp "$mo" '^Installing Docker from')
    ms_wait=$(stamp "$mo" '^waiting for docker daemon')
    ms_reload=$(stamp "$mo" 'About to run SSH command: .sudo systemctl daemon-reload')
    ms_check=$(stamp "$mo" '^Checking connection to Docker')
    add ma "$(elapsed "$m0" "$ms_pre")"
    add mb "$(elapsed "$ms_pre" "$ms_prov")"
    add mc "$(elapsed "$ms_prov" "$ms_base")"
    add md "$(elapsed "$ms_base" "$ms_inst")"
    add mda "$(elapsed "$ms_base" "$ms_curl")"
    add mdb "$(elapsed "$ms_curl" "$ms_inst")"
    add me "$(elapsed "$ms_inst" "$ms_wait")"
    # inside the install script: its own stamps (bench/machine-install.sh)
    iph() { sed -n "s/.*machine-install: phase $1 \([0-9.]*\).*/\1/p" "$mo" | head -n 1; }
    ip0=$(iph start)
    ip1=$(iph apt_update)
    ip2=$(iph apt_install)
    if [ -n "$ip2" ]; then
      add mea "$(elapsed "$ms_inst" "$ip0")"
      add meb "$(elapsed "$ip0" "$ip1")"
      add mec "$(elapsed "$ip1" "$ip2")"
      add med "$(elapsed "$ip2" "$ms_wait")"
    fi
    add mf "$(elapsed "$ms_wait" "$ms_reload")"
    add mg "$(elapsed "$ms_reload" "$ms_check")"
    add mh "$(elapsed "$ms_check" "$m1")"
    add mi "$(elapsed "$m1" "$m2")"
    add mt "$(elapsed "$m0" "$m2")"
    mtotal=$(elapsed "$m0" "$m2")
    # Every SSH command: a new ssh process and connection; from "About to run" to its output.
    read -r nssh napt tapt noth toth < <(awk -F'\t' '
      $2 ~ /^About to run SSH command: / { s = $1; apt = ($2 ~ /\[sudo apt-get update\]|apt-get install -y +curl|install\.sh/); n++; next }
      $2 ~ /^SSH cmd (output|err)/ && s != "" { d = $1 - s; s = ""; if (apt) { na++; ta += d } else { no++; to += d } }
      END { printf "%d %d %.1f %d %.1f\n", n, na, ta, no, to }' "$mo")
    add mn "$nssh"
    add mna "$napt"
    add mta "$tapt"
    add mno "$noth"
    add mto "$toth"
    add mown "$(awk -v t="$mtotal" -v a="$tapt" 'BEGIN { printf "%.1f", t - a }')"
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
    add fown "$(awk -v t="$ft" -v a="$ps" -v i="$pi" 'BEGIN { printf "%.1f", t - (i - a) }')"
  fi
done
m() { # shellcheck disable=SC2086
  if [ -n "${P[$1]:-}" ]; then median ${P[$1]}; else printf -- '-'; fi
}
if [ -n "${P[t]:-}" ]; then
  printf '  %s\n' "T_dockerhost: pulumi up of examples/existing-host, then the first TLS answer"
  printf '    %-76s %6s s\n' \
    "CLI start, engine, plugins, language host up (to the Stack resource)" "$(m a)" \
    "program load: node + ts-node + SDK modules (Stack to the DockerHost component)" "$(m b)" \
    "component + TLS resources until the wait step starts" "$(m c)" \
    "wait step (SSH connect, OS checks)" "$(m d)" \
    "between wait and install (engine scheduling)" "$(m e)" \
    "install step (apt-get update + install docker.io)" "$(m f)" \
    "  ssh connect, checks, until it logs 'installing'" "$(m fa1)" \
    "  apt-get update (to apt-get install's first line)" "$(m fa2)" \
    "  apt-get install docker.io, enable, to the step's end" "$(m fa3)" \
    "between install and configure" "$(m g)" \
    "configure step (files, daemon-reload, restart, TLS self-check)" "$(m h)" \
    "program end (outputs registered)" "$(m i)" \
    "engine shutdown, state write, CLI exit" "$(m j)" \
    "stack output + docker --tlsverify version from here" "$(m k)" \
    "total" "$(m t)"
fi
if [ -n "${P[ft]:-}" ]; then
  printf '  %s\n' "T_floor: one ssh session by hand"
  printf '    %-76s %6s s\n' \
    "openssl: CA, server and client certificates" "$(m fa)" \
    "ssh connect + transfer + exit (session minus the remote phases)" "$(m fb)" \
    "apt-get update" "$(m fc)" \
    "apt-get install docker.io" "$(m fd)" \
    "files, drop-in, daemon-reload, restart" "$(m fe)" \
    "first docker --tlsverify version from here" "$(m ff)" \
    "total" "$(m ft)"
fi
if [ -n "${P[mt]:-}" ]; then
  printf '  %s\n' "T_machine: docker-machine create --driver generic (phases from its --debug log), then the first TLS answer"
  printf '    %-76s %6s s\n' \
    "CLI start, driver plugin server, local CA + client certificate" "$(m ma)" \
    "SSH up (exit 0), OS detection (cat /etc/os-release)" "$(m mb)" \
    "storage driver, sudo check, hostname, /etc/hosts (4 SSH commands)" "$(m mc)" \
    "base packages: apt-get update + apt-get install curl" "$(m md)" \
    "  sudo apt-get update" "$(m mda)" \
    "  apt-get install -y curl (installed already: a no-op)" "$(m mdb)" \
    "install script: curl | sh (apt-get update + install docker.io)" "$(m me)" \
    "  ssh + curl of the script, until it starts" "$(m mea)" \
    "  apt-get update (the lists were fetched a moment ago: base packages)" "$(m meb)" \
    "  apt-get install docker.io" "$(m mec)" \
    "  symlink /usr/bin/dockerd, script and ssh exit" "$(m med)" \
    "docker version, stop, docker0, 3 cert uploads, docker --version, drop-in" "$(m mf)" \
    "daemon-reload, restart, port check (ss -tln), systemctl enable" "$(m mg)" \
    "its TLS check, driver plugin shutdown, exit" "$(m mh)" \
    "docker-machine env + docker --tlsverify version from here" "$(m mi)" \
    "total" "$(m mt)"
  printf '    %-76s %6s\n' \
    "SSH commands run (each a new ssh process, connection and login)" "$(m mn | sed 's/\.0$//')" \
    "  of which apt-get update / install curl / the install script" "$(m mna | sed 's/\.0$//')"
  printf '    %-76s %6s s\n' \
    "  time in those apt commands" "$(m mta)" \
    "  time in the other commands" "$(m mto)"
fi
if [ -n "${P[nt]:-}" ]; then
  printf '  %s\n' "T_noop: second pulumi up, no change"
  printf '    %-76s %6s s\n' \
    "CLI start, engine, plugins, language host up (to the first engine event)" "$(m na)" \
    "program load (first event to the DockerHost component)" "$(m nb)" \
    "the rest: every step same, state write, CLI exit" "$(m nc)" \
    "total" "$(m nt)"
fi
# The headline: each tool's own cost around the same apt work (its total minus apt-get update and install), the
# figure that does not depend on the mirror, with every run.
runs() { printf '%s' "${P[$1]:-}" | tr ' ' '\n' | sed '/^$/d' | paste -sd' ' -; }
if [ -n "${P[own]:-}${P[fown]:-}${P[mown]:-}" ]; then
  printf '  %s\n' "Around the apt work: each tool's own cost (total minus apt-get update and apt-get install), median [runs]"
  for k in fown:"by hand (T_floor)" own:"DockerHost (T_dockerhost)" mown:"Docker Machine (T_machine; minus its apt commands)"; do
    [ -z "${P[${k%%:*}]:-}" ] || printf '    %-76s %6s s  [%s]\n' "${k#*:}" "$(m "${k%%:*}")" "$(runs "${k%%:*}")"
  done
fi

