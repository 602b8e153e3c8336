// Pure: the DockerHosts of a stack, from its checkpoint (`pulumi stack export --show-secrets`). Every DockerHost
// resource counts, whatever the program exports and whichever language it is written in: its recorded outputs
// are the bundle, its name is the resource name.
import { CliError, ExitCode } from "./errors";

export const DOCKER_HOST_TYPE = "docker-host:index:DockerHost";
const REMOTE_COMMAND_TYPE = "command:remote:Command";
const LOCALLY_SIGNED_CERT_TYPE = "tls:index/locallySignedCert:LocallySignedCert";
/** Pulumi's marker for a secret in a checkpoint; `--show-secrets` puts the JSON of its value in `plaintext`. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** How to log in to a host over SSH, the host key pinned. */
export interface SshAccess {
  host: string;
  port: number;
  user: string;
  privateKey: string;
  /** `ssh-ed25519 AAAA...`; undefined when the DockerHost was created without a pinned key. */
  hostKey?: string;
}

/** One DockerHost of the stack. */
export interface HostRecord {
  name: string;
  urn: string;
  dockerHost: string;
  address: string;
  caCert: string;
  clientCert: string;
  clientKey: string;
  /** The version recorded at the last `pulumi up`. */
  engineVersion: string;
  ssh?: SshAccess;
  /** The server certificate (PEM) recorded in the stack, for when the engine cannot be reached. */
  serverCert?: string;
}

interface StateResource {
  urn: string;
  type: string;
  parent?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/** Replaces every secret envelope by its plaintext value, recursively. */
export function revealSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (SECRET_SIG in record) {
    if (typeof record.plaintext !== "string")
      throw new CliError(
        "the stack's secrets are encrypted: the Pulumi CLI could not decrypt them (set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE)",
        ExitCode.Stack,
      );
    return revealSecrets(JSON.parse(record.plaintext));
  }
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, revealSecrets(v)]));
}

/** The resource name at the end of a URN (`urn:pulumi:STACK::PROJECT::TYPE::NAME`). */
export function urnName(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i < 0 ? urn : urn.slice(i + 2);
}

const text = (v: unknown): string => (typeof v === "string" ? v : "");

/** Every DockerHost in a checkpoint (the `deployment` of `pulumi stack export`), in state order. */
export function hostsFromDeployment(deployment: unknown): HostRecord[] {
  const resources = ((deployment as { resources?: unknown } | undefined)?.resources ??
    []) as StateResource[];
  if (!Array.isArray(resources)) return [];
  const children = (parent: string, type: string) =>
    resources.filter((r) => r.parent === parent && r.type === type);

  return resources
    .filter((r) => r.type === DOCKER_HOST_TYPE)
    .map((r): HostRecord => {
      const name = urnName(r.urn);
      const out = revealSecrets(r.outputs ?? {}) as Record<string, unknown>;
      const host: HostRecord = {
        name,
        urn: r.urn,
        dockerHost: text(out.dockerHost),
        address: text(out.address),
        caCert: text(out.caCert),
        clientCert: text(out.clientCert),
        clientKey: text(out.clientKey),
        engineVersion: text(out.engineVersion),
      };
      const ssh = sshAccess(out, children(r.urn, REMOTE_COMMAND_TYPE));
      if (ssh !== undefined) host.ssh = ssh;
      const server = children(r.urn, LOCALLY_SIGNED_CERT_TYPE).find(
        (c) => urnName(c.urn) === `${name}-server-cert`,
      );
      const serverCert = text(
        (revealSecrets(server?.outputs ?? {}) as { certPem?: unknown }).certPem,
      );
      if (serverCert !== "") host.serverCert = serverCert;
      return host;
    });
}

/**
 * SSH access: the DockerHost's own outputs when it publishes the host key and port (`sshHostKey`, `sshPort`),
 * else the connection its remote steps use (their recorded `connection` input), which holds the same login and
 * the pinned host key.
 */
function sshAccess(
  outputs: Record<string, unknown>,
  steps: StateResource[],
): SshAccess | undefined {
  const fromOutputs = (): SshAccess | undefined => {
    const hostKey = text(outputs.sshHostKey);
    const privateKey = text(outputs.sshPrivateKey);
    if (hostKey === "" || privateKey === "" || typeof outputs.sshPort !== "number")
      return undefined;
    return {
      host: text(outputs.address),
      port: outputs.sshPort,
      user: text(outputs.sshUser),
      privateKey,
      hostKey,
    };
  };
  const fromSteps = (): SshAccess | undefined => {
    for (const step of steps) {
      const connection = (revealSecrets(step.inputs ?? {}) as { connection?: unknown }).connection;
      if (connection === null || typeof connection !== "object") continue;
      const c = connection as Record<string, unknown>;
      if (text(c.host) === "" || text(c.privateKey) === "") continue;
      const access: SshAccess = {
        host: text(c.host),
        port: typeof c.port === "number" ? c.port : 22,
        user: text(c.user) || "root",
        privateKey: text(c.privateKey),
      };
      if (text(c.hostKey) !== "") access.hostKey = text(c.hostKey);
      return access;
    }
    return undefined;
  };
  return fromOutputs() ?? fromSteps();
}

/**
 * The host a command is about: the one named, or the only one. Exit code 4 when the stack has none, when the
 * name is unknown, and when there are several and no name was given.
 */
export function pickHost(hosts: HostRecord[], name: string | undefined, stack: string): HostRecord {
  const names = hosts.map((h) => h.name).join(", ");
  if (hosts.length === 0)
    throw new CliError(
      `stack ${stack} has no DockerHost (run pulumi up, or pick another stack with --stack)`,
      ExitCode.Host,
    );
  if (name === undefined) {
    if (hosts.length > 1)
      throw new CliError(
        `stack ${stack} has ${hosts.length} DockerHosts (${names}): name one`,
        ExitCode.Host,
      );
    return ready(hosts[0] as HostRecord);
  }
  const matches = hosts.filter((h) => h.name === name);
  if (matches.length === 0)
    throw new CliError(
      `stack ${stack} has no DockerHost named ${name} (it has: ${names})`,
      ExitCode.Host,
    );
  if (matches.length > 1)
    throw new CliError(
      `stack ${stack} has ${matches.length} DockerHosts named ${name} (in different components)`,
      ExitCode.Host,
    );
  return ready(matches[0] as HostRecord);
}

/** A DockerHost whose first `pulumi up` failed half way has no bundle yet. */
function ready(host: HostRecord): HostRecord {
  const missing = (["dockerHost", "caCert", "clientCert", "clientKey"] as const).filter(
    (k) => host[k] === "",
  );
  if (missing.length > 0)
    throw new CliError(
      `DockerHost ${host.name} has no ${missing.join(", ")} in the stack yet (its last pulumi up did not finish): run pulumi up`,
      ExitCode.Host,
    );
  return host;
}
