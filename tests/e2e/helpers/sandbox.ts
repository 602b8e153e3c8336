import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

export const REPO = path.join(__dirname, "..", "..", "..");
const SANDBOX_SH = path.join(REPO, "scripts", "sandbox.sh");

/** What `scripts/sandbox.sh up` reports about a booted sandbox host. */
export interface Sandbox {
  name: string;
  host: string;
  port: number;
  user: string;
  privateKeyPath: string;
  hostKey: string;
  /** The systemd-nspawn process on this machine. */
  pid: number;
  /** The sandbox's /24, e.g. `10.77.3.0/24`. */
  subnet: string;
  /** This machine's side of the sandbox's veth pair. */
  iface: string;
}

const running = new Set<string>();

/** Boots a fresh sandbox host (a systemd Debian 12 in its own network namespace) and waits for sshd. */
export function sandboxUp(name: string): Sandbox {
  const out = execFileSync("bash", [SANDBOX_SH, "up", name], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    timeout: 10 * 60_000,
  });
  running.add(name);
  return JSON.parse(out) as Sandbox;
}

/** Stops a sandbox and removes everything it created (processes, interfaces, NAT rules, files). */
export function sandboxDown(name: string): void {
  spawnSync("bash", [SANDBOX_SH, "down", name], { stdio: "inherit", timeout: 120_000 });
  running.delete(name);
}

// Whatever happens (a failed hook, Ctrl-C, a kill), sandboxes this process booted are taken down.
function downAll(): void {
  for (const name of [...running]) sandboxDown(name);
}
process.on("exit", downAll);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    downAll();
    process.exit(130);
  });
}

/** Runs a command on the sandbox over SSH with its pinned host key (never StrictHostKeyChecking=no). */
export function ssh(sb: Sandbox, command: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "dh-known-"));
  const knownHosts = path.join(dir, "known_hosts");
  writeFileSync(knownHosts, `${sb.host} ${sb.hostKey}\n`);
  return execFileSync(
    "ssh",
    [
      "-i",
      sb.privateKeyPath,
      "-p",
      String(sb.port),
      "-o",
      "BatchMode=yes",
      "-o",
      "StrictHostKeyChecking=yes",
      "-o",
      `UserKnownHostsFile=${knownHosts}`,
      `${sb.user}@${sb.host}`,
      command,
    ],
    { encoding: "utf8", timeout: 120_000 },
  );
}
