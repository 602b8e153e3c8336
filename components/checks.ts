import { isIP } from "node:net";
import { InputError, SecretInputError } from "./inputs";

// Small pure validators that any component's inputs use. Each takes the input's path (`existing.port`,
// `managers[1].sshPort`), throws an InputError for that path whose message names it and says what is allowed, and
// never shows the value of an input that may be secret.

/** RFC 1123 host name: labels of letters, digits and inner hyphens, 1..63 characters, 253 in all. */
const DNS_NAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;
const SSH_USER = /^[a-z_][a-z0-9_.-]*$/i;
const HOST_KEY =
  /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521) [A-Za-z0-9+/]+={0,3}( [^\n]*)?$/;

/** A value for an error message, as JSON (so a string shows its quotes and an empty one shows at all). */
export function show(value: unknown): string {
  // JSON.stringify returns undefined for undefined and functions, despite its declared type.
  const json = JSON.stringify(value) as string | undefined;
  return json ?? "undefined";
}

/** An IP address or a DNS name. */
export function isIpOrDnsName(value: string): boolean {
  return isIP(value) !== 0 || DNS_NAME.test(value);
}

export function checkHost(path: string, value: unknown): void {
  if (typeof value !== "string" || value.trim() === "" || !isIpOrDnsName(value)) {
    throw new InputError(path, `${path} must be an IP address or DNS name, got ${show(value)}`);
  }
}

export function checkPort(path: string, value: unknown): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw new InputError(path, `${path} must be an integer from 1 to 65535, got ${show(value)}`);
  }
}

export function checkSshUser(path: string, value: unknown): void {
  if (typeof value !== "string" || !SSH_USER.test(value)) {
    throw new InputError(
      path,
      `${path} must be a user name (letters, digits, '.', '_', '-'), got ${show(value)}`,
    );
  }
}

export function checkPrivateKey(path: string, value: unknown): void {
  // The value is a secret: say what is wrong without showing it (nor letting the engine show it).
  if (typeof value !== "string" || !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value)) {
    throw new SecretInputError(
      `${path} must be a PEM or OpenSSH private key (the value is not shown)`,
    );
  }
}

/**
 * An SSH host public key in authorized_keys form, for pinning; undefined means none is pinned. RSA keys are
 * refused: the command plugin verifies a pinned RSA host key only with the `ssh-rsa` (SHA-1) signature, which
 * OpenSSH 8.8 and later no longer offer, so every step would fail to connect to Debian 12 or Ubuntu 22.04+.
 */
export function checkHostKey(path: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "string" || !HOST_KEY.test(value.trim())) {
    throw new InputError(
      path,
      `${path} must be a public key in authorized_keys form ("ssh-ed25519 AAAA..."), got ${show(value)}`,
    );
  }
  if (value.trim().startsWith("ssh-rsa ")) {
    throw new InputError(
      path,
      `${path} is an RSA key ("ssh-rsa ..."), which cannot be pinned: the command provider checks RSA host keys only with ssh-rsa (SHA-1) signatures, which OpenSSH 8.8 and later refuse, so no step could connect. Pin the host's ED25519 key instead: the output of \`ssh-keyscan -t ed25519 HOST\` (ECDSA keys work too), checked against the host's console`,
    );
  }
}

export function checkEnum<T extends string>(
  path: string,
  value: unknown,
  allowed: Record<string, T>,
): void {
  if (value === undefined) return;
  const values = Object.values(allowed);
  if (!values.includes(value as T)) {
    throw new InputError(path, `${path} must be one of ${values.join(", ")}, got ${show(value)}`);
  }
}

/** An optional string input that must match `pattern`; `what` says what is allowed. */
export function checkPattern(path: string, value: unknown, pattern: RegExp, what: string): void {
  if (value === undefined) return;
  if (typeof value !== "string" || !pattern.test(value)) {
    throw new InputError(path, `${path} must be ${what}, got ${show(value)}`);
  }
}

/** An optional whole number in [min, max]. */
export function checkIntegerRange(path: string, value: unknown, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new InputError(
      path,
      `${path} must be a whole number from ${min} to ${max}, got ${show(value)}`,
    );
  }
}

/** An optional boolean. */
export function checkBoolean(path: string, value: unknown): void {
  if (value !== undefined && typeof value !== "boolean") {
    throw new InputError(path, `${path} must be true or false, got ${show(value)}`);
  }
}

/** An optional map of strings; `key` (when given) checks each key and throws for a bad one. */
export function checkStringMap(
  path: string,
  value: unknown,
  key?: (path: string, key: string) => void,
): void {
  if (value === undefined) return;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InputError(path, `${path} must be a map of strings, got ${show(value)}`);
  }
  for (const [k, v] of Object.entries(value)) {
    key?.(path, k);
    if (typeof v !== "string") {
      throw new InputError(`${path}.${k}`, `${path}.${k} must be a string, got ${show(v)}`);
    }
  }
}

/** A key check for checkStringMap: keys matching `pattern`, `rule` saying which are allowed. */
export function keysMatching(pattern: RegExp, rule: string) {
  return (path: string, key: string): void => {
    if (!pattern.test(key)) {
      throw new InputError(path, `${path} key ${show(key)} is invalid: ${rule}`);
    }
  };
}

export function checkStringList(path: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((e) => typeof e !== "string" || e === "")) {
    throw new InputError(path, `${path} must be a list of non-empty strings, got ${show(value)}`);
  }
}

export function checkUrlList(path: string, value: unknown): void {
  if (value === undefined) return;
  checkStringList(path, value);
  for (const entry of value as string[]) {
    let ok = false;
    try {
      ok = ["http:", "https:"].includes(new URL(entry).protocol);
    } catch {
      ok = false;
    }
    if (!ok) throw new InputError(path, `${path} entries must be http(s) URLs, got ${show(entry)}`);
  }
}

/** An optional whole number of days, 1 to 36500. */
export function checkDays(path: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 36500) {
    throw new InputError(
      path,
      `${path} must be a whole number of days from 1 to 36500, got ${show(value)}`,
    );
  }
}
