// `ssh`: the system's ssh client with the stack's login key and the pinned host key: StrictHostKeyChecking=yes
// against a known_hosts file that holds only that key (Docker Machine used StrictHostKeyChecking=no).
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
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    "StrictHostKeyChecking=yes",
    "-o",
    `UserKnownHostsFile=${knownHostsFile}`,
    "-o",
    "GlobalKnownHostsFile=/dev/null",
    "-o",
    "UpdateHostKeys=no",
    "-o",
    "PasswordAuthentication=no",
    "-o",
    "ConnectTimeout=10",
    "-o",
    "ServerAliveInterval=60",
    // "--" ends ssh's options: the host and the remote command follow, never parsed as ssh options.
    "--",
    access.host,
    ...command,
  ];
}

/**
 * Runs ssh in the foreground and resolves with its exit code. The key and known_hosts live in a private temp
 * directory only while ssh runs.
 */
export async function runSsh(
  name: string,
  access: SshAccess,
  command: readonly string[],
): Promise<number> {
  if (access.hostKey === undefined)
    throw new CliError(
      `DockerHost ${name} has no pinned SSH host key in the stack (existing.hostKey was not set), and docker-host never connects without one: set existing.hostKey and run pulumi up`,
      ExitCode.Failure,
    );
  const dir = mkdtempSync(path.join(tmpdir(), "docker-host-ssh-"));
  const keyFile = path.join(dir, "id");
  const knownHosts = path.join(dir, "known_hosts");
  try {
    const key = access.privateKey.endsWith("\n") ? access.privateKey : `${access.privateKey}\n`;
    writeFileSync(keyFile, key, { mode: 0o600 });
    writeFileSync(knownHosts, knownHostsLine(access.host, access.port, access.hostKey), {
      mode: 0o600,
    });
    const child = spawn("ssh", sshArgs(access, keyFile, knownHosts, command), { stdio: "inherit" });
    // Ctrl-C belongs to the remote command (ssh passes it on); this process waits for ssh to end, then cleans up.
    const ignore = () => undefined;
    process.on("SIGINT", ignore);
    try {
      return await new Promise<number>((resolve, reject) => {
        child.on("error", (e: NodeJS.ErrnoException) => {
          reject(
            new CliError(
              e.code === "ENOENT"
                ? "the ssh client is not on PATH (apt-get install openssh-client)"
                : `ssh: ${e.message}`,
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
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
