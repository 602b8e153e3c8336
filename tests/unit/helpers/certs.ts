import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

/** A real self-signed certificate made by openssl, so code that parses certificates meets the real thing. */
export function makeCertificate(commonName: string, sans: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "dh-cert-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        path.join(dir, "key.pem"),
        "-out",
        path.join(dir, "cert.pem"),
        "-days",
        "365",
        "-subj",
        `/CN=${commonName}`,
        "-addext",
        `subjectAltName=${sans}`,
      ],
      { stdio: "ignore" },
    );
    return readFileSync(path.join(dir, "cert.pem"), "utf8");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
