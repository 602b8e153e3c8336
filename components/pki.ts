// The certificate building blocks every DockerHost certificate is made of, all with @pulumi/tls (no hand-written
// cryptography): a self-signed CA, a leaf signed by a CA, and the small conversions of what the provider returns.
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { TlsAlgorithm } from "./args";

/** Ten years, as Docker's own guidance for a private CA; leaf certificates are short-lived and rotated. */
const CA_VALIDITY_HOURS = 87600;

export function keyArgs(algorithm: TlsAlgorithm): tls.PrivateKeyArgs {
  return algorithm === TlsAlgorithm.Rsa
    ? { algorithm: "RSA", rsaBits: 4096 }
    : { algorithm: "ECDSA", ecdsaCurve: "P256" };
}

/** A CA made by @pulumi/tls: its key `${resourceName}-key` and its self-signed certificate `${resourceName}`. */
export interface CaPair {
  certPem: pulumi.Output<string>;
  keyPem: pulumi.Output<string>;
}

/** A new self-signed CA (key and certificate) named `resourceName`, valid for ten years. */
export function selfSignedCa(
  resourceName: string,
  commonName: string,
  algorithm: TlsAlgorithm,
  opts: pulumi.CustomResourceOptions,
): CaPair {
  const key = new tls.PrivateKey(`${resourceName}-key`, keyArgs(algorithm), opts);
  const ca = new tls.SelfSignedCert(
    resourceName,
    {
      privateKeyPem: key.privateKeyPem,
      subject: { commonName, organization: "docker-host" },
      isCaCertificate: true,
      validityPeriodHours: CA_VALIDITY_HOURS,
      allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
      setSubjectKeyId: true,
    },
    opts,
  );
  return { certPem: ca.certPem, keyPem: key.privateKeyPem };
}

/** How long a leaf certificate lives and when it is reissued, in days. */
export interface Validity {
  validityDays: pulumi.Input<number>;
  earlyRenewalDays: pulumi.Input<number>;
}

/**
 * A leaf certificate `${prefix}-cert` with its key `${prefix}-key` and request `${prefix}-csr`, signed by `ca`,
 * for serverAuth or clientAuth. `requestIgnores`: properties of the request whose changes are held.
 */
export function issueLeaf(
  prefix: string,
  use: "server_auth" | "client_auth",
  request: Omit<tls.CertRequestArgs, "privateKeyPem">,
  ca: CaPair,
  validity: Validity,
  algorithm: TlsAlgorithm,
  opts: pulumi.CustomResourceOptions,
  requestIgnores: readonly string[] = [],
): { key: tls.PrivateKey; cert: tls.LocallySignedCert } {
  const key = new tls.PrivateKey(`${prefix}-key`, keyArgs(algorithm), opts);
  const csr = new tls.CertRequest(
    `${prefix}-csr`,
    { privateKeyPem: key.privateKeyPem, ...request },
    requestIgnores.length > 0 ? { ...opts, ignoreChanges: [...requestIgnores] } : opts,
  );
  const cert = new tls.LocallySignedCert(
    `${prefix}-cert`,
    {
      certRequestPem: csr.certRequestPem,
      caCertPem: ca.certPem,
      caPrivateKeyPem: ca.keyPem,
      validityPeriodHours: pulumi.output(validity.validityDays).apply((d) => d * 24),
      earlyRenewalHours: pulumi.output(validity.earlyRenewalDays).apply((d) => d * 24),
      allowedUses: ["digital_signature", "key_encipherment", use],
    },
    opts,
  );
  return { key, cert };
}

/** PEM certificates as one bundle file: each ends with exactly one newline, none is empty. */
export function pemBundle(pems: readonly string[]): string {
  return pems
    .map((p) => p.trim())
    .filter((p) => p !== "")
    .map((p) => `${p}\n`)
    .join("");
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
export function orEmpty(value: pulumi.Output<string>): pulumi.Output<string> {
  return value.apply((v) => (v as string | undefined) ?? "");
}
