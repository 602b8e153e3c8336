// Reads a stack through the Automation API: the project in --cwd, the stack named by --stack or the project's
// current stack, its checkpoint with secrets shown (the client key and SSH key are secrets).
import { LocalWorkspace, StackNotFoundError } from "@pulumi/pulumi/automation";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { CliError, ExitCode } from "./errors";
import { HostRecord, hostsFromDeployment } from "./hosts";

export interface StackOptions {
  /** The directory of the Pulumi project (its Pulumi.yaml); default: the current directory. */
  cwd?: string;
  /** The stack; default: the project's current stack (`pulumi stack select`). */
  stack?: string;
}

export interface StackHosts {
  project: string;
  stack: string;
  hosts: HostRecord[];
}

/** How long one Pulumi CLI call may take (a cloud backend is a network call). */
const PULUMI_TIMEOUT_MS = 120_000;

export async function readStackHosts(options: StackOptions): Promise<StackHosts> {
  const workDir = path.resolve(options.cwd ?? process.cwd());
  if (!["Pulumi.yaml", "Pulumi.yml"].some((f) => existsSync(path.join(workDir, f))))
    throw new CliError(
      `no Pulumi project in ${workDir} (no Pulumi.yaml): run in the project's directory or pass --cwd DIR`,
      ExitCode.Stack,
    );
  const ws = await pulumiCall("start the Pulumi CLI", () => LocalWorkspace.create({ workDir }));
  const project = (await ws.projectSettings()).name;
  let stack = options.stack;
  if (stack === undefined) {
    const current = await pulumiCall("list the stacks", () => ws.stack());
    if (current === undefined)
      throw new CliError(
        `project ${project} (${workDir}) has no current stack: pass --stack NAME or run pulumi stack select NAME`,
        ExitCode.Stack,
      );
    stack = current.name;
  }
  const name = stack;
  const exported = await pulumiCall(`read stack ${name}`, () => ws.exportStack(name));
  return { project, stack: name, hosts: hostsFromDeployment(exported.deployment) };
}

/** A Pulumi CLI call with a time limit, its failures turned into messages with exit codes. */
async function pulumiCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new CliError(
          `could not ${what}: the Pulumi CLI did not answer in ${PULUMI_TIMEOUT_MS / 1000} s`,
          ExitCode.Failure,
        ),
      );
    }, PULUMI_TIMEOUT_MS);
  });
  try {
    return await Promise.race([call(), timeout]);
  } catch (e) {
    if (e instanceof CliError) throw e;
    if (e instanceof StackNotFoundError)
      throw new CliError(`could not ${what}: ${lastLine(e)}`, ExitCode.Stack);
    const message = e instanceof Error ? e.message : String(e);
    if (/ENOENT|not found.*pulumi|pulumi.*not found/i.test(message) && !/stack/.test(message))
      throw new CliError(
        `could not ${what}: the Pulumi CLI is not on PATH (in this repository: source scripts/pulumi-env.sh)`,
        ExitCode.Failure,
      );
    throw new CliError(`could not ${what}: ${lastLine(e)}`, ExitCode.Failure);
  } finally {
    clearTimeout(timer);
  }
}

/** The Pulumi CLI's own error line, without the Automation API's wrapping of the whole command result. */
function lastLine(e: unknown): string {
  const stderr = (e as { commandResult?: { stderr?: string } }).commandResult?.stderr;
  const source =
    stderr !== undefined && stderr.trim() !== ""
      ? stderr
      : e instanceof Error
        ? e.message
        : String(e);
  const lines = source
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  return (
    lines.find((l) => l.startsWith("error:"))?.replace(/^error:\s*/, "") ?? lines.pop() ?? "failed"
  );
}
