import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
  /** The systemd-nspawn process on this machine (with `surviveReboot`, the supervisor that relaunches it). */
  pid: number;
  /** The sandbox's /24, e.g. `10.77.3.0/24`. */
  subnet: string;
  /** This machine's side of the sandbox's veth pair. */
  iface: string;
}

const running = new Set<string>();

/**
 * Boots a fresh sandbox host (a systemd Debian 12 in its own network namespace) and waits for sshd. With
 * `surviveReboot`, a reboot inside the guest brings it back on the same address, disk and host keys.
 */
export function sandboxUp(name: string, opts: { surviveReboot?: boolean } = {}): Sandbox {
  const args = [
    SANDBOX_SH,
    "up",
    name,
    ...(opts.surviveReboot === true ? ["--survive-reboot"] : []),
  ];
  const out = execFileSync("bash", args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    timeout: 10 * 60_000,
  });
  running.add(name);
  return JSON.parse(out) as Sandbox;
}

/** What a cloud VM boots with: cloud-init's NoCloud seed, and the files its image carries. */
export interface Seed {
  /** The user data, exactly as the cloud would hand it over. */
  userData: string;
  /** The NoCloud meta-data (YAML): instance-id, local-hostname, public-keys. */
  metaData: string;
  /** Files of the image, by absolute path (e.g. cloud-init's config of the cloud's default user). */
  image?: Record<string, { content: string; mode?: number }>;
}

/** A sandbox booted like a cloud VM: no login of ours on it, cloud-init makes them from the seed. */
export interface SeededSandbox {
  name: string;
  host: string;
  port: number;
  pid: number;
  subnet: string;
  iface: string;
  /** The guest's console (systemd's and cloud-init's boot messages). */
  console: string;
}

/**
 * Boots the cloud-init variant of the sandbox image with a NoCloud seed and returns at once, still booting, as a
 * cloud API returns a VM: cloud-init then installs the host keys, the users and their keys, and runs the user data.
 */
export function sandboxUpSeeded(name: string, seed: Seed): SeededSandbox {
  const dir = mkdtempSync(path.join(tmpdir(), "dh-seed-"));
  writeFileSync(path.join(dir, "user-data"), seed.userData, { mode: 0o600 });
  writeFileSync(path.join(dir, "meta-data"), seed.metaData);
  for (const [file, { content, mode }] of Object.entries(seed.image ?? {})) {
    const target = path.join(dir, "image", file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
    chmodSync(target, mode ?? 0o644);
  }
  running.add(name); // before booting: a failed or interrupted boot is cleaned up too
  try {
    const out = execFileSync("bash", [SANDBOX_SH, "up", name, "--seed", dir], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      timeout: 10 * 60_000,
    });
    return JSON.parse(out) as SeededSandbox;
  } finally {
    rmSync(dir, { recursive: true, force: true }); // the user data holds the host's private key
  }
}

/** Stops a sandbox and removes everything it created (processes, interfaces, NAT rules, files). */
export function sandboxDown(name: string): void {
  spawnSync("bash", [SANDBOX_SH, "down", name], { stdio: "inherit", timeout: 120_000 });
  running.delete(name);
}

/** Takes several sandboxes down at once (each guest's shutdown takes seconds). */
export async function sandboxesDown(names: string[]): Promise<void> {
  await Promise.all(
    names.map(
      (name) =>
        new Promise<void>((resolve) => {
          const child = spawn("bash", [SANDBOX_SH, "down", name], { stdio: "inherit" });
          const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
          child.on("exit", () => {
            clearTimeout(timer);
            running.delete(name);
            resolve();
          });
        }),
    ),
  );
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
