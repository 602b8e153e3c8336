# shellcheck shell=bash
# Step 2, install: Docker Engine by the chosen method, at the pinned version when one is given. Installs only what
# is missing or at the wrong version; never upgrades the OS, never changes the hostname or the storage driver.
: "${DH_INSTALL_METHOD:?}" "${DH_ENGINE_VERSION?}" "${DH_INSTALL_SCRIPT_URL?}"

# shellcheck disable=SC1091
. /etc/os-release

# The newest version of PACKAGE in the apt sources that satisfies the pin, e.g. "5:27.5.1-1~ubuntu.24.04~noble".
candidate_version() {
  local package=$1 pin=$2 v
  for v in $(apt-cache madison "$package" | awk -F'|' '{gsub(/ /, "", $2); print $2}'); do
    if version_matches "${v#*:}" "$pin"; then
      echo "$v"
      return 0
    fi
  done
  fail "engine.version $pin is not available from the $DH_INSTALL_METHOD source for $package; available: $(apt-cache madison "$package" | awk -F'|' '{gsub(/ /, "", $2); printf "%s ", $2}')"
}

# Install PACKAGES, held at the pinned version when there is one (hold stops unattended upgrades moving them).
install_held() {
  local main=$1
  shift
  apt-mark unhold "$main" "$@" >/dev/null 2>&1 || true
  if [ -n "$DH_ENGINE_VERSION" ]; then
    local v
    v=$(candidate_version "$main" "$DH_ENGINE_VERSION")
    local specs=("$main=$v")
    local p
    for p in "$@"; do
      if [ "$p" = docker-ce-cli ]; then specs+=("$p=$v"); else specs+=("$p"); fi
    done
    apt_install --allow-downgrades --no-install-recommends "${specs[@]}"
    apt-mark hold "$main" "$@" >/dev/null
  else
    apt_install --no-install-recommends "$main" "$@"
  fi
}

install_distro() {
  apt_update
  install_held docker.io
}

install_docker_repo() {
  apt_update
  apt_install --no-install-recommends ca-certificates curl
  install -m 0755 -d /etc/apt/keyrings
  phase "downloading Docker's apt key from download.docker.com"
  curl -fsSL --retry 3 "https://download.docker.com/linux/${ID}/gpg" -o /etc/apt/keyrings/docker.asc.new
  mv /etc/apt/keyrings/docker.asc.new /etc/apt/keyrings/docker.asc
  chmod a+r /etc/apt/keyrings/docker.asc
  cat >/etc/apt/sources.list.d/docker.sources <<SOURCES
Types: deb
URIs: https://download.docker.com/linux/${ID}
Suites: ${VERSION_CODENAME}
Components: stable
Signed-By: /etc/apt/keyrings/docker.asc
SOURCES
  apt_update
  install_held docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin
}

install_script() {
  command -v curl >/dev/null || { apt_update && apt_install --no-install-recommends ca-certificates curl; }
  local script
  script=$(mktemp)
  trap 'rm -f "$script"' EXIT
  phase "downloading the install script $DH_INSTALL_SCRIPT_URL"
  curl -fsSL --retry 3 "$DH_INSTALL_SCRIPT_URL" -o "$script"
  phase "running the install script $DH_INSTALL_SCRIPT_URL"
  VERSION="$DH_ENGINE_VERSION" sh "$script"
  if [ -n "$DH_ENGINE_VERSION" ]; then apt-mark hold docker-ce docker-ce-cli >/dev/null 2>&1 || true; fi
}

phase "checking the installed engine"
current=$(installed_engine_version)
if [ -n "$current" ] && { [ -z "$DH_ENGINE_VERSION" ] || version_matches "$current" "$DH_ENGINE_VERSION"; }; then
  log "Docker Engine $current is installed; nothing to install"
  # No pin (any more): release a hold an earlier pin set, so the engine takes updates like other packages.
  if [ -z "$DH_ENGINE_VERSION" ] && [ -n "$(apt-mark showhold docker.io docker-ce docker-ce-cli 2>/dev/null)" ]; then
    apt-mark unhold docker.io docker-ce docker-ce-cli >/dev/null 2>&1 || true
    log "engine.version is not set: the engine packages are no longer held"
  fi
elif [ "$DH_INSTALL_METHOD" = Preinstalled ]; then
  fail "engine.installMethod is Preinstalled, but ${current:+Docker Engine $current is installed, not $DH_ENGINE_VERSION}${current:-Docker Engine is not installed}"
else
  log "installing Docker Engine ${DH_ENGINE_VERSION:-(newest)} by $DH_INSTALL_METHOD${current:+ (replacing $current)}"
  finish_interrupted_dpkg
  case "$DH_INSTALL_METHOD" in
    Distro) install_distro ;;
    DockerRepo) install_docker_repo ;;
    Script) install_script ;;
    *) fail "unknown install method $DH_INSTALL_METHOD" ;;
  esac
  current=$(installed_engine_version)
  [ -n "$current" ] || fail "the install finished but dockerd is not on the PATH"
  if [ -n "$DH_ENGINE_VERSION" ] && ! version_matches "$current" "$DH_ENGINE_VERSION"; then
    fail "installed Docker Engine $current, not the pinned $DH_ENGINE_VERSION"
  fi
fi
phase "starting docker.service"
systemctl enable docker.service >/dev/null 2>&1 || true
systemctl is-active --quiet docker.service || systemctl start docker.service
echo "installed: $current"
