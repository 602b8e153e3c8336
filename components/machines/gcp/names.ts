// GCE names resources and network tags by RFC 1035 (a lowercase letter, then lowercase letters, digits and hyphens,
// no hyphen last, at most 63), per project; labels take lowercase letters, digits, `_` and `-`. DockerHost's names
// may hold anything, so the names of what it creates are derived from them.
import { identityDigest } from "../cidrs";

/** The longest stem kept of the DockerHost's name: with the digest and the longest role suffix, 63 at most. */
const STEM = 41;

/**
 * The base of every GCE name of a DockerHost (or swarm): its name in GCE's alphabet, cut to fit, then 8 hex digits
 * of the SHA-256 of `identity` (project/stack/name). GCE names are unique per project, and one project often serves
 * several stacks; the digest keeps two stacks' `web` apart, and stays the same on every run.
 */
export function gceName(name: string, identity: string): string {
  const digest = identityDigest(identity, 8);
  const stem = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .slice(0, STEM)
    .replace(/-+$/, "");
  return `${stem === "" ? "docker-host" : stem}-${digest}`;
}

/** A label value from any text: lowercase letters, digits, `_` and `-`, at most 63. */
export function labelValue(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .slice(0, 63);
}
