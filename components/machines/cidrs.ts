import * as ipaddr from "ipaddr.js";
import { createHash } from "node:crypto";

// Helpers for the firewall rules of cloud machines. The ranges come from `checkAllowedCidrs` (validate.ts), so
// they are canonical and well-formed here.

/** True for a range that admits every address of its family (`0.0.0.0/0`, `::/0`). */
export function isWorldOpen(cidr: string): boolean {
  return cidr.endsWith("/0");
}

/** The ranges split by address family, in the given order. */
export function cidrsByFamily(cidrs: readonly string[]): { ipv4: string[]; ipv6: string[] } {
  return {
    ipv4: cidrs.filter((c) => !c.includes(":")),
    ipv6: cidrs.filter((c) => c.includes(":")),
  };
}

/**
 * A resource-name fragment for a range (`198.51.100.0/24` → `198.51.100.0-24`, `2001:db8::/32` →
 * `2001-db8---32`): a rule's name follows its range, so reordering `allowedCidrs` replaces nothing.
 */
export function cidrName(cidr: string): string {
  return cidr.replace(/[^0-9A-Za-z.]/g, "-");
}

/** Address ranges that are not reachable from the internet. */
const PRIVATE_RANGES = new Set([
  "private",
  "uniqueLocal",
  "linkLocal",
  "loopback",
  "carrierGradeNat",
]);

/**
 * What an address DockerHost was given tells about the machine (for sources that do not know more, such as
 * existing machines): a public IP is the public address, a private one the private address, a DNS name neither.
 */
export function addressRoles(address: string): { publicIp: string; privateIp: string } {
  const trimmed = address.trim();
  if (
    !ipaddr.isValid(trimmed) ||
    !(ipaddr.IPv4.isValidFourPartDecimal(trimmed) || trimmed.includes(":"))
  ) {
    return { publicIp: "", privateIp: "" };
  }
  let ip = ipaddr.parse(trimmed);
  if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress()) {
    ip = (ip as ipaddr.IPv6).toIPv4Address();
  }
  return PRIVATE_RANGES.has(ip.range())
    ? { publicIp: "", privateIp: trimmed }
    : { publicIp: trimmed, privateIp: "" };
}

/**
 * The first `length` hex digits of the SHA-256 of `identity` (e.g. project/stack/name): what keeps the cloud names
 * of two stacks' resources of one name apart, the same on every run.
 */
export function identityDigest(identity: string, length: number): string {
  return createHash("sha256").update(identity).digest("hex").slice(0, length);
}

/** A host name derived from a resource name: lowercase letters, digits and inner hyphens, at most 63. */
export function hostnameFor(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
  return cleaned === "" ? "docker-host" : cleaned;
}
