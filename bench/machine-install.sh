#!/bin/sh
# The install script T_machine's `docker-machine create --engine-install-url` fetches (served by bench/machine.sh on
# the sandbox's gateway address; docker-machine runs `curl -sSL URL | sh -` as the SSH user, root here). It installs
# the engine from the same source as T_floor and DockerHost's Distro method: Debian's docker.io from the mirror.
# The "machine-install: phase" lines (the sandbox's clock is this machine's) end up in create's --debug log.
set -e
export DEBIAN_FRONTEND=noninteractive
echo "machine-install: phase start $(date +%s.%N)"
apt-get -y -q update
echo "machine-install: phase apt_update $(date +%s.%N)"
apt-get -y -q install --no-install-recommends docker.io
echo "machine-install: phase apt_install $(date +%s.%N)"
# docker-machine's systemd drop-in runs /usr/bin/dockerd (where get.docker.com's docker-ce puts it); Debian's
# docker.io has it in /usr/sbin.
[ -e /usr/bin/dockerd ] || ln -s /usr/sbin/dockerd /usr/bin/dockerd
