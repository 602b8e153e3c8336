import { readFileSync } from "node:fs";
import * as path from "node:path";
import { quote } from "shell-quote";

/** The scripts DockerSwarm runs on its hosts, each a shell script in this folder. */
export enum SwarmScript {
  /** On the host: initialise (the first manager) or join. */
  Join = "join",
  /** On the host, when it is taken out of the swarm: leave. */
  Leave = "leave",
  /** On the first manager: role, labels, availability of a node. */
  Member = "member",
  /** On the first manager, when a host is taken out: drain and demote its node. */
  Drain = "drain",
  /** On the first manager, after a host left: remove its node. */
  Remove = "remove",
}

function scriptFile(name: string): string {
  return readFileSync(path.join(__dirname, `${name}.sh`), "utf8");
}

/** The body a step runs: the shared helpers, then the script itself. */
export function swarmScript(script: SwarmScript): string {
  return `${scriptFile("common")}\n${scriptFile(script)}`;
}

/**
 * The command text of a swarm step, run by the login user's POSIX shell over SSH: one `NAME='value'` line per
 * parameter first (so `pulumi preview --diff` shows which value changes), then the script, as root through
 * `sudo -n` unless the login user is root. Parameters are never secret: join tokens go through stdin.
 */
export function renderSwarmCommand(
  script: SwarmScript,
  params: Record<string, string>,
  summary: readonly string[] = [],
): string {
  const names = Object.keys(params);
  for (const name of names) {
    if (!/^DH_[A-Z0-9_]+$/.test(name)) throw new Error(`bad swarm step parameter name ${name}`);
  }
  const assignments = names.map((n) => `${n}=${quote([params[n] ?? ""])}`);
  const passed = names.map((n) => `${n}="$${n}"`).join(" ");
  return [
    `# docker-swarm ${script}${summary.length > 0 ? ":" : ""}`,
    ...summary.map((line) => `#   ${line}`),
    ...assignments,
    `DH_SCRIPT=${quote([swarmScript(script)])}`,
    'if [ "$(id -u)" = 0 ]; then set --; else set -- sudo -n; fi',
    `"$@" env ${passed} bash -c "$DH_SCRIPT" docker-swarm-${script}`,
  ].join("\n");
}
