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

/** A script of a folder, preceded by that folder's shared helpers (`common.sh`). */
export function scriptWithHelpers(dir: string, name: string): string {
  const read = (file: string) => readFileSync(path.join(dir, `${file}.sh`), "utf8");
  return `${read("common")}\n${read(name)}`;
}

/** The body a DockerHost step runs: the shared helpers, then the step's own script. */
export function stepScript(step: Step): string {
  return scriptWithHelpers(__dirname, step);
}

/**
 * The command text of a remote step, run by the login user's POSIX shell over SSH. Parameters come first, one
 * `NAME='value'` line each, so that `pulumi preview --diff` shows exactly which value changes (the rendered
 * daemon.json, a certificate); the script runs as root through `sudo -n` unless the login user is root.
 * Parameters must never hold secrets: those go through the command's stdin.
 */
export function renderShellCommand(
  program: string,
  step: string,
  body: string,
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
    `# ${program} ${step}${summary.length > 0 ? ":" : ""}`,
    ...summary.map((line) => `#   ${line}`),
    ...assignments,
    `DH_SCRIPT=${quote([body])}`,
    'if [ "$(id -u)" = 0 ]; then set --; else set -- sudo -n; fi',
    `"$@" env ${passed} bash -c "$DH_SCRIPT" ${program}-${step}`,
  ].join("\n");
}

/** The command text of a DockerHost step (see renderShellCommand). */
export function renderStepCommand(
  step: Step,
  params: Record<string, string>,
  summary: readonly string[] = [],
): string {
  return renderShellCommand("docker-host", step, stepScript(step), params, summary);
}
