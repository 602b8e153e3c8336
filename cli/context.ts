// `context`: a docker context named after the host, holding the endpoint and the TLS material, so that
// `docker --context NAME ps` (or `docker context use NAME`) works without any environment variable.
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { CliError, ExitCode } from "./errors";

/** Contexts docker-host made carry this description prefix; others are never changed without --force. */
export const DESCRIPTION_PREFIX = "docker-host ";

/** docker's own rule for context names. */
const CONTEXT_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$/;

/** One field of docker's CSV-parsed `--docker` option, quoted when it holds a comma or a quote. */
function csvField(field: string): string {
  return /[",\n\r]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/** The `--docker` value: the endpoint and the bundle's files (docker copies them into its context store). */
export function dockerEndpoint(dockerHost: string, certDir: string): string {
  return [
    `host=${dockerHost}`,
    `ca=${path.join(certDir, "ca.pem")}`,
    `cert=${path.join(certDir, "cert.pem")}`,
    `key=${path.join(certDir, "key.pem")}`,
  ]
    .map(csvField)
    .join(",");
}

interface DockerResult {
  status: number;
  stdout: string;
  stderr: string;
}

function docker(args: string[]): DockerResult {
  const r = spawnSync("docker", args, { encoding: "utf8", timeout: 60_000 });
  if (r.error !== undefined) {
    const missing = (r.error as NodeJS.ErrnoException).code === "ENOENT";
    throw new CliError(
      missing
        ? "the docker CLI is not on PATH"
        : `docker ${args[0] ?? ""} ${args[1] ?? ""}: ${r.error.message}`,
      ExitCode.Failure,
    );
  }
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** The description of an existing context, or undefined when there is none of that name. */
function existingDescription(name: string): string | undefined {
  const r = docker(["context", "inspect", name]);
  if (r.status !== 0) return undefined;
  try {
    const [context] = JSON.parse(r.stdout) as { Metadata?: { Description?: unknown } }[];
    const description = context?.Metadata?.Description;
    return typeof description === "string" ? description : "";
  } catch {
    return "";
  }
}

function checkName(name: string): void {
  if (!CONTEXT_NAME.test(name))
    throw new CliError(
      `${name} cannot be a docker context name (letters, digits, then also _ . + -; at least 2 characters)`,
      ExitCode.Usage,
    );
}

function refuseForeign(name: string, description: string | undefined, force: boolean): void {
  if (description !== undefined && !description.startsWith(DESCRIPTION_PREFIX) && !force)
    throw new CliError(
      `a docker context named ${name} exists that docker-host did not create (${JSON.stringify(description)}): ` +
        `remove it with docker context rm ${name}, or pass --force to take it over`,
      ExitCode.Failure,
    );
}

/** Creates the context, or updates it when it exists; returns "created" or "updated". */
export function setContext(
  name: string,
  endpoint: string,
  description: string,
  force: boolean,
): "created" | "updated" {
  checkName(name);
  const current = existingDescription(name);
  refuseForeign(name, current, force);
  const verb = current === undefined ? "create" : "update";
  const r = docker(["context", verb, name, "--description", description, "--docker", endpoint]);
  if (r.status !== 0)
    throw new CliError(
      `docker context ${verb} ${name} failed: ${r.stderr.trim()}`,
      ExitCode.Failure,
    );
  return current === undefined ? "created" : "updated";
}

/** Removes the context; false when there was none. */
export function removeContext(name: string, force: boolean): boolean {
  checkName(name);
  const current = existingDescription(name);
  if (current === undefined) return false;
  refuseForeign(name, current, force);
  // --force: docker refuses to remove the context in use otherwise; it then falls back to the default one.
  const r = docker(["context", "rm", "--force", name]);
  if (r.status !== 0)
    throw new CliError(`docker context rm ${name} failed: ${r.stderr.trim()}`, ExitCode.Failure);
  return true;
}
