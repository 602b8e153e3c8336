// Pure: the DockerHosts of a stack, from its checkpoint (`pulumi stack export --show-secrets`). Every DockerHost
// resource counts, whatever the program exports and whichever language it is written in: its recorded outputs
// are the bundle, its name is the resource name. Only DockerHost's own public outputs are read, never its child
// resources: their names and types are DockerHost's internals, free to change, and a renamed child must not
// change what the CLI prints.
import { CliError, ExitCode } from "./errors";

export const DOCKER_HOST_TYPE = "docker-host:index:DockerHost";
/** Pulumi's marker for a secret in a checkpoint; `--show-secrets` puts the JSON of its value in `plaintext`. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/**
 * Every DockerHost output the CLI reads. A stack last deployed by an older DockerHost lacks the outputs added
 * since (`pulumi up` records them); the commands that need one then say so instead of guessing.
 */
export const READ_OUTPUTS = [
  "dockerHost",
  "address",
  "caCert",
  "clientCert",
  "clientKey",
  "engineVersion",
  "sshUser",
  "sshPrivateKey",
  "sshPort",
  "sshHostKey",
  "serverCertValidUntil",
  "clientCertValidUntil",
] as const;
export type ReadOutput = (typeof READ_OUTPUTS)[number];

/** The outputs `ssh` needs. */
export const SSH_OUTPUTS: readonly ReadOutput[] = [
  "address",
  "sshUser",
  "sshPrivateKey",
  "sshPort",
  "sshHostKey",
];

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
  /** When the server certificate ends (`serverCertValidUntil`), for when the engine cannot be reached. */
  serverCertValidUntil?: Date;
  /** When the client certificate ends (`clientCertValidUntil`). */
  clientCertValidUntil?: Date;
  /** The outputs of {@link READ_OUTPUTS} the stack does not record (an older DockerHost deployed it). */
  missing: ReadOutput[];
}

interface StateResource {
  urn: string;
  type: string;
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

/** An RFC 3339 time as a Date; undefined when absent or unparsable. */
function time(v: unknown): Date | undefined {
  const ms = Date.parse(text(v));
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** Every DockerHost in a checkpoint (the `deployment` of `pulumi stack export`), in state order. */
export function hostsFromDeployment(deployment: unknown): HostRecord[] {
  const resources = ((deployment as { resources?: unknown } | undefined)?.resources ??
    []) as StateResource[];
  if (!Array.isArray(resources)) return [];
  return resources.filter((r) => r.type === DOCKER_HOST_TYPE).map(hostRecord);
}

/** One DockerHost, from its own recorded outputs alone. */
function hostRecord(r: StateResource): HostRecord {
  const out = revealSecrets(r.outputs ?? {}) as Record<string, unknown>;
  const host: HostRecord = {
    name: urnName(r.urn),
    urn: r.urn,
    dockerHost: text(out.dockerHost),
    address: text(out.address),
    caCert: text(out.caCert),
    clientCert: text(out.clientCert),
    clientKey: text(out.clientKey),
    engineVersion: text(out.engineVersion),
    missing: READ_OUTPUTS.filter((k) => !(k in out)),
  };
  const ssh = sshAccess(out);
  if (ssh !== undefined) host.ssh = ssh;
  const serverEnd = time(out.serverCertValidUntil);
  if (serverEnd !== undefined) host.serverCertValidUntil = serverEnd;
  const clientEnd = time(out.clientCertValidUntil);
  if (clientEnd !== undefined) host.clientCertValidUntil = clientEnd;
  return host;
}

/**
 * SSH access from the outputs `address`, `sshUser`, `sshPrivateKey`, `sshPort` and `sshHostKey` (`""` when no
 * key is pinned); undefined unless all are recorded.
 */
function sshAccess(out: Record<string, unknown>): SshAccess | undefined {
  const privateKey = text(out.sshPrivateKey);
  const host = text(out.address);
  const user = text(out.sshUser);
  if (
    privateKey === "" ||
    host === "" ||
    user === "" ||
    typeof out.sshPort !== "number" ||
    typeof out.sshHostKey !== "string"
  )
    return undefined;
  const access: SshAccess = { host, port: out.sshPort, user, privateKey };
  if (out.sshHostKey !== "") access.hostKey = out.sshHostKey;
  return access;
}

/**
 * What to tell the user when some of `outputs` are not in the stack: `` (no sshPort, sshHostKey in the stack:
 * an older DockerHost deployed it)``, else "".
 */
export function missingNote(host: HostRecord, outputs: readonly ReadOutput[]): string {
  const absent = outputs.filter((o) => host.missing.includes(o));
  return absent.length === 0
    ? ""
    : ` (no ${absent.join(", ")} in the stack: an older DockerHost deployed it)`;
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
