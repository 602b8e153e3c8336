import { hostnameFor, identityDigest } from "../cidrs";

// Hetzner Cloud names servers, firewalls, SSH keys and primary IPs uniquely per project, and a server's name must
// be a host name; one project often serves several stacks. Label keys and values have an alphabet of their own.

/**
 * The server's name and the base of the other names: the DockerHost's name as a host name, cut to fit, then 8 hex
 * digits of the SHA-256 of `identity` (project/stack/name), so two stacks' `web` do not collide; stable across runs.
 */
export function hetznerName(name: string, identity: string): string {
  const digest = identityDigest(identity, 8);
  const stem = hostnameFor(name).slice(0, 45).replace(/-+$/, "");
  return `${stem}-${digest}`;
}

/** A label value from any text: letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit, at most 63. */
export function labelValue(text: string): string {
  return text
    .replace(/[^A-Za-z0-9_.-]+/g, "-")
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
}
