import * as ipaddr from "ipaddr.js";
import { isIP } from "node:net";
import * as semver from "semver";
import { EngineInstallMethod, TlsAlgorithm } from "./args";
import { InputError, isKnownNow } from "./inputs";
import { MAX_TIMEOUT, MIN_TIMEOUT, TIMEOUT_STEPS } from "./remote/timeouts";

// Small pure validators. Each throws an InputError whose message names the input and what is allowed; none
// prints the value of an input that may be secret.

/** The machine sources a DockerHost knows. */
export const MACHINE_SOURCES = ["existing", "aws", "digitalocean", "azure"] as const;
/** The sources that create a machine in a cloud, with a firewall DockerHost owns. */
export const CLOUD_SOURCES: readonly string[] = ["aws", "digitalocean", "azure"];

/** RFC 1123 host name: labels of letters, digits and inner hyphens, 1..63 characters, 253 in all. */
const DNS_NAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;
/** Docker's recommended label key form. */
const LABEL_KEY = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;
const RESERVED_LABEL_PREFIXES = ["com.docker.", "io.docker.", "org.dockerproject."];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SSH_USER = /^[a-z_][a-z0-9_.-]*$/i;
const HOST_KEY =
  /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521) [A-Za-z0-9+/]+={0,3}( [^\n]*)?$/;
const DRIVER_NAME = /^[a-z0-9][a-z0-9._-]*$/i;

/** daemon.json keys DockerHost writes itself: the API listeners and its TLS material. */
const OWNED_DAEMON_KEYS = /^(hosts|tls.*)$/;
/** daemon.json keys that have an input of their own. */
const TYPED_DAEMON_KEYS: Record<string, string> = {
  labels: "engine.labels",
  "registry-mirrors": "engine.registryMirrors",
  "insecure-registries": "engine.insecureRegistries",
  "storage-driver": "engine.storageDriver",
  "log-driver": "engine.logDriver",
  "log-opts": "engine.logOpts",
  "live-restore": "engine.liveRestore",
};

/** A value for an error message, as JSON (so a string shows its quotes and an empty one shows at all). */
export function show(value: unknown): string {
  // JSON.stringify returns undefined for undefined and functions, despite its declared type.
  const json = JSON.stringify(value) as string | undefined;
  return json ?? "undefined";
}

/** Exactly one machine source must be set. */
export function checkMachineSources(present: string[]): void {
  if (present.length !== 1) {
    const got = present.length === 0 ? "none" : present.join(" and ");
    throw new InputError(
      `exactly one machine source is required: set one of ${MACHINE_SOURCES.join(", ")} (got ${got})`,
    );
  }
}

/** An IP address or a DNS name. */
export function isIpOrDnsName(value: string): boolean {
  return isIP(value) !== 0 || DNS_NAME.test(value);
}

export function checkHost(input: string, value: unknown): void {
  if (typeof value !== "string" || value.trim() === "" || !isIpOrDnsName(value)) {
    throw new InputError(`${input} must be an IP address or DNS name, got ${show(value)}`);
  }
}

export function checkPort(input: string, value: unknown): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw new InputError(`${input} must be an integer from 1 to 65535, got ${show(value)}`);
  }
}

/** The engine API must not take the SSH port: the host would become unreachable for provisioning. */
export function checkEnginePort(value: unknown, sshPort: number): void {
  checkPort("engine.port", value);
  if (value === sshPort) {
    throw new InputError(
      `engine.port must differ from the SSH port ${sshPort}, got ${show(value)} (the usual engine port is 2376)`,
    );
  }
}

export function checkSshUser(value: unknown): void {
  if (typeof value !== "string" || !SSH_USER.test(value)) {
    throw new InputError(
      `existing.user must be a user name (letters, digits, '.', '_', '-'), got ${show(value)}`,
    );
  }
}

export function checkPrivateKey(input: string, value: unknown): void {
  // The value is a secret: say what is wrong without showing it.
  if (typeof value !== "string" || !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value)) {
    throw new InputError(`${input} must be a PEM or OpenSSH private key (the value is not shown)`);
  }
}

/**
 * An SSH host public key in authorized_keys form, for pinning; undefined means none is pinned. RSA keys are
 * refused: the command plugin verifies a pinned RSA host key only with the `ssh-rsa` (SHA-1) signature, which
 * OpenSSH 8.8 and later no longer offer, so every step would fail to connect to Debian 12 or Ubuntu 22.04+.
 */
export function checkHostKey(input: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "string" || !HOST_KEY.test(value.trim())) {
    throw new InputError(
      `${input} must be a public key in authorized_keys form ("ssh-ed25519 AAAA..."), got ${show(value)}`,
    );
  }
  if (value.trim().startsWith("ssh-rsa ")) {
    throw new InputError(
      `${input} is an RSA key ("ssh-rsa ..."), which cannot be pinned: the command provider checks RSA host keys only with ssh-rsa (SHA-1) signatures, which OpenSSH 8.8 and later refuse, so no step could connect. Pin the host's ED25519 key instead: the output of \`ssh-keyscan -t ed25519 HOST\` (ECDSA keys work too), checked against the host's console`,
    );
  }
}

export function checkEnum<T extends string>(
  input: string,
  value: unknown,
  allowed: Record<string, T>,
): void {
  if (value === undefined) return;
  const values = Object.values(allowed);
  if (!values.includes(value as T)) {
    throw new InputError(`${input} must be one of ${values.join(", ")}, got ${show(value)}`);
  }
}

export function checkInstallMethod(value: unknown): void {
  checkEnum("engine.installMethod", value, EngineInstallMethod);
}

export function checkTlsAlgorithm(value: unknown): void {
  checkEnum("tls.algorithm", value, TlsAlgorithm);
}

/** A Docker Engine version as Docker publishes them: MAJOR.MINOR.PATCH, optionally with a pre-release. */
export function checkEngineVersion(value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "string" || semver.valid(value) === null || value.startsWith("v")) {
    throw new InputError(
      `engine.version must be a Docker Engine version MAJOR.MINOR.PATCH such as "27.5.1", got ${show(value)}`,
    );
  }
}

export function checkInstallScriptUrl(value: unknown): void {
  if (value === undefined) return;
  let url: URL | undefined;
  try {
    url = typeof value === "string" ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (typeof value !== "string" || url?.protocol !== "https:") {
    throw new InputError(
      `engine.installScriptUrl must be an https:// URL, got ${show(value)} (the script runs as root)`,
    );
  }
}

export function checkLabels(value: unknown): void {
  if (value === undefined) return;
  checkStringMap("engine.labels", value);
  for (const key of Object.keys(value as object)) {
    const reserved = RESERVED_LABEL_PREFIXES.find((p) => key.startsWith(p));
    if (!LABEL_KEY.test(key) || reserved !== undefined) {
      throw new InputError(
        `engine.labels key ${show(key)} is invalid: use lowercase letters, digits, '.' and '-', starting and ending with a letter or digit, outside ${RESERVED_LABEL_PREFIXES.join(", ")}`,
      );
    }
  }
}

export function checkStringMap(input: string, value: unknown): void {
  if (value === undefined) return;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InputError(`${input} must be a map of strings, got ${show(value)}`);
  }
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== "string") {
      throw new InputError(`${input}.${key} must be a string, got ${show(v)}`);
    }
  }
}

export function checkEnv(value: unknown): void {
  if (value === undefined) return;
  checkStringMap("engine.env", value);
  for (const [key, v] of Object.entries(value as Record<string, string>)) {
    if (!ENV_NAME.test(key)) {
      throw new InputError(
        `engine.env key ${show(key)} must be a variable name (letters, digits, '_', not starting with a digit)`,
      );
    }
    if (/[\n\r\0]/.test(v)) {
      throw new InputError(`engine.env.${key} must be a single line (the value is not shown)`);
    }
  }
}

export function checkDriverName(input: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "string" || !DRIVER_NAME.test(value)) {
    throw new InputError(
      `${input} must be a driver name such as "overlay2" or "local", got ${show(value)}`,
    );
  }
}

export function checkUrlList(input: string, value: unknown): void {
  if (value === undefined) return;
  checkStringList(input, value);
  for (const entry of value as string[]) {
    let ok = false;
    try {
      ok = ["http:", "https:"].includes(new URL(entry).protocol);
    } catch {
      ok = false;
    }
    if (!ok) throw new InputError(`${input} entries must be http(s) URLs, got ${show(entry)}`);
  }
}

export function checkStringList(input: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((e) => typeof e !== "string" || e === "")) {
    throw new InputError(`${input} must be a list of non-empty strings, got ${show(value)}`);
  }
}

export function checkDaemonConfig(value: unknown): void {
  if (value === undefined) return;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InputError(
      `engine.daemonConfig must be a map of daemon.json keys, got ${show(value)}`,
    );
  }
  for (const key of Object.keys(value)) {
    if (OWNED_DAEMON_KEYS.test(key)) {
      throw new InputError(
        `engine.daemonConfig must not set ${show(key)}: DockerHost owns "hosts" and the "tls*" keys (use engine.port and the tls inputs)`,
      );
    }
    const typed = TYPED_DAEMON_KEYS[key];
    if (typed !== undefined) {
      throw new InputError(`engine.daemonConfig must not set ${show(key)}: use ${typed}`);
    }
  }
}

export function checkExtraSans(value: unknown): void {
  if (value === undefined) return;
  checkStringList("tls.extraSans", value);
  for (const entry of value as string[]) {
    if (!isIpOrDnsName(entry)) {
      throw new InputError(
        `tls.extraSans entries must be IP addresses or DNS names, got ${show(entry)}`,
      );
    }
  }
}

export function checkDays(input: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 36500) {
    throw new InputError(
      `${input} must be a whole number of days from 1 to 36500, got ${show(value)}`,
    );
  }
}

export function checkRenewalWindow(validityDays: number, earlyRenewalDays: number): void {
  if (validityDays <= earlyRenewalDays) {
    throw new InputError(
      `tls.validityDays (${validityDays}) must be greater than tls.earlyRenewalDays (${earlyRenewalDays})`,
    );
  }
}

export function checkCaPair(hasCert: boolean, hasKey: boolean): void {
  if (hasCert !== hasKey) {
    throw new InputError(
      `tls.caCertPem and tls.caKeyPem go together: set both to bring your own CA, or neither for a CA per host (got only ${hasCert ? "caCertPem" : "caKeyPem"})`,
    );
  }
}

export function checkCaCertPem(value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "string" || !value.includes("-----BEGIN CERTIFICATE-----")) {
    throw new InputError(
      `tls.caCertPem must be a PEM certificate ("-----BEGIN CERTIFICATE-----...")`,
    );
  }
}

/**
 * `allowedCidrs` for a machine source: required (and known now) for the cloud sources, rejected for `existing`
 * (whose firewall DockerHost does not manage). Returns the ranges in canonical form, e.g. `2001:db8::/32`.
 */
export function checkAllowedCidrs(source: string | undefined, value: unknown): string[] {
  const example = '["198.51.100.0/24"]';
  if (source === undefined || !CLOUD_SOURCES.includes(source)) {
    if (value === undefined) return [];
    throw new InputError(
      `allowedCidrs is only used with a cloud machine source (${CLOUD_SOURCES.join(", ")}): DockerHost does not manage the firewall of an existing machine`,
    );
  }
  if (value === undefined) {
    throw new InputError(
      `allowedCidrs is required with ${source}: the CIDR ranges allowed to reach SSH and the engine port, e.g. ${example} (["0.0.0.0/0", "::/0"] opens them to the world)`,
    );
  }
  if (!isKnownNow(value)) {
    throw new InputError(
      `allowedCidrs must be known when the program runs (each range becomes a named firewall rule), got an Output: pass a list of strings, e.g. from stack configuration`,
    );
  }
  if (!Array.isArray(value) || value.length === 0 || value.some((e) => typeof e !== "string")) {
    throw new InputError(
      `allowedCidrs must be a non-empty list of CIDR ranges known when the program runs, e.g. ${example}, got ${show(value)}`,
    );
  }
  const cidrs = (value as string[]).map((entry) => canonicalCidr(entry.trim()));
  const duplicate = cidrs.find((c, i) => cidrs.indexOf(c) !== i);
  if (duplicate !== undefined) {
    throw new InputError(`allowedCidrs lists ${show(duplicate)} twice`);
  }
  return cidrs;
}

/** One CIDR range, strictly: dotted-quad IPv4 or IPv6 (no zone), a prefix length, no host bits. */
export function canonicalCidr(entry: string): string {
  const [address = "", prefix, ...rest] = entry.split("/");
  const v4 = ipaddr.IPv4.isValidFourPartDecimal(address);
  const v6 = !v4 && !address.includes("%") && ipaddr.IPv6.isValid(address);
  const bits = /^\d{1,3}$/.test(prefix ?? "") ? Number(prefix) : NaN;
  if (rest.length > 0 || (!v4 && !v6) || !(bits <= (v4 ? 32 : 128))) {
    throw new InputError(
      `allowedCidrs entries must be CIDR ranges such as "198.51.100.0/24", "203.0.113.7/32" or "2001:db8::/32", got ${show(entry)}`,
    );
  }
  const network = v4
    ? ipaddr.IPv4.networkAddressFromCIDR(`${address}/${bits}`).toString()
    : ipaddr.IPv6.networkAddressFromCIDR(`${address}/${bits}`).toRFC5952String();
  const given = v4 ? address : ipaddr.IPv6.parse(address).toRFC5952String();
  if (network !== given) {
    throw new InputError(
      `allowedCidrs entry ${show(entry)} has host bits set: use "${network}/${bits}" for the range, or "${given}/${v4 ? 32 : 128}" for that address alone`,
    );
  }
  return `${network}/${bits}`;
}

/** `timeouts`: plain numbers known now (they set Pulumi's customTimeouts too), one per step, whole seconds. */
export function checkTimeouts(value: unknown): void {
  if (value === undefined) return;
  if (!isKnownNow(value)) {
    throw new InputError(
      "timeouts must be known when the program runs (they also set Pulumi's customTimeouts), got an Output: pass numbers of seconds, e.g. from stack configuration",
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InputError(
      `timeouts must be an object of seconds per step, e.g. { install: 3600 }, got ${show(value)}`,
    );
  }
  for (const [step, seconds] of Object.entries(value)) {
    if (!(TIMEOUT_STEPS as readonly string[]).includes(step)) {
      throw new InputError(
        `timeouts.${step} is not a step: the steps are ${TIMEOUT_STEPS.join(", ")}`,
      );
    }
    if (seconds === undefined) continue;
    if (
      typeof seconds !== "number" ||
      !Number.isInteger(seconds) ||
      seconds < MIN_TIMEOUT ||
      seconds > MAX_TIMEOUT
    ) {
      throw new InputError(
        `timeouts.${step} must be a whole number of seconds from ${String(MIN_TIMEOUT)} to ${String(MAX_TIMEOUT)} (24 hours), got ${show(seconds)}`,
      );
    }
  }
}
