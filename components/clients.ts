// Named client identities (`tls.clients`): one client certificate per person or CI system, each under a CA of
// its own. dockerd trusts the bundle of those CAs (plus the host's CA, which signs the stack's own client
// certificate), so taking a name out of the map takes its CA out of the bundle: the next `pulumi up` makes the
// daemon refuse that certificate while every other one keeps working. One shared CA could not do this: dockerd
// has no revocation list, it trusts whatever its `tlscacert` bundle signed.
import * as pulumi from "@pulumi/pulumi";
import { TlsAlgorithm } from "./args";
import { checkDays, show } from "./checks";
import { Checker, InputError } from "./inputs";
import { issueLeaf, orEmpty, selfSignedCa, Validity, wholeSeconds } from "./pki";

/** The options of one named client identity in `tls.clients`; `{}` takes every default. */
export interface ClientIdentityArgs {
  /** How long the identity's certificate is valid, in days. Default: `tls.validityDays`. */
  validityDays?: pulumi.Input<number>;
  /**
   * Reissue the identity's certificate on the first `pulumi up` this many days before it expires. Default:
   * `tls.earlyRenewalDays`. Must be less than the identity's validity.
   */
  earlyRenewalDays?: pulumi.Input<number>;
  /**
   * Any change to this value reissues this identity alone: a new CA, key and certificate, so its previous
   * certificate is refused from that `pulumi up` on while every other identity keeps working. `tls.rotation`
   * reissues every identity too.
   */
  rotation?: pulumi.Input<string>;
}

/** One named client identity's bundle: what its docker client needs, and when its certificate ends. */
export interface ClientIdentity {
  /** The identity's client certificate (PEM; its common name is the identity's name): the client's `cert.pem`. */
  cert: pulumi.Output<string>;
  /** The identity's private key (PEM): the client's `key.pem`. Secret. */
  key: pulumi.Output<string>;
  /** The CA that signed the engine's server certificate (the DockerHost's `caCert`): the client's `ca.pem`. */
  caCert: pulumi.Output<string>;
  /** When the identity's certificate stops being valid (RFC 3339, e.g. `2027-12-06T10:00:00Z`). */
  validUntil: pulumi.Output<string>;
}

/** One identity of `tls.clients`, checked, its validity filled in from `tls` where it sets none. */
export interface CheckedClient {
  name: string;
  validity: Validity;
  rotation: pulumi.Input<string>;
}

/** What the tls provider made for one identity. */
export interface IdentityMaterial {
  certPem: pulumi.Output<string>;
  /** Secret. */
  keyPem: pulumi.Output<string>;
  /** The identity's own CA, which only dockerd's trust bundle holds. */
  caCertPem: pulumi.Output<string>;
  /** RFC 3339, whole seconds. */
  validUntil: pulumi.Output<string>;
}

/**
 * DNS-label-like: the name becomes part of resource names, of the certificate's common name and of a directory
 * on the user's machine, so it stays lowercase (no two names differ only in case on a case-insensitive disk).
 */
const IDENTITY_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Checks `tls.clients` (known when the program runs: each name becomes resources) and each identity's options.
 * undefined means no named identities. A BYO CA (`tls.caCertPem`) combines with identities: their CAs are
 * DockerHost's own, never signed by yours, so removing a name still revokes it.
 */
export function checkClients(value: unknown, defaults: Validity, check: Checker): CheckedClient[] {
  if (value === undefined || value === null) return [];
  check(null, () => {
    checkClientMap(value);
  });
  return Object.entries(value as Record<string, unknown>).map(([name, raw]) => {
    const path = `tls.clients.${name}`;
    const options = (raw ?? {}) as ClientIdentityArgs;
    const validityDays = check(options.validityDays ?? defaults.validityDays, (d) => {
      checkDays(`${path}.validityDays`, d);
    });
    const earlyRenewalDays = check(options.earlyRenewalDays ?? defaults.earlyRenewalDays, (d) => {
      checkDays(`${path}.earlyRenewalDays`, d);
    });
    const window = check([validityDays, earlyRenewalDays], (pair) => {
      const [validity, early] = pair as [number, number];
      checkIdentityWindow(path, validity, early, options);
    });
    const resolved = pulumi.output(window);
    return {
      name,
      validity: {
        validityDays: resolved.apply(([d]) => d as number),
        earlyRenewalDays: resolved.apply(([, d]) => d as number),
      },
      rotation: options.rotation ?? "",
    };
  });
}

/**
 * The map itself: known now with its names and option objects (the options' values may be Outputs), not empty,
 * every name DNS-label-like, every value an object.
 */
function checkClientMap(value: unknown): void {
  const example = "{ alice: {}, ci: { validityDays: 30 } }";
  const unknownNow = (v: unknown) => pulumi.Output.isInstance(v) || v instanceof Promise;
  if (unknownNow(value) || Object.values(value as object).some(unknownNow)) {
    throw new InputError(
      "tls.clients",
      "tls.clients must be known when the program runs (each name becomes a CA and a certificate of its own), got an Output: pass a map, e.g. from stack configuration",
    );
  }
  if (typeof value !== "object" || Array.isArray(value) || value === null) {
    throw new InputError(
      "tls.clients",
      `tls.clients must be a map from a client's name to its options, e.g. ${example}, got ${show(value)}`,
    );
  }
  const entries = Object.entries(value);
  if (entries.length === 0) {
    throw new InputError(
      "tls.clients",
      "tls.clients is empty: name at least one client identity, e.g. { alice: {} }, or leave tls.clients out for the single client certificate",
    );
  }
  for (const [name, options] of entries) {
    const path = `tls.clients.${name}`;
    if (!IDENTITY_NAME.test(name)) {
      throw new InputError(
        path,
        `tls.clients name ${show(name)} is not DNS-label-like: use 1 to 63 lowercase letters, digits and '-', starting and ending with a letter or digit`,
      );
    }
    if (
      options !== undefined &&
      options !== null &&
      (typeof options !== "object" || Array.isArray(options))
    ) {
      throw new InputError(
        path,
        `${path} must be an object of options ({} for the defaults), got ${show(options)}`,
      );
    }
  }
}

/** An identity's certificate must outlive its renewal window, whichever of the two comes from `tls`. */
function checkIdentityWindow(
  path: string,
  validity: number,
  early: number,
  own: ClientIdentityArgs,
): void {
  if (validity > early) return;
  const from = (field: keyof ClientIdentityArgs) =>
    own[field] === undefined ? `, from tls.${field}` : "";
  throw new InputError(
    `${path}.validityDays`,
    `${path}.validityDays (${String(validity)}${from("validityDays")}) must be greater than its earlyRenewalDays (${String(early)}${from("earlyRenewalDays")})`,
  );
}

/** Each identity's CA (`NAME-identity-ID-ca`) and certificate (`NAME-identity-ID-cert`), in name order. */
export function createIdentities(
  hostName: string,
  s: { algorithm: TlsAlgorithm; rotation: pulumi.Input<string>; clients: readonly CheckedClient[] },
  parent: pulumi.Resource,
): { byName: Record<string, IdentityMaterial>; caCerts: pulumi.Output<string[]> } {
  const byName: Record<string, IdentityMaterial> = {};
  for (const client of [...s.clients].sort((a, b) => a.name.localeCompare(b.name))) {
    // Either rotation reissues this identity: the host's (everything) or its own (this one alone).
    const opts: pulumi.CustomResourceOptions = {
      parent,
      replacementTrigger: pulumi.all([s.rotation, client.rotation]),
    };
    const prefix = `${hostName}-identity-${client.name}`;
    const ca = selfSignedCa(
      `${prefix}-ca`,
      `${hostName} client CA for ${client.name}`,
      s.algorithm,
      opts,
    );
    const leaf = issueLeaf(
      prefix,
      "client_auth",
      { subject: { commonName: client.name, organization: "docker-host" } },
      ca,
      client.validity,
      s.algorithm,
      opts,
    );
    byName[client.name] = {
      certPem: orEmpty(leaf.cert.certPem),
      keyPem: pulumi.secret(orEmpty(leaf.key.privateKeyPem)),
      caCertPem: orEmpty(ca.certPem),
      validUntil: orEmpty(leaf.cert.validityEndTime).apply(wholeSeconds),
    };
  }
  return {
    byName,
    caCerts: pulumi.all(Object.values(byName).map((m) => m.caCertPem)),
  };
}

/** The `clients` output: each identity's bundle, the server's CA added so that one entry is a whole bundle. */
export function clientOutputs(
  identities: Record<string, IdentityMaterial>,
  serverCa: pulumi.Output<string>,
): Record<string, ClientIdentity> {
  return Object.fromEntries(
    Object.entries(identities).map(([name, m]) => [
      name,
      { cert: m.certPem, key: pulumi.secret(m.keyPem), caCert: serverCa, validUntil: m.validUntil },
    ]),
  );
}
