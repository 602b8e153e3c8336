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
  "source",
  "clients",
] as const;
export type ReadOutput = (typeof READ_OUTPUTS)[number];

/**
 * The outputs the CLI reads when they are there, whose absence says something of its own rather than "an older
 * DockerHost": `power` (Running or Stopped, the power input's state) is recorded for the sources that hold their
 * machine's power state, and a stack without it has its machine running.
 */
export const OPTIONAL_OUTPUTS = ["power"] as const;

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

/** The files a docker client needs for one identity: `ca.pem`, `cert.pem`, `key.pem`. */
export interface ClientBundle {
  caCert: string;
  clientCert: string;
  clientKey: string;
}

/** A named client identity (`tls.clients`) from the `clients` output. */
export interface ClientRecord extends ClientBundle {
  /** When its certificate ends (`validUntil`). */
  validUntil?: Date;
}

/** One DockerHost of the stack. */
export interface HostRecord extends ClientBundle {
  name: string;
  urn: string;
  dockerHost: string;
  address: string;
  /** The machine source (`existing`, `aws`...): the `source` output; "" when the stack lacks it. */
  source: string;
  /** The `power` output (`Running`, `Stopped`); undefined when the stack records none. */
  power?: string;
  /** The named client identities, by name (the `clients` output). */
  clients: Record<string, ClientRecord>;
  /** Every output as recorded, each secret replaced by `[secret]`: what `inspect` may show. */
  publicOutputs: Record<string, unknown>;
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

/** What `inspect` shows instead of a secret. */
export const REDACTED = "[secret]";

/**
 * The outputs with every secret envelope replaced by `[secret]`, and, should a key ever be recorded without the
 * marker, every string holding a private key too: `inspect` never shows one.
 */
export function publicView(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(publicView);
  if (typeof value === "string") return /PRIVATE KEY-----/.test(value) ? REDACTED : value;
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (SECRET_SIG in record) return REDACTED;
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, publicView(v)]));
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
    source: text(out.source),
    clients: clientRecords(out.clients),
    publicOutputs: publicView(r.outputs ?? {}) as Record<string, unknown>,
    caCert: text(out.caCert),
    clientCert: text(out.clientCert),
    clientKey: text(out.clientKey),
    engineVersion: text(out.engineVersion),
    missing: READ_OUTPUTS.filter((k) => !(k in out)),
  };
  if (typeof out.power === "string" && out.power !== "") host.power = out.power;
  const ssh = sshAccess(out);
  if (ssh !== undefined) host.ssh = ssh;
  const serverEnd = time(out.serverCertValidUntil);
  if (serverEnd !== undefined) host.serverCertValidUntil = serverEnd;
  const clientEnd = time(out.clientCertValidUntil);
  if (clientEnd !== undefined) host.clientCertValidUntil = clientEnd;
  return host;
}

/** The `clients` output: each identity's bundle and end, the host's CA where an entry lacks its own. */
function clientRecords(value: unknown): Record<string, ClientRecord> {
  if (value === null || typeof value !== "object") return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, Record<string, unknown> | undefined>).map(
      ([name, entry]) => {
        const record: ClientRecord = {
          caCert: text(entry?.caCert),
          clientCert: text(entry?.cert),
          clientKey: text(entry?.key),
        };
        const end = time(entry?.validUntil);
        if (end !== undefined) record.validUntil = end;
        return [name, record];
      },
    ),
  );
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

/**
 * The bundle a command uses: the host's own client certificate, or the named identity's (`--client NAME`). Exit
 * code 4 for a name the host does not have, as for a DockerHost name.
 */
export function pickClient(host: HostRecord, client: string | undefined): ClientBundle {
  if (client === undefined) return host;
  const names = Object.keys(host.clients);
  const found = host.clients[client];
  if (found === undefined)
    throw new CliError(
      names.length === 0
        ? `DockerHost ${host.name} has no client identities${missingNote(host, ["clients"])} (tls.clients is not set): leave out --client for its own client certificate`
        : `DockerHost ${host.name} has no client identity ${client} (it has: ${names.join(", ")})`,
      ExitCode.Host,
    );
  // Named as the output's fields are.
  const fields = { caCert: "caCert", clientCert: "cert", clientKey: "key" } as const;
  const missing = (Object.keys(fields) as (keyof typeof fields)[])
    .filter((k) => found[k] === "")
    .map((k) => fields[k]);
  if (missing.length > 0)
    throw new CliError(
      `client identity ${client} of DockerHost ${host.name} has no ${missing.join(", ")} in the stack: run pulumi up`,
      ExitCode.Host,
    );
  return found;
}

/** The stack's SSH login of a host, or exit 1 saying why there is none. */
export function sshLogin(host: HostRecord): SshAccess {
  if (host.ssh === undefined)
    throw new CliError(
      `the stack records no SSH login for DockerHost ${host.name}${missingNote(host, SSH_OUTPUTS)}: run pulumi up`,
      ExitCode.Failure,
    );
  return host.ssh;
}
