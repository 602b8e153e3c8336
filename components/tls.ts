import * as pulumi from "@pulumi/pulumi";
import { SanList } from "./addresses";
import { TlsAlgorithm } from "./args";
import { CheckedClient, createIdentities, IdentityMaterial } from "./clients";
import { HELD_SERVER_NAMES } from "./power";
import { CaPair, issueLeaf, orEmpty, pemBundle, selfSignedCa, wholeSeconds } from "./pki";

/** What the TLS part of a DockerHost needs, resolved from its inputs. */
export interface TlsSettings {
  algorithm: TlsAlgorithm;
  validityDays: pulumi.Input<number>;
  earlyRenewalDays: pulumi.Input<number>;
  /** Any change reissues the certificates (and the per-host CA) with new keys. */
  rotation: pulumi.Input<string>;
  /** The server certificate's names. */
  sans: pulumi.Input<SanList>;
  /** A caller's CA; both or neither. */
  caCertPem?: pulumi.Input<string>;
  caKeyPem?: pulumi.Input<string>;
  /** The named client identities (`tls.clients`), checked; empty without it. */
  clients: readonly CheckedClient[];
  /**
   * Hold the server certificate's names (the machine is stopped and may have no public address): a change waits
   * until the machine runs again, instead of a certificate that would be replaced once more at the start.
   */
  holdNames?: boolean;
}

/** The certificates a host serves and its clients present. */
export interface TlsMaterial {
  caCertPem: pulumi.Output<string>;
  serverCertPem: pulumi.Output<string>;
  /** Secret. */
  serverKeyPem: pulumi.Output<string>;
  clientCertPem: pulumi.Output<string>;
  /** Secret. */
  clientKeyPem: pulumi.Output<string>;
  /** When the server certificate stops being valid (RFC 3339). */
  serverValidUntil: pulumi.Output<string>;
  /** When the client certificate stops being valid (RFC 3339). */
  clientValidUntil: pulumi.Output<string>;
  /** The named client identities, by name. */
  identities: Record<string, IdentityMaterial>;
  /**
   * The CAs whose client certificates dockerd accepts (its `tlscacert`): the host's CA (the stack's own client
   * certificate) and each identity's CA, in name order. Dropping an identity drops its CA from here, which is
   * what makes the daemon refuse its certificate.
   */
  trustedClientCas: pulumi.Output<string>;
}

/**
 * Creates the CA (unless the caller brings one), the server certificate with serverAuth and the SANs, the
 * client certificate with clientAuth, and each named identity's CA and certificate, all with @pulumi/tls.
 * `rotation` is a replacement trigger on every key and certificate, so changing it reissues them
 * deterministically (the provider's own early renewal is not relied on).
 */
export function createTls(name: string, s: TlsSettings, parent: pulumi.Resource): TlsMaterial {
  const opts: pulumi.CustomResourceOptions = { parent, replacementTrigger: s.rotation };
  const ca: CaPair =
    s.caCertPem !== undefined && s.caKeyPem !== undefined
      ? { certPem: pulumi.output(s.caCertPem), keyPem: pulumi.secret(s.caKeyPem) }
      : selfSignedCa(`${name}-ca`, `${name} Docker CA`, s.algorithm, opts);

  const sans = pulumi.output(s.sans);
  const server = issueLeaf(
    `${name}-server`,
    "server_auth",
    {
      subject: { commonName: `${name} Docker Engine`, organization: "docker-host" },
      ipAddresses: sans.ipAddresses,
      dnsNames: sans.dnsNames,
    },
    ca,
    s,
    s.algorithm,
    opts,
    s.holdNames === true ? HELD_SERVER_NAMES : [],
  );
  const client = issueLeaf(
    `${name}-client`,
    "client_auth",
    { subject: { commonName: `${name} Docker client`, organization: "docker-host" } },
    ca,
    s,
    s.algorithm,
    opts,
  );
  const caCertPem = orEmpty(ca.certPem);
  const identities = createIdentities(name, s, parent);

  return {
    caCertPem,
    serverCertPem: orEmpty(server.cert.certPem),
    serverKeyPem: pulumi.secret(orEmpty(server.key.privateKeyPem)),
    clientCertPem: orEmpty(client.cert.certPem),
    clientKeyPem: pulumi.secret(orEmpty(client.key.privateKeyPem)),
    serverValidUntil: orEmpty(server.cert.validityEndTime).apply(wholeSeconds),
    clientValidUntil: orEmpty(client.cert.validityEndTime).apply(wholeSeconds),
    identities: identities.byName,
    trustedClientCas: pulumi
      .all([caCertPem, identities.caCerts])
      .apply(([host, own]) => pemBundle([host, ...own])),
  };
}
