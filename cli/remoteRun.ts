// Commands the CLI itself runs on a host over SSH and reads the answer of (`restart`): the system's ssh client
// with the stack's login key and the pinned host key (the files of withSshFiles), never interactive, each run
// bounded in time.
import { spawn } from "node:child_process";
import { CliError, ExitCode } from "./errors";
import { SshAccess } from "./hosts";
import { sshArgs, SshFiles } from "./ssh";

/** How one remote run ended. */
export interface RemoteResult {
  /** The remote command's exit code; 255 when ssh itself failed (no connection, refused key...). */
  code: number;
  stdout: string;
  stderr: string;
  /** The run was stopped at its time limit. */
  timedOut: boolean;
}

/** The ssh arguments for one non-interactive run: no prompt ever (BatchMode), the pinned key checked strictly. */
export function batchArgs(access: SshAccess, files: SshFiles, script: string): string[] {
  return [
    "-o",
    "BatchMode=yes",
    ...sshArgs(access, files.keyFiles[0] ?? "", files.knownHosts, [script]),
  ];
}

/** Runs `script` on the host (the login shell reads it) and collects its output; stopped after `limitMs`. */
export function runRemote(
  access: SshAccess,
  files: SshFiles,
  script: string,
  limitMs: number,
): Promise<RemoteResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("ssh", batchArgs(access, files, script), {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(
      () => {
        timedOut = true;
        child.kill("SIGKILL");
      },
      Math.max(1, limitMs),
    );
    child.on("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new CliError(
          e.code === "ENOENT"
            ? "the ssh client is not on PATH (apt-get install openssh-client)"
            : `ssh: ${e.message}`,
          ExitCode.Failure,
        ),
      );
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 255, stdout, stderr, timedOut });
    });
  });
}

/**
 * A script prefix that sets `$as` to run a command as root: nothing for root, `sudo -n` for a login with
 * passwordless sudo (what DockerHost requires), else it stops with a message saying so rather than sudo's bare
 * "a password is required".
 */
export const AS_ROOT =
  'if [ "$(id -u)" = 0 ]; then as=; elif sudo -n true 2>/dev/null; then as="sudo -n"; else ' +
  'echo "the login user $(id -un) cannot run commands as root without a password (DockerHost needs root or passwordless sudo)" >&2; exit 1; fi';

/** The kernel's id of the running boot: a new one after every reboot. */
export const BOOT_ID_FILE = "/proc/sys/kernel/random/boot_id";

/**
 * Prints the boot id, then has systemd reboot the host two seconds later (a transient timer), so that this SSH
 * session ends with an exit code before sshd goes down instead of being cut off mid-command.
 */
export const REBOOT_SCRIPT = [
  "set -e",
  AS_ROOT,
  `cat ${BOOT_ID_FILE}`,
  // AccuracySec: a timer's default accuracy is a minute, which systemd may spend before firing.
  '$as systemd-run --quiet --on-active=2 --timer-property=AccuracySec=100ms "$(command -v systemctl)" reboot',
].join("\n");

/** Restarts the Docker service and returns when systemd reports it started again (or failed). */
export const ENGINE_RESTART_SCRIPT = [
  "set -e",
  AS_ROOT,
  "$as systemctl restart docker.service",
].join("\n");

/** ssh's words for a host key other than the pinned one: waiting cannot fix that. */
export function hostKeyRefused(stderr: string): boolean {
  return /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(stderr);
}

/** The boot id in a command's output, or undefined. */
export function parseBootId(stdout: string): string | undefined {
  const id = stdout.trim().split("\n")[0]?.trim() ?? "";
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id) ? id : undefined;
}

/** The last line of ssh's or the command's error output, for messages (never the command, never a key). */
export function lastErrorLine(r: RemoteResult): string {
  if (r.timedOut) return "no answer in time";
  const lines = r.stderr
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("Warning: Permanently added"));
  return lines.pop() ?? `exit code ${String(r.code)}`;
}
