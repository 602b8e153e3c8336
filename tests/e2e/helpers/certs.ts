import { Stack } from "@pulumi/pulumi/automation";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { keyAndRequest, newCa, openssl, readPem, signLeaf } from "../../helpers/openssl";

/** A client key and certificate in PEM. */
export interface ClientPair {
  cert: string;
  key: string;
}

/** A client key and certificate from a CA that has nothing to do with the host (made with openssl). */
export function foreignClient(): ClientPair {
  const dir = newCa("other CA", 2);
  signLeaf(dir, "intruder", 2, "extendedKeyUsage=clientAuth\n");
  return { cert: readPem(dir, "intruder.pem"), key: readPem(dir, "intruder.key") };
}

// `openssl ca` is the one openssl 3.0 command that sets both ends of the validity period (`x509 -req` always
// starts now); this is the least configuration it accepts, with the extensions a Docker client certificate has.
const CA_CONFIG = `[ca]
default_ca = this
[this]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any
unique_subject = no
[any]
commonName = supplied
[client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
`;

/**
 * A client certificate signed by the given CA and valid from `notBefore` to `notAfter` (Date objects), so a test
 * can make an expired one and, as its control, a current one made the same way.
 */
export function clientSignedBy(
  caCert: string,
  caKey: string,
  notBefore: Date,
  notAfter: Date,
): ClientPair {
  const dir = mkdtempSync(path.join(tmpdir(), "dh-signed-"));
  writeFileSync(path.join(dir, "ca.pem"), caCert);
  writeFileSync(path.join(dir, "ca.key"), caKey, { mode: 0o600 });
  writeFileSync(path.join(dir, "ca.cnf"), CA_CONFIG);
  writeFileSync(path.join(dir, "index.txt"), "");
  writeFileSync(path.join(dir, "serial"), "1000\n");
  keyAndRequest(dir, "client", "/CN=time traveller");
  // openssl's form of a UTC time: YYYYMMDDHHMMSSZ.
  const stamp = (d: Date) =>
    d
      .toISOString()
      .replace(/[-:T]/g, "")
      .replace(/\.\d+Z$/, "Z");
  openssl(dir, [
    "ca",
    "-batch",
    "-notext",
    "-config",
    "ca.cnf",
    "-cert",
    "ca.pem",
    "-keyfile",
    "ca.key",
    "-in",
    "client.csr",
    "-out",
    "client.pem",
    "-extensions",
    "client",
    "-startdate",
    stamp(notBefore),
    "-enddate",
    stamp(notAfter),
  ]);
  return { cert: readPem(dir, "client.pem"), key: readPem(dir, "client.key") };
}

/**
 * One output of a resource in the stack's state, secrets decrypted (the Automation API's export): what a stack
 * owner can read. `resourceName` is the last part of the URN, e.g. `sandbox-ca-key`.
 */
export async function stateOutput(
  stack: Stack,
  resourceName: string,
  output: string,
): Promise<string> {
  const state = await stack.exportStack();
  type Resource = { urn: string; outputs?: Record<string, unknown> };
  const resources = (state.deployment as { resources?: Resource[] }).resources ?? [];
  const value = resources.find((r) => r.urn.endsWith(`::${resourceName}`))?.outputs?.[output];
  if (typeof value === "string") return value;
  // A decrypted secret keeps its envelope: { <signature>: ..., plaintext: "<the value as JSON>" }.
  const plaintext = (value as { plaintext?: string } | undefined)?.plaintext;
  if (typeof plaintext === "string") return JSON.parse(plaintext) as string;
  throw new Error(`no ${output} of ${resourceName} in the stack's state`);
}

/** The private key of a DockerHost's CA, to mint certificates the host must judge. */
export function stackCaKey(stack: Stack, hostName: string): Promise<string> {
  return stateOutput(stack, `${hostName}-ca-key`, "privateKeyPem");
}
