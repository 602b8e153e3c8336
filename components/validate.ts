import * as ipaddr from "ipaddr.js";
import * as semver from "semver";
import { EngineInstallMethod, TlsAlgorithm } from "./args";
import {
  checkEnum,
  checkPort,
  checkStringList,
  checkStringMap,
  isIpOrDnsName,
  show,
} from "./checks";
import { InputError, isKnownNow, SecretInputError } from "./inputs";
import { MAX_TIMEOUT, MIN_TIMEOUT, TIMEOUT_STEPS } from "./remote/timeouts";

// DockerHost's own inputs (engine, tls, allowedCidrs, timeouts): small pure validators. Each throws an InputError
// for the input's path, whose message names the input and what is allowed; none prints the value of an input that
// may be secret. The machine sources check their own inputs (components/machines/).

/** Docker's recommended label key form. */
const LABEL_KEY = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;
const RESERVED_LABEL_PREFIXES = ["com.docker.", "io.docker.", "org.dockerproject."];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
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

/** The engine API must not take the SSH port: the host would become unreachable for provisioning. */
export function checkEnginePort(value: unknown, sshPort: number): void {
  checkPort("engine.port", value);
  if (value === sshPort) {
    throw new InputError(
      "engine.port",
      `engine.port must differ from the SSH port ${sshPort}, got ${show(value)} (the usual engine port is 2376)`,
    );
  }
}

export function checkDriverName(path: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "string" || !DRIVER_NAME.test(value)) {
    throw new InputError(
      path,
      `${path} must be a driver name such as "overlay2" or "local", got ${show(value)}`,
    );
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
      "engine.version",
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
      "engine.installScriptUrl",
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
        "engine.labels",
        `engine.labels key ${show(key)} is invalid: use lowercase letters, digits, '.' and '-', starting and ending with a letter or digit, outside ${RESERVED_LABEL_PREFIXES.join(", ")}`,
      );
    }
  }
}

/** engine.env may hold credentials (a proxy URL with a password): its errors never let the engine show values. */
export function checkEnv(value: unknown): void {
  if (value === undefined) return;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new SecretInputError("engine.env must be a map of strings (the value is not shown)");
  }
  for (const [key, v] of Object.entries(value as Record<string, string>)) {
    if (!ENV_NAME.test(key)) {
      throw new SecretInputError(
        `engine.env key ${show(key)} must be a variable name (letters, digits, '_', not starting with a digit)`,
      );
    }
    if (typeof v !== "string") {
      throw new SecretInputError(`engine.env.${key} must be a string (the value is not shown)`);
    }
    if (/[\n\r\0]/.test(v)) {
      throw new SecretInputError(
        `engine.env.${key} must be a single line (the value is not shown)`,
      );
    }
  }
}

export function checkDaemonConfig(value: unknown): void {
  if (value === undefined) return;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InputError(
      "engine.daemonConfig",
      `engine.daemonConfig must be a map of daemon.json keys, got ${show(value)}`,
    );
  }
  for (const key of Object.keys(value)) {
    if (OWNED_DAEMON_KEYS.test(key)) {
      throw new InputError(
        "engine.daemonConfig",
        `engine.daemonConfig must not set ${show(key)}: DockerHost owns "hosts" and the "tls*" keys (use engine.port and the tls inputs)`,
      );
    }
    const typed = TYPED_DAEMON_KEYS[key];
    if (typed !== undefined) {
      throw new InputError(
        "engine.daemonConfig",
        `engine.daemonConfig must not set ${show(key)}: use ${typed}`,
      );
    }
  }
}

export function checkExtraSans(value: unknown): void {
  if (value === undefined) return;
  checkStringList("tls.extraSans", value);
  for (const entry of value as string[]) {
    if (!isIpOrDnsName(entry)) {
      throw new InputError(
        "tls.extraSans",
        `tls.extraSans entries must be IP addresses or DNS names, got ${show(entry)}`,
      );
    }
  }
}

export function checkRenewalWindow(validityDays: number, earlyRenewalDays: number): void {
  if (validityDays <= earlyRenewalDays) {
    throw new InputError(
      "tls.validityDays",
      `tls.validityDays (${validityDays}) must be greater than tls.earlyRenewalDays (${earlyRenewalDays})`,
    );
  }
}

export function checkCaPair(hasCert: boolean, hasKey: boolean): void {
  if (hasCert !== hasKey) {
    throw new InputError(
      hasCert ? "tls.caKeyPem" : "tls.caCertPem",
      `tls.caCertPem and tls.caKeyPem go together: set both to bring your own CA, or neither for a CA per host (got only ${hasCert ? "caCertPem" : "caKeyPem"})`,
    );
  }
}

export function checkCaCertPem(value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "string" || !value.includes("-----BEGIN CERTIFICATE-----")) {
    throw new InputError(
      "tls.caCertPem",
      `tls.caCertPem must be a PEM certificate ("-----BEGIN CERTIFICATE-----...")`,
    );
  }
}

/**
 * `allowedCidrs` for a machine source: required (and known now) for the cloud sources, rejected for `existing`
 * (whose firewall DockerHost does not manage). Returns the ranges in canonical form, e.g. `2001:db8::/32`.
 */
export function checkAllowedCidrs(
  source: string | undefined,
  cloudSources: readonly string[],
  value: unknown,
): string[] {
  const example = '["198.51.100.0/24"]';
  if (source === undefined || !cloudSources.includes(source)) {
    if (value === undefined) return [];
    throw new InputError(
      "allowedCidrs",
      `allowedCidrs is only used with a cloud machine source (${cloudSources.join(", ")}): DockerHost does not manage the firewall of an existing machine`,
    );
  }
  if (value === undefined) {
    throw new InputError(
      "allowedCidrs",
      `allowedCidrs is required with ${source}: the CIDR ranges allowed to reach SSH and the engine port, e.g. ${example} (["0.0.0.0/0", "::/0"] opens them to the world)`,
    );
  }
  if (!isKnownNow(value)) {
    throw new InputError(
      "allowedCidrs",
      `allowedCidrs must be known when the program runs (each range becomes a named firewall rule), got an Output: pass a list of strings, e.g. from stack configuration`,
    );
  }
  if (!Array.isArray(value) || value.length === 0 || value.some((e) => typeof e !== "string")) {
    throw new InputError(
      "allowedCidrs",
      `allowedCidrs must be a non-empty list of CIDR ranges known when the program runs, e.g. ${example}, got ${show(value)}`,
    );
  }
  const cidrs = (value as string[]).map((entry) => canonicalCidr(entry.trim()));
  const duplicate = cidrs.find((c, i) => cidrs.indexOf(c) !== i);
  if (duplicate !== undefined) {
    throw new InputError("allowedCidrs", `allowedCidrs lists ${show(duplicate)} twice`);
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
      "allowedCidrs",
      `allowedCidrs entries must be CIDR ranges such as "198.51.100.0/24", "203.0.113.7/32" or "2001:db8::/32", got ${show(entry)}`,
    );
  }
  const network = v4
    ? ipaddr.IPv4.networkAddressFromCIDR(`${address}/${bits}`).toString()
    : ipaddr.IPv6.networkAddressFromCIDR(`${address}/${bits}`).toRFC5952String();
  const given = v4 ? address : ipaddr.IPv6.parse(address).toRFC5952String();
  if (network !== given) {
    throw new InputError(
      "allowedCidrs",
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
      "timeouts",
      "timeouts must be known when the program runs (they also set Pulumi's customTimeouts), got an Output: pass numbers of seconds, e.g. from stack configuration",
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InputError(
      "timeouts",
      `timeouts must be an object of seconds per step, e.g. { install: 3600 }, got ${show(value)}`,
    );
  }
  for (const [step, seconds] of Object.entries(value)) {
    if (!(TIMEOUT_STEPS as readonly string[]).includes(step)) {
      throw new InputError(
        `timeouts.${step}`,
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
        `timeouts.${step}`,
        `timeouts.${step} must be a whole number of seconds from ${String(MIN_TIMEOUT)} to ${String(MAX_TIMEOUT)} (24 hours), got ${show(seconds)}`,
      );
    }
  }
}
