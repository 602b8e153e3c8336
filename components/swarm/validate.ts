import * as pulumi from "@pulumi/pulumi";
import { checkHostKey, checkStringMap, isIpOrDnsName, show } from "../checks";
import { InputError } from "../inputs";
import { FirewallKind, SwarmFirewallArgs } from "../machines/firewall";
import { firewallOfKind } from "../machines/registry";
import { IdFormat } from "../machines/source";

// Small pure validators of DockerSwarm's inputs. Each throws an InputError that names the input and says what
// is allowed; none shows a value that may be secret.

/** A host's name in a swarm: it ends up in resource names and in a node label. */
const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
/** Swarm node label keys: what `docker node update --label-add` accepts, minus separators our scripts use. */
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const RESERVED_LABEL_PREFIX = "docker-host.";

export function checkNodeName(where: string, value: unknown): string {
  if (typeof value !== "string" || !NODE_NAME.test(value)) {
    throw new InputError(
      `${where}.name`,
      `${where}.name must be 1 to 63 letters, digits, '.', '_' or '-' (starting with a letter or digit), got ${show(value)}`,
    );
  }
  return value;
}

/** The fields every host needs; a DockerHost has them all. */
export function checkNodeFields(where: string, node: unknown): void {
  if (node === null || typeof node !== "object" || Array.isArray(node)) {
    throw new InputError(
      where,
      `${where} must be a DockerHost or an object with its outputs, got ${show(node)}`,
    );
  }
  const fields = node as Record<string, unknown>;
  for (const field of ["dockerHost", "address", "sshUser", "sshPrivateKey"]) {
    if (fields[field] === undefined || fields[field] === null) {
      throw new InputError(
        `${where}.${field}`,
        `${where}.${field} is required (a DockerHost's output of that name)`,
      );
    }
  }
}

/** The address a host advertises: an IP address, an interface name or a DNS name (resolved on the host). */
export function checkAdvertiseAddress(input: string, value: unknown): void {
  if (typeof value !== "string" || value.trim() === "" || !isIpOrDnsName(value.trim())) {
    throw new InputError(
      input,
      `${input} must be an IP address, an interface name or a DNS name, got ${show(value)}`,
    );
  }
}

/** DockerHost's host key check, except that "" (a DockerHost's sshHostKey when none is pinned) means none. */
export function checkSshHostKey(input: string, value: unknown): void {
  if (value === "") return;
  checkHostKey(input, value);
}

/** Node labels: string values on one line, keys free of separators and outside `docker-host.`. */
export function checkNodeLabels(input: string, value: unknown): void {
  checkStringMap(input, value, (path, key) => {
    if (!LABEL_KEY.test(key) || key.startsWith(RESERVED_LABEL_PREFIX)) {
      throw new InputError(
        path,
        `${path} key ${show(key)} is invalid: use letters, digits, '.', '_', '/' and '-', starting with a letter or digit, outside ${RESERVED_LABEL_PREFIX} (DockerSwarm's own labels)`,
      );
    }
  });
  for (const [key, v] of Object.entries(value ?? {})) {
    if (/[\n\r]/.test(v as string)) {
      throw new InputError(
        `${input}.${key}`,
        `${input}.${key} must be a string on one line, got ${show(v)}`,
      );
    }
  }
}

/** Keys of a per-host map must be hosts of the swarm. */
export function checkHostKeys(input: string, map: object | undefined, names: string[]): void {
  for (const key of Object.keys(map ?? {})) {
    if (!names.includes(key)) {
      throw new InputError(
        input,
        `${input} names ${show(key)}, which is not a host of this swarm (hosts: ${names.join(", ")})`,
      );
    }
  }
}

/**
 * A host's firewall: its kind known now (it decides which rules exist) and the ids that kind needs present.
 * Returns undefined for no firewall (absent, or kind `none`).
 */
export function checkFirewall(where: string, value: unknown): SwarmFirewallArgs | undefined {
  if (value === undefined || value === null) return undefined;
  const input = `${where}.firewall`;
  if (typeof value !== "object" || Array.isArray(value) || pulumi.Output.isInstance(value)) {
    throw new InputError(
      input,
      `${input} must be a DockerHost's firewall output or an object { kind, ... } known when the program runs`,
    );
  }
  const firewall = value as Record<string, unknown>;
  const kinds = Object.values(FirewallKind);
  const kind = kinds.find((k) => k === firewall.kind);
  if (kind === undefined) {
    const got = pulumi.Output.isInstance(firewall.kind) ? "an output" : show(firewall.kind);
    throw new InputError(
      `${input}.kind`,
      `${input}.kind must be one of ${kinds.join(", ")}, known when the program runs, got ${got}`,
    );
  }
  for (const id of firewallOfKind(kind)?.ids ?? []) {
    if (firewall[id] === undefined || firewall[id] === null) {
      throw new InputError(
        `${input}.${id}`,
        `${input}.${id} is required for a firewall of kind ${kind}`,
      );
    }
  }
  return kind === FirewallKind.None ? undefined : (firewall as unknown as SwarmFirewallArgs);
}

/** A firewall id once it resolves: a non-empty string, of its kind's form where the source gives one. */
export function checkFirewallId(input: string, value: unknown, format?: IdFormat): void {
  const ok =
    typeof value === "string" &&
    value.trim() !== "" &&
    (format === undefined || format.pattern.test(value.trim()));
  if (!ok) {
    throw new InputError(
      input,
      `${input} must be ${format?.what ?? "a non-empty string"}, got ${show(value)}`,
    );
  }
}

/**
 * `firewallTags`: a map known now whose keys are firewall kinds that can hold a swarm on a tag, each value a tag
 * of that kind's form. Returns it as a map by kind.
 */
export function checkFirewallTags(value: unknown): Partial<Record<FirewallKind, string>> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value) || pulumi.Output.isInstance(value)) {
    throw new InputError(
      "firewallTags",
      `firewallTags must be a map from a firewall kind to a tag, known when the program runs, got ${show(value)}`,
    );
  }
  const tagged = Object.values(FirewallKind).filter((k) => firewallOfKind(k)?.sharedTag);
  const tags: Partial<Record<FirewallKind, string>> = {};
  for (const [key, tag] of Object.entries(value)) {
    const kind = tagged.find((k) => (k as string) === key);
    const format = kind !== undefined ? firewallOfKind(kind)?.sharedTag?.format : undefined;
    if (kind === undefined || format === undefined) {
      throw new InputError(
        `firewallTags.${key}`,
        `firewallTags names ${show(key)}: only ${tagged.join(", ")} can hold a swarm's firewall on a tag`,
      );
    }
    if (typeof tag !== "string" || !format.pattern.test(tag)) {
      throw new InputError(
        `firewallTags.${key}`,
        `firewallTags.${key} must be ${format.what}, known when the program runs, got ${pulumi.Output.isInstance(tag) ? "an output" : show(tag)}`,
      );
    }
    tags[kind] = tag;
  }
  return tags;
}

/**
 * What the members' firewall kinds allow with the given `firewallTags`, checked before any resource: a kind whose
 * own way holds a limited number of members (its source's `memberLimit`) and that `firewallTags` does not name
 * has at most that many members; a kind whose shared tag needs every member of its kind (its `onlyKind`) has no
 * member of another kind beside it.
 */
export function checkFirewallKinds(
  nodes: readonly { name: string; where: string; firewall?: { kind: FirewallKind } }[],
  firewallTags: Partial<Record<FirewallKind, string>>,
): void {
  const kinds = nodes.flatMap((n) => (n.firewall !== undefined ? [n.firewall.kind] : []));
  for (const kind of new Set(kinds)) {
    const limit = firewallOfKind(kind)?.memberLimit;
    const count = kinds.filter((k) => k === kind).length;
    if (limit === undefined || firewallTags[kind] !== undefined || count <= limit.count) continue;
    throw new InputError(
      `firewallTags.${kind}`,
      `${String(count)} members have a ${kind} firewall, more than the ${String(limit.count)} the swarm can admit without firewallTags.${kind}: ${limit.why}`,
    );
  }
  for (const kind of Object.values(FirewallKind).filter((k) => firewallTags[k] !== undefined)) {
    const why = firewallOfKind(kind)?.sharedTag?.onlyKind;
    const other = nodes.find((n) => n.firewall?.kind !== kind);
    if (why === undefined || other === undefined) continue;
    throw new InputError(
      `${other.where}.firewall`,
      `firewallTags.${kind} needs every member to be of kind ${kind} (${why}), but host ${other.name} has ${other.firewall !== undefined ? `a ${other.firewall.kind} firewall` : "no firewall"}: leave out firewallTags.${kind}, or make the swarm of ${kind} hosts only`,
    );
  }
}
