// The client bundle on disk: one directory per host (0700) with ca.pem, cert.pem and key.pem (0600), the layout
// DOCKER_CERT_PATH and the docker CLI's --tls* flags expect.
import { chmodSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";
import { ClientBundle } from "./hosts";

/** Where bundles go: --certs-dir, else $DOCKERHOST_CERTS_DIR, else ~/.docker/docker-host. */
export function certsBase(
  option: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const base = option ?? env.DOCKERHOST_CERTS_DIR ?? path.join(homedir(), ".docker", "docker-host");
  return path.resolve(base);
}

/** A host's own directory, so hosts of the same name in other stacks or projects never share one. */
export function hostDir(base: string, project: string, stack: string, name: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, "_");
  return path.join(base, safe(project), safe(stack), safe(name));
}

/** Writes (or refreshes) the bundle; each file is replaced atomically, so a running docker never reads half. */
export function writeBundle(dir: string, host: ClientBundle): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const put = (file: string, content: string, mode: number) => {
    const target = path.join(dir, file);
    const temp = `${target}.${String(process.pid)}.tmp`;
    writeFileSync(temp, content, { mode });
    chmodSync(temp, mode);
    renameSync(temp, target);
  };
  put("ca.pem", host.caCert, 0o644);
  put("cert.pem", host.clientCert, 0o644);
  put("key.pem", host.clientKey, 0o600);
  return dir;
}
