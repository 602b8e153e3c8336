#!/usr/bin/env bash
# Local stand-in for a fresh cloud VM: a Debian 12 systemd machine booted with
# systemd-nspawn on its own veth + /24, reachable over SSH with pinned keys.
#   sandbox.sh up [NAME]      boot one; prints sandbox.json on stdout when sshd answers
#   sandbox.sh up NAME --seed DIR
#                             boot the cloud-init variant of the image with a NoCloud seed (DIR/user-data,
#                             DIR/meta-data; DIR/image/ is copied over the root first: what a cloud's image
#                             carries, e.g. its default user); prints sandbox.json at once, like a cloud API
#                             that reports a VM still booting: cloud-init decides the host keys and the logins
#   sandbox.sh up NAME --survive-reboot
#                             like `up`, but a reboot inside the guest (`systemctl reboot`: nspawn exits 133) boots
#                             it again from the same root (disk, host keys) on the same address, as a VM would
#   sandbox.sh down NAME|--all
#   sandbox.sh status NAME    "running"/"stopped" + JSON
#   sandbox.sh list
# Env: DOCKERHOST_CACHE (default /var/cache/docker-host) holds the rootfs tarballs
#      (and apt-archives/ when DOCKERHOST_SANDBOX_APT_CACHE=1); state is in
#      DOCKERHOST_SANDBOX_STATE (default /run/docker-host-sandbox).
# Must run as root. See /work/shared/reference/offline-toolchain.md section 9.
set -euo pipefail

CACHE=${DOCKERHOST_CACHE:-/var/cache/docker-host}
STATE=${DOCKERHOST_SANDBOX_STATE:-/run/docker-host-sandbox}
APT_CACHE=${DOCKERHOST_SANDBOX_APT_CACHE:-0}
MIRROR=http://deb.debian.org/debian
RECIPE=1 # bump when customize_rootfs changes (cache key = this + packages + scripts/sandbox/*)
PACKAGES=systemd,systemd-sysv,dbus,openssh-server,iproute2,iputils-ping,netbase,ca-certificates,curl,gnupg,sudo,procps,less
# The cloud-init variant (--seed): the base image plus Debian's cloud-init, built once from it and cached beside
# it, keyed by the base image, these packages and CLOUDINIT_RECIPE. `locales`: cloud images carry it, and
# cloud-init's locale module fails the config stage without it (update-locale, locale-gen), before any user part.
# --no-install-recommends: no growpart, gdisk, eatmydata (a container has no disk to grow).
CLOUDINIT_RECIPE=1 # bump when customize_cloudinit changes
CLOUDINIT_PACKAGES="cloud-init locales"
TAG="docker-host-sandbox"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

log() { printf '[sandbox] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
# nspawn names the host side "ve-NAME" and shortens names over 15 chars with a hash
# (ve-averyverUARo), so NAME is kept to 12 chars: the interface is then ve-NAME.
check_name() { [[ $1 =~ ^[a-z0-9][a-z0-9-]{0,11}$ ]] || die "NAME must match [a-z0-9][a-z0-9-]{0,11}"; }

ensure_tools() {
  local missing=() t
  for t in debootstrap:debootstrap systemd-nspawn:systemd-container iptables:iptables \
    ssh-keygen:openssh-client jq:jq ip:iproute2 sysctl:procps; do
    command -v "${t%%:*}" >/dev/null || missing+=("${t#*:}")
  done
  ((${#missing[@]} == 0)) && return
  log "installing ${missing[*]}"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
}

rootfs_tar() {
  local key
  key=$(cat <(printf '%s\n' "$RECIPE" "$PACKAGES" "$MIRROR") "$HERE"/sandbox/sandbox-cgroup-rw* | sha256sum | cut -c1-12)
  echo "$CACHE/rootfs/debian12-$key.tar"
}

# Build the cached rootfs once (under a lock so parallel `up`s build it once).
ensure_rootfs() {
  local tar tmp fd
  tar=$(rootfs_tar)
  mkdir -p "$CACHE/rootfs"
  exec {fd}>"$CACHE/rootfs/.lock"
  flock "$fd"
  if [[ ! -s $tar ]]; then
    log "building $tar (debootstrap, ~1-2 min)"
    tmp=$(mktemp -d "$CACHE/rootfs/.build.XXXXXX")
    # shellcheck disable=SC2064 # expand now: the path is local
    trap "umount_under '$tmp'; rm -rf --one-file-system '$tmp'" EXIT # debootstrap may leave /proc mounted
    debootstrap --variant=minbase --include="$PACKAGES" bookworm "$tmp/root" "$MIRROR" >"$tmp/debootstrap.log" 2>&1 ||
      { tail -20 "$tmp/debootstrap.log" >&2; die "debootstrap failed"; }
    customize_rootfs "$tmp/root"
    tar -C "$tmp/root" --numeric-owner --xattrs --xattrs-include='*' -cpf "$tmp/rootfs.tar" .
    mv "$tmp/rootfs.tar" "$tar" # atomic: same filesystem
    rm -rf --one-file-system "$tmp"
    trap - EXIT
  fi
  exec {fd}>&-
}

cloudinit_tar() {
  local base key
  base=$(rootfs_tar)
  key=$(printf '%s\n' "$(basename "$base")" "$CLOUDINIT_RECIPE" "$CLOUDINIT_PACKAGES" | sha256sum | cut -c1-12)
  echo "$CACHE/rootfs/debian12-cloudinit-$key.tar"
}

# The cloud-init variant, built once from the base image (same lock, same atomic rename).
ensure_cloudinit_rootfs() {
  local tar tmp fd
  ensure_rootfs
  tar=$(cloudinit_tar)
  exec {fd}>"$CACHE/rootfs/.lock"
  flock "$fd"
  if [[ ! -s $tar ]]; then
    log "building $tar (apt-get install $CLOUDINIT_PACKAGES, ~1 min)"
    tmp=$(mktemp -d "$CACHE/rootfs/.build.XXXXXX")
    # On failure (errexit), apt's last lines say why.
    # shellcheck disable=SC2064 # expand now: the path is local
    trap "tail -n 20 '$tmp/build.log' >&2 2>/dev/null || true; log 'error: building the cloud-init image failed';
      umount_under '$tmp'; rm -rf --one-file-system '$tmp'" EXIT
    mkdir "$tmp/root"
    tar -C "$tmp/root" --numeric-owner --xattrs --xattrs-include='*' -xpf "$(rootfs_tar)"
    customize_cloudinit "$tmp/root" >"$tmp/build.log" 2>&1 # not in a condition: errexit stops it at a failure
    umount_under "$tmp"
    tar -C "$tmp/root" --numeric-owner --xattrs --xattrs-include='*' -cpf "$tmp/rootfs.tar" .
    mv "$tmp/rootfs.tar" "$tar"
    rm -rf --one-file-system "$tmp"
    trap - EXIT
  fi
  exec {fd}>&-
}

customize_cloudinit() {
  local r=$1
  mount -t proc proc "$r/proc"
  mount --rbind /dev "$r/dev"
  grep '^nameserver' /etc/resolv.conf >"$r/etc/resolv.conf"
  printf '#!/bin/sh\nexit 101\n' >"$r/usr/sbin/policy-rc.d" # start no service in the chroot
  chmod 0755 "$r/usr/sbin/policy-rc.d"
  chroot "$r" apt-get update -q
  # shellcheck disable=SC2086 # word-split the package list
  DEBIAN_FRONTEND=noninteractive chroot "$r" apt-get install -y -q --no-install-recommends $CLOUDINIT_PACKAGES
  # cloud-init's locale module sets LANG=en_US.UTF-8 (its default) through locale-gen and update-locale; Debian's
  # locale-gen builds only what /etc/locale.gen lists, and minbase lists nothing, so update-locale refused it.
  sed -i 's/^# *\(en_US.UTF-8 UTF-8\)/\1/' "$r/etc/locale.gen"
  chroot "$r" locale-gen
  chroot "$r" apt-get clean
  rm -rf "$r"/var/lib/apt/lists/* "$r/usr/sbin/policy-rc.d"
  : >"$r/etc/resolv.conf"
  # nspawn has no kernel command line to say ds=nocloud, so cloud-init's generator (ds-identify) must find the
  # datasource by itself: NoCloud alone, read from /var/lib/cloud/seed/nocloud/ (written by `up --seed`).
  # The network is configured from this machine (`up`), as for every sandbox: cloud-init renders none (Debian's
  # minbase has neither ifupdown nor netplan, so it could not anyway).
  cat >"$r/etc/cloud/cloud.cfg.d/05_docker-host-sandbox.cfg" <<'EOF'
# docker-host sandbox: the NoCloud seed in /var/lib/cloud/seed/nocloud/ is the only datasource.
datasource_list: [ NoCloud ]
network: {config: disabled}
EOF
  rm -rf "$r"/var/lib/cloud/instance* "$r"/var/lib/cloud/instances/* "$r"/var/log/cloud-init*.log
}

# What every boot of the image needs, but nothing per-sandbox (that is done in `up`).
customize_rootfs() {
  local r=$1
  # Like a cloud image: no per-machine identity baked in, sources with updates + security.
  rm -f "$r"/etc/ssh/ssh_host_*
  : >"$r/etc/machine-id"
  cat >"$r/etc/apt/sources.list" <<EOF
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb ${MIRROR}-security bookworm-security main
EOF
  chroot "$r" apt-get clean
  rm -rf "$r"/var/lib/apt/lists/*
  # nspawn mounts the cgroup v1 controllers read-only, so docker run fails with
  # "mkdir /sys/fs/cgroup/cpuset/docker: read-only file system". A oneshot unit
  # remounts them rw at every boot, before docker/containerd start.
  install -m 0755 "$HERE/sandbox/sandbox-cgroup-rw" "$r/usr/local/sbin/"
  install -m 0644 "$HERE/sandbox/sandbox-cgroup-rw.service" "$r/etc/systemd/system/"
  chroot "$r" systemctl enable sandbox-cgroup-rw.service >/dev/null 2>&1
}

# Unmount (lazily, deepest first) whatever is still mounted below $1.
umount_under() {
  local m
  awk -v p="$1/" 'index($2, p) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do
    umount -l "$m" || true
  done
}

# "starttime" of a PID (field 22 of /proc/PID/stat): guards against PID reuse.
starttime() {
  local s f
  s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  read -ra f <<<"${s##*) }"
  echo "${f[19]}"
}

ours_running() { # dir -> true if the recorded nspawn PID is alive and still the same process
  local pid
  pid=$(cat "$1/pid" 2>/dev/null) || return 1
  [[ -n $pid && $(starttime "$pid") == "$(cat "$1/pid.start")" ]]
}

# Move the calling (sub)shell into a fresh per-sandbox cgroup in every hierarchy.
# Without this, nspawn (host has no systemd, we sit in the root cgroup) creates
# /payload and /supervisor at the root of name=systemd/unified and guest docker
# creates /docker at the root of cpuset/cpu/...: sandboxes would share them and
# leave them behind. Inside the guest's cgroup namespace this dir is "/".
cg_enter() {
  local dir=$1 name=$2 line ctrl path mnt cg lines
  mapfile -t lines </proc/self/cgroup # read it all first: it changes as we move
  for line in "${lines[@]}"; do
    ctrl=${line#*:}; ctrl=${ctrl%%:*}; path=${line#*:*:}
    case $ctrl in
      "") mnt=/sys/fs/cgroup/unified; [[ -d $mnt ]] || mnt=/sys/fs/cgroup ;;
      *) mnt=/sys/fs/cgroup/${ctrl#name=} ;;
    esac
    cg="$mnt${path%/}/$TAG-$name"
    [[ -d $mnt ]] || continue
    mkdir -p "$cg"
    echo "$cg" >>"$dir/cgroups"
    if [[ -f $cg/cpuset.cpus ]]; then # cpuset needs cpus/mems before tasks can join
      cat "$mnt${path%/}/cpuset.cpus" >"$cg/cpuset.cpus"
      cat "$mnt${path%/}/cpuset.mems" >"$cg/cpuset.mems"
    fi
    echo "$BASHPID" >"$cg/cgroup.procs"
  done
}

# The systemd-nspawn command line of one boot of sandbox $1, in the global array NSPAWN.
# setsid is the caller's: Ctrl-C on our terminal must not hit nspawn directly (the trap cleans up).
# --register=no --keep-unit: the host has no systemd/machined as PID 1.
# --capability=all + keyring/bpf syscalls: docker/runc need them inside.
# No SYSTEMD_NSPAWN_API_VFS_WRITABLE=1: docker works without it, and with it the
# guest's systemd-sysctl writes the host's kernel settings (/proc/sys is shared).
nspawn_cmd() {
  NSPAWN=(systemd-nspawn --quiet --register=no --keep-unit
    --capability=all --system-call-filter='@keyring bpf' --network-veth --resolv-conf=off
    --console=read-only --machine="$1" -D "$STATE/$1/rootfs")
  if [[ $APT_CACHE == 1 ]]; then # share downloaded .debs between sandboxes (lists stay per guest)
    mkdir -p "$CACHE/apt-archives/partial"
    NSPAWN+=(--bind="$CACHE/apt-archives:/var/cache/apt/archives")
  fi
  NSPAWN+=(-b)
}

# Wait until the container of nspawn PID $1 (sandbox $2, index $3) has its init and both ends of its veth pair,
# then give them the sandbox's addresses. Addresses are set from the host: no DHCP/networkd needed in the guest.
# Fails when nspawn exits first or nothing appears within 20 s.
plumb() {
  local nspawn=$1 name=$2 sub=10.77.$3 iface=ve-$2 init i
  for ((i = 0; i < 100; i++)); do # the container's init becomes nspawn's child
    kill -0 "$nspawn" 2>/dev/null || return 1
    init=$(cat "/proc/$nspawn/task/$nspawn/children" 2>/dev/null || true)
    init=${init%% *}
    [[ -n $init && $(readlink "/proc/$init/ns/net") != "$(readlink /proc/self/ns/net)" ]] &&
      nsenter -t "$init" -n ip link show host0 >/dev/null 2>&1 && ip link show "$iface" >/dev/null 2>&1 && break
    sleep 0.2
  done
  ((i < 100)) || return 1
  ip addr replace "$sub.1/24" dev "$iface"
  ip link set "$iface" up
  nsenter -t "$init" -n sh -c "ip addr add $sub.2/24 dev host0 && ip link set host0 up && ip route add default via $sub.1"
}

# The loop behind `up --survive-reboot` (run as `sandbox.sh _supervise NAME`, its PID recorded as the sandbox's):
# systemd-nspawn exits with 133 when the guest reboots, and a VM would come back, so boot the same root again
# (same disk, host keys, machine-id) and give the new veth pair the same addresses; the NAT rules match the
# interface by name and stay. Any other exit (a halt, `down`'s SIGTERM, which is passed on) ends the sandbox.
# $STATE/NAME/boots counts the boots whose network is up.
cmd_supervise() {
  local name=$1 dir=$STATE/$1 idx child="" rc stop=0 boots=0 i
  idx=$(cat "$dir/index")
  trap 'stop=1; [[ -z $child ]] || kill -TERM "$child" 2>/dev/null || true' TERM INT
  nspawn_cmd "$name"
  for (( ; ; )); do
    "${NSPAWN[@]}" &
    child=$!
    if plumb "$child" "$name" "$idx"; then
      boots=$((boots + 1))
      echo "$boots" >"$dir/boots"
    else
      log "the network of $name did not appear"
    fi
    rc=0
    wait "$child" || rc=$?
    while kill -0 "$child" 2>/dev/null; do # a trapped signal ends `wait` early: wait for nspawn itself
      rc=0
      wait "$child" || rc=$?
    done
    child=""
    ((rc == 133 && stop == 0)) || exit "$rc"
    log "$name rebooted (nspawn exit 133): booting it again"
    # The kernel tears the old network namespace (and its veth pair) down asynchronously: the new nspawn must
    # not find ve-NAME still there.
    for ((i = 0; i < 50; i++)); do ip link show "ve-$name" >/dev/null 2>&1 || break; sleep 0.2; done
    ip link del "ve-$name" 2>/dev/null || true
  done
}

cmd_up() {
  local name="" seed="" survive=0 idx fd dir root pid ip sub iface hostkey hostkeys i image
  while (($# > 0)); do
    case $1 in
      --seed) seed=${2:-}; shift 2 || die "--seed needs a directory" ;;
      --survive-reboot) survive=1; shift ;;
      -*) die "unknown option $1" ;;
      *) name=$1; shift ;;
    esac
  done
  if [[ -n $seed ]]; then
    [[ -f $seed/user-data && -f $seed/meta-data ]] || die "--seed $seed: needs user-data and meta-data"
    [[ -n $name ]] || die "--seed needs a NAME"
    ((survive == 0)) || die "--seed and --survive-reboot do not go together"
  fi
  ensure_tools
  if [[ -n $seed ]]; then image=$(cloudinit_tar); ensure_cloudinit_rootfs; else image=$(rootfs_tar); ensure_rootfs; fi
  mkdir -p "$STATE"
  # Allocate index + name under a lock so parallel `up`s never collide.
  exec {fd}>"$STATE/.lock"
  flock "$fd"
  for ((idx = 1; idx < 255; idx++)); do
    grep -qsx "$idx" "$STATE"/*/index || break
  done
  ((idx < 255)) || die "no free sandbox index"
  name=${name:-dhsb$idx}
  check_name "$name"
  dir=$STATE/$name
  [[ ! -e $dir ]] || die "sandbox $name already exists (down it first)"
  mkdir -p "$dir"
  echo "$idx" >"$dir/index"
  exec {fd}>&-
  UP_NAME=$name # global: the trap runs after this function's locals are gone
  trap '[[ -z ${UP_NAME:-} ]] || { log "up failed, cleaning up $UP_NAME"; cmd_down "$UP_NAME" || true; }' EXIT

  root=$dir/rootfs sub=10.77.$idx ip=10.77.$idx.2 iface=ve-$name
  log "extracting rootfs for $name"
  mkdir "$root"
  tar -C "$root" --numeric-owner --xattrs --xattrs-include='*' -xpf "$image"

  # Per-machine identity, created before boot so the host key can be pinned.
  echo "$name" >"$root/etc/hostname"
  printf '127.0.0.1 localhost\n127.0.1.1 %s\n::1 localhost ip6-localhost ip6-loopback\n' "$name" >"$root/etc/hosts"
  grep '^nameserver' /etc/resolv.conf >"$root/etc/resolv.conf" # guest DNS = host's nameserver, via NAT
  ssh-keygen -q -t ed25519 -N '' -C "root@$name" -f "$root/etc/ssh/ssh_host_ed25519_key"
  ssh-keygen -q -A -f "$root" >/dev/null # the other host key types, like a fresh VM
  if [[ -n $seed ]]; then
    # A cloud VM: the image's files, then the seed cloud-init reads at first boot. No login is installed here:
    # cloud-init creates the users and installs the keys the meta-data hands over (and, with DockerHost's user
    # data, replaces the host keys generated above).
    [[ ! -d $seed/image ]] || cp -a "$seed/image/." "$root/"
    install -d -m 0700 "$root/var/lib/cloud/seed/nocloud"
    install -m 0600 "$seed/user-data" "$seed/meta-data" "$root/var/lib/cloud/seed/nocloud/"
  else
    ssh-keygen -q -t ed25519 -N '' -C "$TAG:$name" -f "$dir/id_ed25519"
    chmod 0600 "$dir/id_ed25519"
    install -d -m 0700 "$root/root/.ssh"
    install -m 0600 "$dir/id_ed25519.pub" "$root/root/.ssh/authorized_keys"
  fi
  hostkey=$(cut -d' ' -f1,2 "$root/etc/ssh/ssh_host_ed25519_key.pub")
  # All host keys too: a client that prefers ECDSA/RSA (e.g. Go's x/crypto/ssh)
  # must either restrict its host key algorithms to ssh-ed25519 or pin these.
  hostkeys=$(cat "$root/etc/ssh/ssh_host_ed25519_key.pub" "$root"/etc/ssh/ssh_host_{ecdsa,rsa}_key.pub | cut -d' ' -f1,2)
  echo "$ip $hostkey" >"$dir/known_hosts"

  log "booting $name ($ip)"
  if ((survive == 1)); then
    # The supervisor boots the guest and sets up its network, again after every reboot; it says so in boots.
    (
      cg_enter "$dir" "$name"
      exec setsid bash "$HERE/$(basename "${BASH_SOURCE[0]}")" _supervise "$name"
    ) </dev/null >"$dir/console.log" 2>&1 &
    pid=$!
    echo "$pid" >"$dir/pid"
    for ((i = 0; i < 150; i++)); do
      starttime "$pid" >"$dir/pid.start" || die "nspawn exited: $(tail -5 "$dir/console.log")"
      [[ -s $dir/boots ]] && break
      sleep 0.2
    done
    ((i < 150)) || die "container network did not appear: $(tail -5 "$dir/console.log")"
  else
    nspawn_cmd "$name"
    (
      cg_enter "$dir" "$name"
      exec setsid "${NSPAWN[@]}"
    ) </dev/null >"$dir/console.log" 2>&1 &
    pid=$!
    echo "$pid" >"$dir/pid"
    starttime "$pid" >"$dir/pid.start" || die "nspawn exited: $(tail -5 "$dir/console.log")"
    plumb "$pid" "$name" "$idx" || die "container network did not appear: $(tail -5 "$dir/console.log")"
  fi

  # NAT so the guest reaches the Debian mirror; rules carry a comment so `down` finds exactly them.
  sysctl -qw net.ipv4.ip_forward=1
  local c=(-m comment --comment "$TAG:$name")
  iptables -t nat -A POSTROUTING -s "$sub.0/24" ! -d 10.77.0.0/16 ! -o "$iface" "${c[@]}" -j MASQUERADE
  iptables -I FORWARD -i "$iface" "${c[@]}" -j ACCEPT
  iptables -I FORWARD -o "$iface" -m conntrack --ctstate RELATED,ESTABLISHED "${c[@]}" -j ACCEPT

  if [[ -n $seed ]]; then
    jq -n --arg name "$name" --arg host "$ip" --argjson pid "$pid" --arg subnet "$sub.0/24" --arg iface "$iface" \
      --arg console "$dir/console.log" \
      '{name: $name, host: $host, port: 22, pid: $pid, subnet: $subnet, iface: $iface, console: $console,
        seeded: true}' >"$dir/sandbox.json"
    UP_NAME=
    trap - EXIT
    log "$name is booting with cloud-init ($ip)"
    cat "$dir/sandbox.json"
    return 0
  fi
  # pid: nspawn's, or with --survive-reboot the supervisor's (nspawn is then its child, a new one every boot).
  jq -n --arg name "$name" --arg host "$ip" --arg key "$dir/id_ed25519" --arg hostKey "$hostkey" \
    --arg hostKeys "$hostkeys" --argjson pid "$pid" --arg subnet "$sub.0/24" --arg iface "$iface" \
    --argjson survive "$survive" \
    '{name: $name, host: $host, port: 22, user: "root", privateKeyPath: $key, hostKey: $hostKey,
      hostKeys: ($hostKeys | split("\n")), pid: $pid, subnet: $subnet, iface: $iface,
      survivesReboot: ($survive == 1)}' >"$dir/sandbox.json"

  log "waiting for sshd on $ip"
  for ((i = 0; i < 60; i++)); do
    ours_running "$dir" || die "nspawn exited: $(tail -5 "$dir/console.log")"
    ssh -q -F none -i "$dir/id_ed25519" -o BatchMode=yes -o StrictHostKeyChecking=yes -o ConnectTimeout=2 \
      -o UserKnownHostsFile="$dir/known_hosts" "root@$ip" true </dev/null && break
    sleep 1
  done
  ((i < 60)) || die "sshd on $ip did not answer within 60 s"
  UP_NAME=
  trap - EXIT
  log "$name is up: ssh -i $dir/id_ed25519 -o UserKnownHostsFile=$dir/known_hosts root@$ip"
  cat "$dir/sandbox.json"
}

cmd_down() {
  local name=${1:-} dir pid init i t line cg p args
  [[ -n $name ]] || die "usage: down NAME|--all"
  if [[ $name == --all ]]; then
    for dir in "$STATE"/*/; do [[ -f $dir/index ]] && cmd_down "$(basename "$dir")"; done
    return 0
  fi
  check_name "$name"
  dir=$STATE/$name
  [[ -f $dir/index ]] || die "no sandbox $name"
  log "stopping $name"
  if ours_running "$dir"; then
    pid=$(cat "$dir/pid")
    kill -TERM "$pid" 2>/dev/null || true # nspawn asks the guest's systemd to halt cleanly
    for ((i = 0; i < 100; i++)); do ours_running "$dir" || break; sleep 0.2; done
    if ours_running "$dir"; then # SIGKILL the guest's init: that kills its whole PID namespace
      init=$(cat "/proc/$pid/task/$pid/children" 2>/dev/null || true)
      [[ -z $init ]] || kill -KILL "${init%% *}" 2>/dev/null || true
      kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do ours_running "$dir" || break; sleep 0.2; done
    fi
  fi
  # Anything still in our cgroups was started by us; then remove the cgroups.
  if [[ -f $dir/cgroups ]]; then
    while read -r cg; do
      [[ -d $cg ]] || continue
      for ((i = 0; i < 20; i++)); do
        p=$(find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null || true)
        [[ -z $p ]] && break
        # shellcheck disable=SC2086 # word-split the PID list
        kill -KILL $p 2>/dev/null || true
        sleep 0.2
      done
      find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null || true
    done <"$dir/cgroups"
  fi
  ip link del "ve-$name" 2>/dev/null || true
  for t in nat filter; do # delete exactly the rules tagged with our comment
    { iptables -t "$t" -S | grep -E -- "--comment \"?$TAG:$name\"? " || true; } | while read -r line; do
      line=${line//\"/} # -S quotes the comment; it has no spaces, so drop the quotes
      read -ra args <<<"${line/#-A /-D }"
      iptables -t "$t" "${args[@]}" || true
    done
  done
  umount_under "$dir"
  umount_under "/run/systemd/nspawn/propagate/$name"
  rm -rf --one-file-system "/run/systemd/nspawn/propagate/$name" "$dir"
  log "$name removed"
}

cmd_status() {
  check_name "${1:-}"
  local dir=$STATE/$1
  [[ -f $dir/index ]] || die "no sandbox $1"
  if ours_running "$dir"; then echo running; else echo stopped; fi
  cat "$dir/sandbox.json" 2>/dev/null || true
  ours_running "$dir"
}

cmd_list() {
  local dir st
  for dir in "$STATE"/*/; do
    [[ -f $dir/index ]] || continue
    st=stopped; ours_running "$dir" && st=running
    printf '%s\t%s\t%s\n' "$(basename "$dir")" "$st" "$(jq -r '.host // "-"' "$dir/sandbox.json" 2>/dev/null || echo -)"
  done
}

# Allow `source scripts/sandbox.sh` for the functions alone.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  ((EUID == 0)) || die "must run as root"
  trap 'exit 130' INT TERM # so EXIT traps (cleanup) run on Ctrl-C
  cmd=${1:-}
  shift || true
  case $cmd in
    up | down | status | list) "cmd_$cmd" "$@" ;;
    _supervise) cmd_supervise "$@" ;; # internal: the loop behind `up --survive-reboot`
    *) sed -n '2,19s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
  esac
fi
