import { REMOTE_PATHS } from "./paths";

/** Where the configure step puts the certificates and the server key on the machine. */
export const REMOTE_CA_CERT = `${REMOTE_PATHS.DH_DIR}/ca.pem`;
export const REMOTE_SERVER_CERT = `${REMOTE_PATHS.DH_DIR}/server.pem`;
export const REMOTE_SERVER_KEY = `${REMOTE_PATHS.DH_DIR}/server-key.pem`;

/** The daemon settings a DockerHost's inputs resolve to. */
export interface DaemonSettings {
  /** The TCP listener, e.g. `tcp://0.0.0.0:2376`. */
  tcpListener: string;
  labels: Record<string, string>;
  registryMirrors: string[];
  insecureRegistries: string[];
  storageDriver?: string;
  logDriver: string;
  logOpts: Record<string, string>;
  liveRestore: boolean;
  /** `engine.daemonConfig`: extra keys, already checked not to collide with the ones above. */
  extra: Record<string, unknown>;
  /** The daemon.json found on the machine when it was adopted; its keys are kept unless set here. */
  adopted: Record<string, unknown>;
}

/** The local socket stays a listener, so `docker` on the machine itself keeps working. */
export const UNIX_SOCKET = "unix:///var/run/docker.sock";

/**
 * Renders /etc/docker/daemon.json. Precedence, lowest first: what the machine had at adoption, DockerHost's
 * defaults and the typed inputs, `daemonConfig`, and finally the listeners and TLS keys, which are always ours.
 * The output is stable (sorted labels, fixed key order) so that an unchanged input never looks like a change.
 */
export function renderDaemonJson(s: DaemonSettings): string {
  const logOpts =
    Object.keys(s.logOpts).length === 0 && s.logDriver === "json-file"
      ? { "max-file": "3", "max-size": "10m" } // json-file never rotates by default
      : sortKeys(s.logOpts);
  const config: Record<string, unknown> = {
    ...s.adopted,
    "live-restore": s.liveRestore,
    "log-driver": s.logDriver,
    ...(Object.keys(logOpts).length > 0 ? { "log-opts": logOpts } : {}),
    ...(s.storageDriver !== undefined ? { "storage-driver": s.storageDriver } : {}),
    ...(Object.keys(s.labels).length > 0
      ? {
          labels: Object.keys(s.labels)
            .sort()
            .map((k) => `${k}=${s.labels[k] ?? ""}`),
        }
      : {}),
    ...(s.registryMirrors.length > 0 ? { "registry-mirrors": s.registryMirrors } : {}),
    ...(s.insecureRegistries.length > 0 ? { "insecure-registries": s.insecureRegistries } : {}),
    ...sortKeys(s.extra),
    hosts: [UNIX_SOCKET, s.tcpListener],
    tls: true,
    tlsverify: true,
    tlscacert: REMOTE_CA_CERT,
    tlscert: REMOTE_SERVER_CERT,
    tlskey: REMOTE_SERVER_KEY,
  };
  return JSON.stringify(config, null, 2);
}

/**
 * Parses the adopted daemon.json that the wait step reports (base64, empty when the machine had none). Keys that
 * DockerHost writes itself are dropped, so re-adopting a machine DockerHost configured before starts clean.
 */
export function parseAdoptedDaemonJson(base64: string): Record<string, unknown> {
  const text = Buffer.from(base64.trim(), "base64").toString("utf8").trim();
  if (text === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(
      `the machine's ${REMOTE_PATHS.DH_DAEMON_JSON_PATH} is not valid JSON; fix or remove it, then run pulumi up again`,
    );
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(
      `the machine's ${REMOTE_PATHS.DH_DAEMON_JSON_PATH} is not a JSON object; fix or remove it`,
    );
  }
  return Object.fromEntries(
    Object.entries(parsed as Record<string, unknown>).filter(([k]) => !/^(hosts|tls.*)$/.test(k)),
  );
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
