import { Stack } from "@pulumi/pulumi/automation";
import * as assert from "node:assert/strict";
import { createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { stateOutput } from "./certs";
import { storedState } from "./stack";

/**
 * The private part of a key: the scalar of an EC or Ed25519 key, the private exponent of an RSA key, or the
 * seed of an OpenSSH Ed25519 key. Public key bytes are left out on purpose, since certificates and CSRs
 * legitimately repeat them.
 */
export function privatePart(key: string): Buffer {
  if (key.includes("OPENSSH PRIVATE KEY")) return opensshEd25519Seed(key);
  const jwk = createPrivateKey(key).export({ format: "jwk" });
  if (jwk.d === undefined) throw new Error("not a private key");
  return Buffer.from(jwk.d, "base64url");
}

/** The 32-byte seed of an unencrypted OpenSSH Ed25519 private key (PROTOCOL.key layout). */
function opensshEd25519Seed(key: string): Buffer {
  const blob = Buffer.from(key.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
  let at = "openssh-key-v1\0".length;
  const next = (): Buffer => {
    const length = blob.readUInt32BE(at);
    const value = blob.subarray(at + 4, at + 4 + length);
    at += 4 + length;
    return value;
  };
  const [cipher, , ,] = [next(), next(), next()];
  if (cipher.toString() !== "none") throw new Error("encrypted OpenSSH keys are not supported");
  at += 4; // number of keys
  next(); // public key blob
  const section = next();
  const read = (): Buffer => {
    const length = section.readUInt32BE(at);
    const value = section.subarray(at + 4, at + 4 + length);
    at += 4 + length;
    return value;
  };
  at = 8; // two check integers
  if (read().toString() !== "ssh-ed25519")
    throw new Error("only Ed25519 OpenSSH keys are supported");
  read(); // public key
  return Buffer.from(read().subarray(0, 32));
}

/**
 * True when `secret` occurs in `text` in any form a leak would take there: raw, or inside any base64 run (PEM
 * bodies, line-wrapped, also with JSON-escaped line breaks), decoded.
 */
export function containsSecret(text: string, secret: Buffer): boolean {
  if (text.includes(secret.toString("latin1"))) return true;
  const unescaped = text.replace(/\\n/g, "\n");
  for (const run of unescaped.match(
    /(?:[A-Za-z0-9+/]{16,}={0,2}\s*){2,}|[A-Za-z0-9+/]{40,}={0,2}/g,
  ) ?? []) {
    const compact = run.replace(/\s+/g, "");
    // Every alignment: a run may start in the middle of a 4-character base64 group.
    for (let shift = 0; shift < 4; shift++) {
      const decoded = Buffer.from(compact.slice(shift), "base64");
      if (decoded.includes(secret)) return true;
    }
  }
  return false;
}

/**
 * The private part of every key a stack of DockerHosts holds or used, by what it is: each host's CA, server and
 * client keys (read from the decrypted state) and the SSH login keys given.
 */
export async function stackKeys(
  stack: Stack,
  hostNames: readonly string[],
  sshKeyPaths: readonly string[],
): Promise<Record<string, Buffer>> {
  const keys: Record<string, Buffer> = {};
  for (const name of hostNames) {
    for (const role of ["ca", "server", "client"]) {
      const pem = await stateOutput(stack, `${name}-${role}-key`, "privateKeyPem");
      keys[`${name}'s ${role} key`] = privatePart(pem);
    }
  }
  for (const file of sshKeyPaths) keys[`SSH key ${file}`] = privatePart(readFileSync(file, "utf8"));
  return keys;
}

/**
 * Asserts that none of `keys` appears in the state as the backend stores it or in `printed` (everything the
 * engine printed and every error it raised); while the stack has resources, that the state does hold secrets,
 * encrypted.
 */
export function assertNoLeaks(
  stack: Stack,
  keys: Record<string, Buffer>,
  printed: string,
  stateHoldsSecrets: boolean,
): void {
  const stored = storedState(stack);
  if (stateHoldsSecrets) assert.match(stored, /"ciphertext"/, "the state holds encrypted secrets");
  for (const [what, key] of Object.entries(keys)) {
    assert.ok(!containsSecret(stored, key), `${what} appears in the stack state`);
    assert.ok(!containsSecret(printed, key), `${what} appears in the engine's output or errors`);
  }
}

/**
 * stackKeys, then assertNoLeaks. The first key is also looked for in the decrypted export, where it must be
 * found: the search itself can fail.
 */
export async function assertNoKeyLeaks(
  stack: Stack,
  hostNames: readonly string[],
  sshKeyPaths: readonly string[],
  printed: string,
): Promise<void> {
  const keys = await stackKeys(stack, hostNames, sshKeyPaths);
  const [firstName, first] = Object.entries(keys)[0] ?? ["", Buffer.alloc(0)];
  const decrypted = JSON.stringify(await stack.exportStack());
  assert.ok(containsSecret(decrypted, first), `${firstName} is found where it is in the clear`);
  assertNoLeaks(stack, keys, printed, true);
}
