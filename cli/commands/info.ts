// docker-machine's one-line answers about a host: `ip`, `url`, `status`, `active`, and `inspect` (its public
// outputs as JSON, secrets never shown). Each prints what docker-machine printed, so scripts keep working.
import { Command } from "commander";
import { CliError, ExitCode } from "../errors";
import { HostRecord, pickHost } from "../hosts";
import { probe } from "../ls";
import { executeTemplate, goJson, parseTemplate, TemplateError } from "../template";
import { addressOf, Commands, parseSeconds } from "./shared";

/** What `inspect` shows: the host's name, its URN and its outputs with every secret as `[secret]`. */
export function inspectData(host: HostRecord): Record<string, unknown> {
  return { name: host.name, urn: host.urn, outputs: host.publicOutputs };
}

/** `inspect`'s output: docker-machine's indented JSON, or its `--format` template, each with a newline. */
export function renderInspect(host: HostRecord, format: string | undefined): string {
  const data = inspectData(host);
  if (format === undefined) return `${goJson(data, "    ")}\n`;
  try {
    return `${executeTemplate(parseTemplate(format), data)}\n`;
  } catch (e) {
    if (e instanceof TemplateError) throw new CliError(e.message, ExitCode.Usage);
    throw e;
  }
}

/**
 * `active`: the host whose DOCKER_HOST is the environment's and whose engine answers (docker-machine's rule).
 * Exit 4 when DOCKER_HOST names none of the stack's hosts, 1 when the one it names does not answer.
 */
export async function activeHost(
  hosts: HostRecord[],
  stack: string,
  dockerHost: string | undefined,
  timeoutMs: number,
): Promise<string> {
  if (dockerHost === undefined || dockerHost === "")
    throw new CliError("no active host found: DOCKER_HOST is not set", ExitCode.Host);
  const candidates = hosts.filter((h) => h.dockerHost === dockerHost);
  if (candidates.length === 0)
    throw new CliError(
      `no active host found: DOCKER_HOST=${dockerHost} is none of stack ${stack}'s DockerHosts (${hosts.map((h) => h.name).join(", ") || "it has none"})`,
      ExitCode.Host,
    );
  const found = await Promise.all(candidates.map((h) => probe(h, timeoutMs)));
  const running = candidates.find((_, i) => found[i]?.state === "Running");
  if (running !== undefined) return running.name;
  const [first] = found;
  if (found.some((f) => f.state === "Timeout"))
    throw new CliError(
      `error getting active host: timeout (${candidates.map((h) => h.name).join(", ")}: no answer in ${String(timeoutMs / 1000)} s)`,
      ExitCode.Failure,
    );
  throw new CliError(
    `no active host found: DOCKER_HOST points at ${candidates.map((h) => h.name).join(", ")}, which is ${first?.state ?? "Error"} (${first?.error ?? ""})`,
    ExitCode.Failure,
  );
}

export function registerInfoCommands(program: Command, c: Commands): void {
  const { io } = c;
  program
    .command("ip")
    .description("Print the address of one or more hosts")
    .argument("[names...]", "the DockerHosts (default: the stack's only one)")
    .action(async (names: string[], _opts: unknown, cmd: Command) => {
      const s = await c.stackOf(cmd);
      const picked = names.length === 0 ? [undefined] : names;
      io.stdout(picked.map((n) => `${addressOf(pickHost(s.hosts, n, s.stack))}\n`).join(""));
    });

  program
    .command("url")
    .description("Print the host's Docker endpoint (DOCKER_HOST)")
    .argument("[name]", "the DockerHost (default: the stack's only one)")
    .action(async (name: string | undefined, _opts: unknown, cmd: Command) => {
      const s = await c.stackOf(cmd);
      io.stdout(`${pickHost(s.hosts, name, s.stack).dockerHost}\n`);
    });

  program
    .command("status")
    .description(
      "Print the host's state from a live mutual-TLS check: Running, Stopped, Timeout or Error (the reason on stderr)",
    )
    .argument("[name]", "the DockerHost (default: the stack's only one)")
    .option("-t, --timeout <seconds>", "how long the host may take to answer", parseSeconds, 5)
    .action(async (name: string | undefined, opts: { timeout: number }, cmd: Command) => {
      const s = await c.stackOf(cmd);
      const host = pickHost(s.hosts, name, s.stack);
      const found = await probe(host, opts.timeout * 1000);
      io.stdout(`${found.state}\n`);
      // The state alone on stdout (scripts compare it); why it is not Running, for the person reading.
      if (found.state !== "Running") io.stderr(`${host.name}: ${found.error ?? found.state}\n`);
    });

  program
    .command("active")
    .description("Print the name of the host the current DOCKER_HOST points at, if it is running")
    .option("-t, --timeout <seconds>", "how long the host may take to answer", parseSeconds, 10)
    .action(async (opts: { timeout: number }, cmd: Command) => {
      const s = await c.stackOf(cmd);
      io.stdout(`${await activeHost(s.hosts, s.stack, io.env.DOCKER_HOST, opts.timeout * 1000)}\n`);
    });

  program
    .command("inspect")
    .description("Print the host's outputs as JSON, every secret as [secret]")
    .argument("[name]", "the DockerHost (default: the stack's only one)")
    .option(
      "-f, --format <template>",
      "a Go template over the JSON, e.g. '{{.outputs.address}}' or '{{json .outputs.clients}}'",
    )
    .action(async (name: string | undefined, opts: { format?: string }, cmd: Command) => {
      const s = await c.stackOf(cmd);
      io.stdout(renderInspect(pickHost(s.hosts, name, s.stack), opts.format));
    });
}
