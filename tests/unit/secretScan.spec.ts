import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { containsSecret, privatePart } from "../e2e/helpers/secrets";
import { makeCertificate } from "../helpers/openssl";

// The end-to-end leak check is only as good as this search: it must find a key in every form a leak takes
// and must not fire on public material.
describe("secret scan used by the end-to-end leak check", () => {
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" })
    .privateKey.export({ type: "sec1", format: "pem" })
    .toString();
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();
  const file = path.join(mkdtempSync(path.join(tmpdir(), "dh-scan-")), "id");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file]);
  const openssh = readFileSync(file, "utf8");

  for (const [label, key] of [
    ["EC", ec],
    ["RSA", rsa],
    ["OpenSSH Ed25519", openssh],
  ] as const) {
    it(`finds a ${label} key as PEM, JSON-escaped PEM and raw bytes`, () => {
      const secret = privatePart(key);
      assert.ok(secret.length >= 32);
      assert.ok(containsSecret(`before ${key} after`, secret));
      assert.ok(containsSecret(JSON.stringify({ value: key }), secret));
      assert.ok(containsSecret(`x${secret.toString("latin1")}y`, secret));
      assert.ok(
        !containsSecret(JSON.stringify({ cert: makeCertificate("x", "DNS:localhost") }), secret),
      );
      assert.ok(!containsSecret(readFileSync(`${file}.pub`, "utf8"), privatePart(openssh)));
    });
  }
});
