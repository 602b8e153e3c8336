import { execFileSync, spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
  copyFileSync,
} from "node:fs";
import * as https from "node:https";
import * as net from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";

/** A client certificate bundle in a DOCKER_CERT_PATH-style directory. */
export interface Bundle {
  dir: string;
  ca: string;
  cert: string;
  key: string;
}

export function writeBundle(ca: string, cert: string, key: string): Bundle {
  const dir = mkdtempSync(path.join(tmpdir(), "dh-certs-"));
  writeFileSync(path.join(dir, "ca.pem"), ca);
  writeFileSync(path.join(dir, "cert.pem"), cert);
  writeFileSync(path.join(dir, "key.pem"), key, { mode: 0o600 });
  return { dir, ca, cert, key };
}

/** The real docker CLI of this machine, speaking to the host over mutual TLS with only the stack's outputs. */
export function docker(dockerHost: string, bundle: Bundle, args: string[], input?: Buffer): string {
  return execFileSync("docker", ["--tlsverify", "-H", dockerHost, ...args], {
    env: { ...process.env, DOCKER_CERT_PATH: bundle.dir, DOCKER_CONFIG: bundle.dir },
    encoding: "utf8",
    timeout: 120_000,
    maxBuffer: 64 << 20,
    ...(input !== undefined ? { input } : {}),
  }).trim();
}

/** The outcome of one HTTPS request against the engine port with a chosen client identity. */
export async function probe(
  address: string,
  port: number,
  ca: string,
  client?: { cert: string; key: string },
): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const req = https.request(
      {
        host: address,
        port,
        path: "/version",
        ca,
        ...client,
        servername: "localhost",
        timeout: 10_000,
      },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0 });
      },
    );
    req.on("error", (e) => {
      resolve({ error: e.message });
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.end();
  });
}

/** Plain HTTP to the TLS port: the raw bytes that come back (dockerd answers with a TLS alert or a 400). */
export async function plainHttp(address: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port }, () => {
      socket.write("GET /version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    });
    let data = "";
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on("data", (d: Buffer) => (data += d.toString("latin1")));
    socket.on("close", () => {
      resolve(data);
    });
    socket.on("error", () => {
      resolve(data);
    });
  });
}

/** A tiny image rootfs from Debian's busybox-static: /bin/busybox plus /bin/sh and /bin/echo links. */
export function busyboxTarball(): Buffer {
  const busybox = ["/bin/busybox", "/usr/bin/busybox"].find(
    (p) => spawnSync(p, ["true"]).status === 0,
  );
  if (busybox === undefined)
    throw new Error("busybox-static is not installed (the test command installs it)");
  const root = mkdtempSync(path.join(tmpdir(), "dh-busybox-"));
  mkdirSync(path.join(root, "bin"));
  copyFileSync(busybox, path.join(root, "bin", "busybox"));
  for (const applet of ["sh", "echo", "sleep", "cat"])
    symlinkSync("busybox", path.join(root, "bin", applet));
  return execFileSync("tar", ["-C", root, "-cf", "-", ...readdirSync(root)], {
    maxBuffer: 64 << 20,
  });
}
