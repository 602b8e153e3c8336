// `context --ssh`: a docker context whose endpoint is `ssh://USER@HOST[:PORT]`. The docker CLI runs the system's
// `ssh` for it (`ssh -l USER -p PORT -- HOST docker system dial-stdio`) and takes no ssh options of its own, so
// the pinned host key and the login key reach that ssh through the user's ssh configuration: a file of
// docker-host's per host (a `Match` block naming the stack's key and a known_hosts file holding only the pinned
// key, checked strictly) and one `Include` line for it at the top of ~/.ssh/config, where it comes before
// anything that could loosen it. `ssh -G` then proves that ssh applies it: never trust-on-first-use.
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import * as path from "node:path";
import { CliError, ExitCode } from "./errors";
import { SshAccess } from "./hosts";
import { knownHostsLine, requirePinned } from "./ssh";

/** The docker endpoint: `ssh://USER@HOST`, `:PORT` when it is not 22, IPv6 addresses in brackets. */
export function sshEndpoint(access: SshAccess): string {
  const host = access.host.includes(":") ? `[${access.host}]` : access.host;
  return `ssh://${access.user}@${host}${access.port === 22 ? "" : `:${String(access.port)}`}`;
}

/** The files docker-host keeps for one host's ssh context, in `dir` (the host's bundle directory). */
export interface SshContextFiles {
  key: string;
  knownHosts: string;
  config: string;
}

export function sshContextFiles(bundleDir: string): SshContextFiles {
  const dir = path.join(bundleDir, "ssh");
  return {
    key: path.join(dir, "id"),
    knownHosts: path.join(dir, "known_hosts"),
    config: path.join(dir, "config"),
  };
}

/** A path as an ssh_config argument: quoted (spaces), `%` doubled (ssh expands `%` tokens in these). */
function configPath(file: string): string {
  return `"${file.replace(/%/g, "%%")}"`;
}

/**
 * The block for one host: it applies to the login the context uses (the address as given, the stack's user)
 * and to nothing else, so the user's other ssh connections keep their own settings.
 */
export function sshConfigBlock(access: SshAccess, files: SshContextFiles, label: string): string {
  return [
    `# Written by docker-host context --ssh for ${label}; replaced on every run, removed by context --rm.`,
    `Match originalhost ${access.host} user ${access.user}`,
    `  IdentityFile ${configPath(files.key)}`,
    "  IdentitiesOnly yes",
    `  UserKnownHostsFile ${configPath(files.knownHosts)}`,
    "  GlobalKnownHostsFile /dev/null",
    "  StrictHostKeyChecking yes",
    "  UpdateHostKeys no",
    "  PasswordAuthentication no",
    "",
  ].join("\n");
}

/** Writes the key, the known_hosts line and the block, each 0600 in a 0700 directory, each replaced whole. */
export function writeSshContextFiles(
  name: string,
  access: SshAccess,
  files: SshContextFiles,
  label: string,
): void {
  const hostKey = requirePinned(name, access);
  mkdirSync(path.dirname(files.key), { recursive: true, mode: 0o700 });
  chmodSync(path.dirname(files.key), 0o700);
  const key = access.privateKey.endsWith("\n") ? access.privateKey : `${access.privateKey}\n`;
  replaceFile(files.key, key, 0o600);
  replaceFile(files.knownHosts, knownHostsLine(access.host, access.port, hostKey), 0o600);
  replaceFile(files.config, sshConfigBlock(access, files, label), 0o600);
}

function replaceFile(file: string, content: string, mode: number): void {
  const temp = `${file}.${String(process.pid)}.tmp`;
  writeFileSync(temp, content, { mode });
  chmodSync(temp, mode);
  renameSync(temp, file);
}

/** The two lines docker-host adds to the user's ssh config for a context: a comment naming it, the Include. */
export function includeLines(context: string, label: string, config: string): string {
  return `# docker-host context ${context} (${label}): its pinned host key and login key\nInclude ${configPath(config)}\n`;
}

/**
 * The user's ssh config with the context's lines at the very top (an Include inside a Host or Match block
 * would apply only there), replacing the context's earlier lines; unchanged text when they are there already.
 */
export function withInclude(text: string, context: string, label: string, config: string): string {
  return includeLines(context, label, config) + withoutInclude(text, context).text;
}

/** The user's ssh config without the context's lines, and the files those lines included. */
export function withoutInclude(
  text: string,
  context: string,
): { text: string; included: string[] } {
  const lines = text.split("\n");
  const kept: string[] = [];
  const included: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const next = lines[i + 1] ?? "";
    if (line.startsWith(`# docker-host context ${context} (`) && /^Include "/.test(next)) {
      included.push(next.replace(/^Include "(.*)"$/, "$1").replace(/%%/g, "%"));
      i++;
      continue;
    }
    kept.push(line);
  }
  return { text: kept.join("\n"), included };
}

/** Rewrites the user's ssh config (created 0600 in a 0700 ~/.ssh when absent), keeping its mode. */
export function rewriteUserConfig(file: string, change: (text: string) => string): boolean {
  const exists = existsSync(file);
  const before = exists ? readFileSync(file, "utf8") : "";
  const after = change(before);
  if (after === before) return false;
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  replaceFile(file, after, exists ? statSync(file).mode & 0o777 : 0o600);
  return true;
}

/**
 * Proves that the ssh the docker CLI runs applies the pin: `ssh -G` (the configuration it would use for this
 * login, nothing dialled) must name our known_hosts file and key, with strict checking.
 */
export function verifySshConfig(access: SshAccess, files: SshContextFiles): void {
  const args = ["-G", "-l", access.user, "-p", String(access.port), "--", access.host];
  const r = spawnSync("ssh", args, { encoding: "utf8", timeout: 30_000 });
  if (r.error !== undefined)
    throw new CliError(
      (r.error as NodeJS.ErrnoException).code === "ENOENT"
        ? "the ssh client is not on PATH (apt-get install openssh-client); the docker CLI needs it for an ssh:// context"
        : `ssh -G: ${r.error.message}`,
      ExitCode.Failure,
    );
  const settings = new Map<string, string[]>();
  for (const line of r.stdout.split("\n")) {
    const [key = "", ...value] = line.trim().split(" ");
    settings.set(key, [...(settings.get(key) ?? []), value.join(" ")]);
  }
  const has = (key: string, wanted: string) =>
    (settings.get(key) ?? []).some((v) => v.split(" ").includes(wanted));
  const problems = [
    ...(has("userknownhostsfile", files.knownHosts) ? [] : ["UserKnownHostsFile"]),
    ...(has("identityfile", files.key) ? [] : ["IdentityFile"]),
    ...(has("stricthostkeychecking", "true") ? [] : ["StrictHostKeyChecking yes"]),
  ];
  if (r.status !== 0 || problems.length > 0)
    throw new CliError(
      `ssh does not apply docker-host's settings for ${access.user}@${access.host} (ssh -G ${r.status === 0 ? `shows no ${problems.join(", ")} of docker-host's` : `failed: ${r.stderr.trim()}`}): an Include or Match earlier in your ssh configuration takes precedence; the docker context is not changed`,
      ExitCode.Failure,
    );
}

/** Removes the files of a context's ssh endpoint (only files docker-host names so, in an `ssh` directory). */
export function removeSshContextFiles(configs: readonly string[]): void {
  for (const config of configs) {
    const dir = path.dirname(config);
    if (path.basename(dir) !== "ssh" || path.basename(config) !== "config") continue;
    const files = sshContextFiles(path.dirname(dir));
    for (const file of [files.key, files.knownHosts, files.config]) rmSync(file, { force: true });
    try {
      rmdirSync(dir); // only when empty: anything else there is not docker-host's
    } catch {
      /* not empty, or gone already */
    }
  }
}
