import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

// Real certificates made by openssl for the unit and end-to-end tests, so code that parses or judges
// certificates meets the real thing. Keys are ECDSA P-256, DockerHost's default.

/** openssl's options for a new unencrypted P-256 key. */
const P256 = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

/** Runs openssl in `dir`; its chatter is dropped (it only ever sees file names, never key material). */
export function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
}

/** A file of a PKI directory, as text. */
export function readPem(dir: string, file: string): string {
  return readFileSync(path.join(dir, file), "utf8");
}

/** In `dir`: a new key NAME.key and a certificate request NAME.csr for `subject` (e.g. `/CN=client`). */
export function keyAndRequest(dir: string, name: string, subject: string): void {
  openssl(dir, [
    "req",
    "-new",
    ...P256,
    "-keyout",
    `${name}.key`,
    "-out",
    `${name}.csr`,
    "-subj",
    subject,
  ]);
}

/** A new directory holding a self-signed CA, ca.pem and ca.key, valid for `days`. */
export function newCa(commonName: string, days: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), "dh-pki-"));
  openssl(dir, [
    "req",
    "-x509",
    ...P256,
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    String(days),
    "-subj",
    `/CN=${commonName}`,
  ]);
  return dir;
}

/**
 * In a CA directory from newCa: NAME.key and NAME.pem, a certificate for `/CN=NAME` signed by that CA, valid
 * for `days` from now, with the extensions in `extensions` (openssl's extfile syntax).
 */
export function signLeaf(dir: string, name: string, days: number, extensions: string): void {
  keyAndRequest(dir, name, `/CN=${name}`);
  writeFileSync(path.join(dir, `${name}.ext`), extensions);
  openssl(dir, [
    "x509",
    "-req",
    "-in",
    `${name}.csr`,
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    `${name}.pem`,
    "-days",
    String(days),
    "-extfile",
    `${name}.ext`,
  ]);
}

/** A self-signed certificate for `commonName` with the subjectAltName `sans` (e.g. `DNS:localhost,IP:127.0.0.1`). */
export function makeCertificate(commonName: string, sans: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "dh-cert-"));
  try {
    openssl(dir, [
      "req",
      "-x509",
      ...P256,
      "-keyout",
      "key.pem",
      "-out",
      "cert.pem",
      "-days",
      "365",
      "-subj",
      `/CN=${commonName}`,
      "-addext",
      `subjectAltName=${sans}`,
    ]);
    return readPem(dir, "cert.pem");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
