// `ssh` and `scp`: the system's OpenSSH client with the stack's login key and the pinned host key:
// StrictHostKeyChecking=yes against a known_hosts file that holds only the pinned keys (Docker Machine used
// StrictHostKeyChecking=no). The keys live in files, never on a command line.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { CliError, ExitCode } from "./errors";
import { SshAccess } from "./hosts";

/** The known_hosts line pinning `hostKey` for host and port (`[host]:port` when the port is not 22). */
export function knownHostsLine(host: string, port: number, hostKey: string): string {
  const key = hostKey.trim().split(/\s+/).slice(0, 2).join(" ");
  return `${port === 22 ? host : `[${host}]:${String(port)}`} ${key}\n`;
}

/** The `-o` options every connection gets: only the files given, the pinned key checked strictly. */
export function pinnedOptions(knownHostsFile: string): string[] {
  return [
    "IdentitiesOnly=yes",
    "StrictHostKeyChecking=yes",
    `UserKnownHostsFile=${knownHostsFile}`,
    "GlobalKnownHostsFile=/dev/null",
    "UpdateHostKeys=no",
    "PasswordAuthentication=no",
    "ConnectTimeout=10",
    "ServerAliveInterval=60",
  ].flatMap((o) => ["-o", o]);
}

/** The ssh arguments: only the files given, the pinned key checked strictly, then the remote command. */
export function sshArgs(
  access: SshAccess,
  keyFile: string,
  knownHostsFile: string,
  command: readonly string[],
): string[] {
  return [
    "-i",
    keyFile,
    "-p",
    String(access.port),
    "-l",
    access.user,
    ...pinnedOptions(knownHostsFile),
    // "--" ends ssh's options: the host and the remote command follow, never parsed as ssh options.
    "--",
    access.host,
    ...command,
  ];
}

/** The files a connection uses: one key file per host (in the order given) and one known_hosts for all. */
export interface SshFiles {
  keyFiles: string[];
  knownHosts: string;
}

/** A DockerHost without a pinned host key is never connected to. */
export function requirePinned(name: string, access: SshAccess): string {
  if (access.hostKey === undefined)
    throw new CliError(
      `DockerHost ${name} has no pinned SSH host key in the stack (existing.hostKey was not set), and docker-host never connects without one: set existing.hostKey and run pulumi up`,
      ExitCode.Failure,
    );
  return access.hostKey;
}

/**
 * Runs `use` with the hosts' keys and pinned host keys in a private temp directory (files 0600), removed
 * afterwards whatever happens.
 */
export async function withSshFiles<T>(
  hosts: readonly { name: string; access: SshAccess }[],
  use: (files: SshFiles) => Promise<T>,
): Promise<T> {
  const lines = hosts.map(({ name, access }) =>
    knownHostsLine(access.host, access.port, requirePinned(name, access)),
  );
  const dir = mkdtempSync(path.join(tmpdir(), "docker-host-ssh-"));
  try {
    const keyFiles = hosts.map(({ access }, i) => {
      const file = path.join(dir, `id${i === 0 ? "" : String(i)}`);
      const key = access.privateKey.endsWith("\n") ? access.privateKey : `${access.privateKey}\n`;
      writeFileSync(file, key, { mode: 0o600 });
      return file;
    });
    const knownHosts = path.join(dir, "known_hosts");
    writeFileSync(knownHosts, lines.join(""), { mode: 0o600 });
    return await use({ keyFiles, knownHosts });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs ssh in the foreground and resolves with its exit code. The key and known_hosts live in a private temp
 * directory only while ssh runs.
 */
export function runSsh(
  name: string,
  access: SshAccess,
  command: readonly string[],
): Promise<number> {
  return withSshFiles([{ name, access }], ({ keyFiles, knownHosts }) =>
    runClient("ssh", sshArgs(access, keyFiles[0] ?? "", knownHosts, command)),
  );
}

/**
 * Runs an OpenSSH client (`ssh`, `scp`) in the foreground and resolves with its exit code (128 + the signal
 * number when it was killed by a signal).
 */
export async function runClient(program: "ssh" | "scp", args: readonly string[]): Promise<number> {
  const child = spawn(program, args, { stdio: "inherit" });
  // Ctrl-C belongs to the remote side (ssh passes it on); this process waits for the client to end, then cleans up.
  const ignore = () => undefined;
  process.on("SIGINT", ignore);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.on("error", (e: NodeJS.ErrnoException) => {
        reject(
          new CliError(
            e.code === "ENOENT"
              ? `the ${program} client is not on PATH (apt-get install openssh-client)`
              : `${program}: ${e.message}`,
            ExitCode.Failure,
          ),
        );
      });
      child.on("exit", (code, signal) => {
        resolve(code ?? (signal !== null ? 128 + signalNumber(signal) : 1));
      });
    });
  } finally {
    process.off("SIGINT", ignore);
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGKILL: 9,
    SIGTERM: 15,
  };
  return numbers[signal] ?? 0;
}
