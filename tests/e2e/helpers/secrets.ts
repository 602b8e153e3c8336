import { createPrivateKey } from "node:crypto";

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
