import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { quote } from "shell-quote";

// The step renderer of DockerHost and DockerSwarm: a shell script of a folder (components/engine,
// components/swarm) becomes the command text and stdin of a `command.remote.Command`. The shared parts every
// step starts with (bound.sh, step.sh) are in this folder, next to this module in the build too.

/**
 * A script of a folder, preceded by what every step shares (the time bound, the shared helpers), by that
 * folder's own helpers (`common.sh`) and by the further helper files of the folder that this step uses (`extra`,
 * names without `.sh`): a helper only some steps share changes only their scripts.
 */
export function scriptWithHelpers(
  dir: string,
  name: string,
  extra: readonly string[] = [],
): string {
  const key = [path.join(dir, name), ...extra].join("\0");
  const known = BODIES.get(key);
  if (known !== undefined) return known;
  const read = (from: string, file: string) => readFileSync(path.join(from, `${file}.sh`), "utf8");
  const body = [
    read(__dirname, "bound"),
    read(__dirname, "step"),
    read(dir, "common"),
    ...extra.map((file) => read(dir, file)),
    read(dir, name),
  ].join("\n");
  BODIES.set(key, body);
  return body;
}

// Every host renders the same few scripts (several KB each) once per step: read, framed, hashed and quoted once a
// process, so that a program of many hosts reads no file twice and its command resources share one string per
// script instead of holding a copy each. The texts are the same as rendered afresh; the scripts are files of the
// package, which do not change while a program runs.
const BODIES = new Map<string, string>();
/** A script as renderRemoteStep sends it, by body: the framed stdin and the digest the command text names. */
const FRAMED = new Map<string, { stdin: string; digest: string }>();
/** A body shell-quoted for renderShellCommand, by body. */
const QUOTED = new Map<string, string>();

/** `body` framed by its length for stdin, and its digest; see renderRemoteStep. */
function framed(body: string): { stdin: string; digest: string } {
  let known = FRAMED.get(body);
  if (known === undefined) {
    const script = body.replace(/\n+$/, "");
    known = {
      stdin: `${String(script.length)}\n${script}`,
      digest: createHash("sha256").update(script).digest("hex").slice(0, 16),
    };
    FRAMED.set(body, known);
  }
  return known;
}

/** `body` as one shell word. */
function quoted(body: string): string {
  let known = QUOTED.get(body);
  if (known === undefined) {
    known = quote([body]);
    QUOTED.set(body, known);
  }
  return known;
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

/** The summary comments a step's command text starts with. */
function renderSummary(program: string, step: string, summary: readonly string[]): string[] {
  return [
    `# ${program} ${step}${summary.length > 0 ? ":" : ""}`,
    ...summary.map((line) => `#   ${line}`),
  ];
}

/**
 * Runs the step as root: directly for root, else through `sudo -n`, checked first so that a login without
 * passwordless sudo fails with a message saying so, not sudo's bare "a password is required".
 */
function runAsRoot(program: string): string {
  const refusal = `${program}: error: the login user $(id -un) cannot run commands as root without a password: DockerHost needs root or passwordless sudo (a file in /etc/sudoers.d holding: $(id -un) ALL=(ALL) NOPASSWD:ALL)`;
  return `if [ "$(id -u)" = 0 ]; then set --; elif sudo -n true 2>/dev/null; then set -- sudo -n; else echo "${refusal}" >&2; exit 1; fi`;
}

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
    ...renderSummary(program, step, summary),
    ...assignments,
    `DH_SCRIPT=${quoted(body)}`,
    runAsRoot(program),
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
  const { stdin, digest } = framed(body);
  const { assignments, passed } = renderParams(params);
  const failure = `{ echo "${program}: error: the ${step} script did not arrive whole on stdin" >&2; exit 1; }`;
  return {
    command: [
      ...renderSummary(program, step, summary),
      `# script: ${program} ${step}, sha256 ${digest}..., sent on stdin`,
      ...assignments,
      `IFS= read -r DH_SCRIPT_BYTES && DH_SCRIPT=$(head -c "$DH_SCRIPT_BYTES") && [ "\${#DH_SCRIPT}" = "$DH_SCRIPT_BYTES" ] || ${failure}`,
      runAsRoot(program),
      `"$@" env ${passed} bash -c "$DH_SCRIPT" ${program}-${step}`,
    ].join("\n"),
    stdin,
  };
}

/** The step scripts of one folder, run as one program's steps (`docker-host install`, `docker-swarm join`). */
export interface StepScripts<S extends string> {
  /** The body step `step` runs: the shared helpers, the folder's `common.sh`, then the step's own script. */
  script: (step: S) => string;
  /** The step with its script on stdin (see renderRemoteStep): every create command. */
  render: (step: S, params: Record<string, string>, summary?: readonly string[]) => RemoteStep;
  /** The step with its script inline (see renderShellCommand): a delete command, which gets the create's stdin. */
  command: (step: S, params: Record<string, string>, summary?: readonly string[]) => string;
}

/**
 * The renderer of the scripts `STEP.sh` in `dir`, run as steps of `program`. `withShared` adds what every step of
 * the folder is given (its time bound, the paths it works on) after the step's own parameters; `helpers` names the
 * further helper files of the folder a step uses (see scriptWithHelpers).
 */
export function stepScripts<S extends string>(
  program: string,
  dir: string,
  withShared: (params: Record<string, string>) => Record<string, string>,
  helpers: Partial<Record<S, readonly string[]>> = {},
): StepScripts<S> {
  const script = (step: S) => scriptWithHelpers(dir, step, helpers[step] ?? []);
  return {
    script,
    render: (step, params, summary = []) =>
      renderRemoteStep(program, step, script(step), withShared(params), summary),
    command: (step, params, summary = []) =>
      renderShellCommand(program, step, script(step), withShared(params), summary),
  };
}
