import { createHash } from "node:crypto";
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

/** Where the parts every remote step of DockerHost and DockerSwarm starts with are (bound.sh, step.sh). */
const SHARED_DIR = path.join(__dirname, "..", "remote");

/**
 * A script of a folder, preceded by what every step shares (the time bound, the shared helpers) and by that
 * folder's own helpers (`common.sh`).
 */
export function scriptWithHelpers(dir: string, name: string): string {
  const read = (from: string, file: string) => readFileSync(path.join(from, `${file}.sh`), "utf8");
  return [
    read(SHARED_DIR, "bound"),
    read(SHARED_DIR, "step"),
    read(dir, "common"),
    read(dir, name),
  ].join("\n");
}

/** The body a DockerHost step runs: the shared helpers, then the step's own script. */
export function stepScript(step: Step): string {
  return scriptWithHelpers(__dirname, step);
}

/** Checks parameter names and renders one `NAME='value'` line per parameter, and the `env` arguments passing them. */
function renderParams(params: Record<string, string>): { assignments: string[]; passed: string } {
  const names = Object.keys(params);
  for (const name of names) {
    if (!/^DH_[A-Z0-9_]+$/.test(name)) throw new Error(`bad step parameter name ${name}`);
  }
  return {
    assignments: names.map((n) => `${n}=${quote([params[n] ?? ""])}`),
    passed: names.map((n) => `${n}="$${n}"`).join(" "),
  };
}

const RUN_AS_ROOT = 'if [ "$(id -u)" = 0 ]; then set --; else set -- sudo -n; fi';

/**
 * The command text of a remote step with its script inline, run by the login user's POSIX shell over SSH.
 * Parameters come first, one `NAME='value'` line each, so that `pulumi preview --diff` shows exactly which value
 * changes; the script runs as root through `sudo -n` unless the login user is root. Parameters must never hold
 * secrets. Used where the step's stdin is not ours to frame (a delete command receives the create's stdin);
 * everywhere else renderRemoteStep keeps the command text, and so every error message that quotes it, short.
 */
export function renderShellCommand(
  program: string,
  step: string,
  body: string,
  params: Record<string, string>,
  summary: readonly string[] = [],
): string {
  const { assignments, passed } = renderParams(params);
  return [
    `# ${program} ${step}${summary.length > 0 ? ":" : ""}`,
    ...summary.map((line) => `#   ${line}`),
    ...assignments,
    `DH_SCRIPT=${quote([body])}`,
    RUN_AS_ROOT,
    `"$@" env ${passed} bash -c "$DH_SCRIPT" ${program}-${step}`,
  ].join("\n");
}

/** A remote step as the command resource takes it: the command text, and the stdin that carries the script. */
export interface RemoteStep {
  /** Summary comments, the parameters, and a few lines that read the script from stdin and run it as root. */
  command: string;
  /**
   * The script's length in bytes on the first line, then the script; whatever the step itself reads from stdin
   * (secrets) is appended after it.
   */
  stdin: string;
}

/**
 * A remote step whose script travels on stdin. The command text keeps what a reviewer reads in `pulumi preview
 * --diff` (the summary, every parameter, the script's name and SHA-256, so a changed script shows as a changed
 * line) and stays short: the command provider quotes the whole text in every error it reports, and a script
 * there buries the one line that says what went wrong. The script is framed by its length, so the step's own
 * reads of stdin (secrets) start exactly after it; `read` in a POSIX shell and GNU `head -c` never read ahead.
 */
export function renderRemoteStep(
  program: string,
  step: string,
  body: string,
  params: Record<string, string>,
  summary: readonly string[] = [],
): RemoteStep {
  // `${#DH_SCRIPT}` counts characters, and `$(...)` drops trailing newlines: an ASCII script without them makes
  // the length check below exact.
  if (Buffer.byteLength(body, "utf8") !== body.length) {
    throw new Error(`the ${program} ${step} script is not ASCII`);
  }
  const script = body.replace(/\n+$/, "");
  const digest = createHash("sha256").update(script).digest("hex").slice(0, 16);
  const { assignments, passed } = renderParams(params);
  const failure = `{ echo "${program}: error: the ${step} script did not arrive whole on stdin" >&2; exit 1; }`;
  return {
    command: [
      `# ${program} ${step}${summary.length > 0 ? ":" : ""}`,
      ...summary.map((line) => `#   ${line}`),
      `# script: ${program} ${step}, sha256 ${digest}..., sent on stdin`,
      ...assignments,
      `IFS= read -r DH_SCRIPT_BYTES && DH_SCRIPT=$(head -c "$DH_SCRIPT_BYTES") && [ "\${#DH_SCRIPT}" = "$DH_SCRIPT_BYTES" ] || ${failure}`,
      RUN_AS_ROOT,
      `"$@" env ${passed} bash -c "$DH_SCRIPT" ${program}-${step}`,
    ].join("\n"),
    stdin: `${String(script.length)}\n${script}`,
  };
}

/** A DockerHost step, its script on stdin (see renderRemoteStep). */
export function renderStep(
  step: Step,
  params: Record<string, string>,
  summary: readonly string[] = [],
): RemoteStep {
  return renderRemoteStep("docker-host", step, stepScript(step), params, summary);
}

/** The command text of a DockerHost step with its script inline (see renderShellCommand): the delete command. */
export function renderStepCommand(
  step: Step,
  params: Record<string, string>,
  summary: readonly string[] = [],
): string {
  return renderShellCommand("docker-host", step, stepScript(step), params, summary);
}
