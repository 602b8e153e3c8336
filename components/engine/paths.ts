/**
 * Where DockerHost's steps work on the machine, and the one place these paths are spelled: every engine step gets
 * them as parameters (engine/scripts.ts), so the scripts never spell them, and daemon.json names the
 * certificates in `DH_DIR`.
 */
export const REMOTE_PATHS = {
  /** DockerHost's own files: the certificates, the daemon.json found at adoption, the last good configuration. */
  DH_DIR: "/etc/docker/docker-host",
  /** The systemd drop-in of docker.service that DockerHost writes (see dropIn.ts). */
  DH_DROPIN: "/etc/systemd/system/docker.service.d/50-docker-host.conf",
  /** dockerd's configuration file (see daemonJson.ts). */
  DH_DAEMON_JSON_PATH: "/etc/docker/daemon.json",
} as const;
