import { readFileSync } from "node:fs";
import * as path from "node:path";
import { quote } from "shell-quote";

/** The steps DockerHost runs on a machine, each a shell script in this folder. */
export enum Step {
  Wait = "wait",
  Install = "install",
  Configure = "configure",
  Cleanup = "cleanup",
}

function scriptFile(name: string): string {
  return readFileSync(path.join(__dirname, `${name}.sh`), "utf8");
}

/** The body a step runs: the shared helpers, then the step's own script. */
export function stepScript(step: Step): string {
  return `${scriptFile("common")}\n${scriptFile(step)}`;
}

/**
 * The command text for a step, run by the login user's POSIX shell over SSH. Parameters come first, one
 * `NAME='value'` line each, so that `pulumi preview --diff` shows exactly which value changes (the rendered
 * daemon.json, a certificate); the script runs as root through `sudo -n` unless the login user is root.
 * Parameters must never hold secrets: those go through the command's stdin.
 */
export function renderStepCommand(
  step: Step,
  params: Record<string, string>,
  summary: readonly string[] = [],
): string {
  const names = Object.keys(params);
  for (const name of names) {
    if (!/^DH_[A-Z0-9_]+$/.test(name)) throw new Error(`bad step parameter name ${name}`);
  }
  const assignments = names.map((n) => `${n}=${quote([params[n] ?? ""])}`);
  const passed = names.map((n) => `${n}="$${n}"`).join(" ");
  return [
    `# docker-host ${step}${summary.length > 0 ? ":" : ""}`,
    ...summary.map((line) => `#   ${line}`),
    ...assignments,
    `DH_SCRIPT=${quote([stepScript(step)])}`,
    'if [ "$(id -u)" = 0 ]; then set --; else set -- sudo -n; fi',
    `"$@" env ${passed} bash -c "$DH_SCRIPT" docker-host-${step}`,
  ].join("\n");
}
