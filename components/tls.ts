import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { SanList } from "./addresses";
import { TlsAlgorithm } from "./args";

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
}

/** Ten years, as Docker's own guidance for a private CA; leaf certificates are short-lived and rotated. */
const CA_VALIDITY_HOURS = 87600;

function keyArgs(algorithm: TlsAlgorithm): tls.PrivateKeyArgs {
  return algorithm === TlsAlgorithm.Rsa
    ? { algorithm: "RSA", rsaBits: 4096 }
    : { algorithm: "ECDSA", ecdsaCurve: "P256" };
}

/**
 * Creates the CA (unless the caller brings one), the server certificate with serverAuth and the SANs, and the
 * client certificate with clientAuth, all with @pulumi/tls. `rotation` is a replacement trigger on every key and
 * certificate, so changing it reissues them deterministically (the provider's own early renewal is not relied on).
 */
export function createTls(name: string, s: TlsSettings, parent: pulumi.Resource): TlsMaterial {
  const opts: pulumi.CustomResourceOptions = { parent, replacementTrigger: s.rotation };
  const validityHours = pulumi.output(s.validityDays).apply((d) => d * 24);
  const earlyRenewalHours = pulumi.output(s.earlyRenewalDays).apply((d) => d * 24);

  let caCertPem: pulumi.Output<string>;
  let caKeyPem: pulumi.Output<string>;
  if (s.caCertPem !== undefined && s.caKeyPem !== undefined) {
    caCertPem = pulumi.output(s.caCertPem);
    caKeyPem = pulumi.secret(s.caKeyPem);
  } else {
    const caKey = new tls.PrivateKey(`${name}-ca-key`, keyArgs(s.algorithm), opts);
    const ca = new tls.SelfSignedCert(
      `${name}-ca`,
      {
        privateKeyPem: caKey.privateKeyPem,
        subject: { commonName: `${name} Docker CA`, organization: "docker-host" },
        isCaCertificate: true,
        validityPeriodHours: CA_VALIDITY_HOURS,
        allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
        setSubjectKeyId: true,
      },
      opts,
    );
    caCertPem = ca.certPem;
    caKeyPem = caKey.privateKeyPem;
  }

  const issue = (
    role: "server" | "client",
    request: Omit<tls.CertRequestArgs, "privateKeyPem">,
  ) => {
    const key = new tls.PrivateKey(`${name}-${role}-key`, keyArgs(s.algorithm), opts);
    const csr = new tls.CertRequest(
      `${name}-${role}-csr`,
      { privateKeyPem: key.privateKeyPem, ...request },
      opts,
    );
    const cert = new tls.LocallySignedCert(
      `${name}-${role}-cert`,
      {
        certRequestPem: csr.certRequestPem,
        caCertPem,
        caPrivateKeyPem: caKeyPem,
        validityPeriodHours: validityHours,
        earlyRenewalHours,
        allowedUses: [
          "digital_signature",
          "key_encipherment",
          role === "server" ? "server_auth" : "client_auth",
        ],
      },
      opts,
    );
    return { key, cert };
  };

  const sans = pulumi.output(s.sans);
  const server = issue("server", {
    subject: { commonName: `${name} Docker Engine`, organization: "docker-host" },
    ipAddresses: sans.ipAddresses,
    dnsNames: sans.dnsNames,
  });
  const client = issue("client", {
    subject: { commonName: `${name} Docker client`, organization: "docker-host" },
  });

  return {
    caCertPem: orEmpty(caCertPem),
    serverCertPem: orEmpty(server.cert.certPem),
    serverKeyPem: pulumi.secret(orEmpty(server.key.privateKeyPem)),
    clientCertPem: orEmpty(client.cert.certPem),
    clientKeyPem: pulumi.secret(orEmpty(client.key.privateKeyPem)),
    serverValidUntil: orEmpty(server.cert.validityEndTime).apply(wholeSeconds),
    clientValidUntil: orEmpty(client.cert.validityEndTime).apply(wholeSeconds),
  };
}

/**
 * An RFC 3339 time without its fraction of a second. The provider records the end it computed, to the
 * nanosecond; the certificate holds whole seconds (X.509 times have no fraction, Go truncates), so this is the
 * moment the certificate really stops being valid.
 */
export function wholeSeconds(time: string): string {
  return time.replace(/^(.*T\d\d:\d\d:\d\d)\.\d+/, "$1");
}

/**
 * The tls provider always returns these outputs; mocks that echo a resource's inputs as its state (Pulumi's
 * testing guide) return none, and the steps that read them must still render, so a missing value is "".
 */
function orEmpty(value: pulumi.Output<string>): pulumi.Output<string> {
  return value.apply((v) => (v as string | undefined) ?? "");
}
