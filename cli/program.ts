// The command line: commands, options and help (commander), each command's action, and the exit codes.
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { certsBase, hostDir, writeBundle } from "./bundle";
import { DESCRIPTION_PREFIX, dockerEndpoint, removeContext, setContext } from "./context";
import {
  detectShell,
  noProxyName,
  noProxySetting,
  renderConfig,
  renderEnv,
  renderUnset,
  Shell,
  SHELLS,
  usageHint,
} from "./env";
import { CliError, ExitCode } from "./errors";
import { HostRecord, missingNote, pickHost, SSH_OUTPUTS } from "./hosts";
import { LS_HEADER, lsRow, probe, renderTable } from "./ls";
import { runSsh } from "./ssh";
import { readStackHosts, StackHosts, StackOptions } from "./stack";

/** The process around the program: output, environment, the name it was started by. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** The words the user called the program by, for `env`'s usage hint (Docker Machine printed os.Args[0]). */
  program: string[];
  version: string;
  /** Where stacks are read from: the Pulumi CLI (the default), or a checkpoint given by a test. */
  readStack?: (options: StackOptions) => Promise<StackHosts>;
}

interface GlobalOptions {
  stack?: string;
  cwd?: string;
  certsDir?: string;
}

/** Runs one command line (without the program name) and returns the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  // `ssh NAME -- COMMAND...`: what follows the first "--" is the remote command, never options or NAME.
  const dashes = argv.indexOf("--");
  const own = dashes < 0 ? [...argv] : argv.slice(0, dashes);
  const remote = dashes < 0 ? [] : argv.slice(dashes + 1);
  let exitCode: number = ExitCode.Ok;
  const program = buildProgram(io, [...io.program, ...argv], remote, (code) => {
    exitCode = code;
  });
  program.hook("preAction", (_program, action) => {
    if (dashes >= 0 && action.name() !== "ssh")
      throw new CliError("only ssh takes a command after --", ExitCode.Usage);
  });
  try {
    await program.parseAsync(own, { from: "user" });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    if (e instanceof CliError) {
      io.stderr(`docker-host: ${e.message}\n`);
      return e.exitCode;
    }
    io.stderr(`docker-host: ${e instanceof Error ? e.message : String(e)}\n`);
    return ExitCode.Failure;
  }
}

function buildProgram(
  io: Io,
  fullArgv: readonly string[],
  remote: readonly string[],
  setExit: (code: number) => void,
): Command {
  const program = new Command("docker-host")
    .description(
      "Use the Docker hosts of a Pulumi stack (DockerHost resources) like Docker Machine's machines.\n" +
        "Reads the stack through the Pulumi CLI: run it in the project's directory (or pass --cwd).",
    )
    .version(io.version)
    .option("--stack <stack>", "the stack (default: the project's current stack)")
    .option("--cwd <dir>", "the Pulumi project's directory (default: the current directory)")
    .option(
      "--certs-dir <dir>",
      "where client bundles are written, one directory per host (default: $DOCKERHOST_CERTS_DIR or ~/.docker/docker-host)",
    )
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .configureHelp({ showGlobalOptions: true })
    .addHelpText(
      "after",
      `
Exit codes: 0 done, 1 failure, 2 bad command line, 3 no such stack or project, 4 no such DockerHost
(ssh: the remote command's exit code).

Examples:
  eval $(docker-host env)                  the only DockerHost of the current stack
  docker-host --stack prod env web --shell fish | source
  docker $(docker-host config web) ps      the flags, as docker-machine config printed them
  docker-host context web && docker --context web ps
  docker-host ls
  docker-host ssh web -- systemctl status docker`,
    );
  const globals = (cmd: Command) => cmd.optsWithGlobals<GlobalOptions>();
  const stackOf = (cmd: Command): Promise<StackHosts> =>
    (io.readStack ?? readStackHosts)(globals(cmd));
  const bundle = (cmd: Command, s: StackHosts, host: HostRecord) =>
    writeBundle(
      hostDir(certsBase(globals(cmd).certsDir, io.env), s.project, s.stack, host.name),
      host,
    );

  program
    .command("env")
    .description(
      "Write the host's client bundle and print the shell commands that point the docker CLI at it",
    )
    .argument("[name]", "the DockerHost (default: the stack's only one)")
    .addOption(
      new Option("--shell <shell>", "the syntax to print (default: from $SHELL)").choices(SHELLS),
    )
    .option("-u, --unset", "print the commands that unset the variables instead (no NAME)")
    .option("--no-proxy", "add the host's address to NO_PROXY (no_proxy when that is set)")
    .action(
      async (
        name: string | undefined,
        opts: { shell?: Shell; unset?: boolean; proxy: boolean },
        cmd: Command,
      ) => {
        const shell = opts.shell ?? detectShell(io.env.SHELL);
        const hint = usageHint(shell, fullArgv);
        if (opts.unset === true) {
          if (name !== undefined)
            throw new CliError(
              "env --unset takes no NAME: it unsets the variables whatever host they name",
              ExitCode.Usage,
            );
          io.stdout(renderUnset(shell, opts.proxy ? undefined : noProxyName(io.env), hint));
          return;
        }
        const s = await stackOf(cmd);
        const host = pickHost(s.hosts, name, s.stack);
        const dir = bundle(cmd, s, host);
        io.stdout(
          renderEnv(
            shell,
            {
              dockerHost: host.dockerHost,
              certPath: dir,
              machineName: host.name,
              ...(opts.proxy ? {} : { noProxy: noProxySetting(io.env, addressOf(host)) }),
              ...(process.platform === "win32" ? { composeConvertWindowsPaths: true } : {}),
            },
            hint,
          ),
        );
      },
    );

  program
    .command("config")
    .description("Write the host's client bundle and print the docker CLI flags that use it")
    .argument("[name]", "the DockerHost (default: the stack's only one)")
    .action(async (name: string | undefined, _opts: unknown, cmd: Command) => {
      const s = await stackOf(cmd);
      const host = pickHost(s.hosts, name, s.stack);
      io.stdout(renderConfig(bundle(cmd, s, host), host.dockerHost));
    });

  program
    .command("context")
    .description(
      "Create or update the docker context named after the host (docker --context NAME ...)",
    )
    .argument("[name]", "the DockerHost (default: the stack's only one)")
    .option("--rm", "remove the context instead (NAME given: the stack is not read)")
    .option(
      "--force",
      "also replace or remove a context of that name that docker-host did not create",
    )
    .action(
      async (name: string | undefined, opts: { rm?: boolean; force?: boolean }, cmd: Command) => {
        const force = opts.force === true;
        if (opts.rm === true) {
          let target = name;
          if (target === undefined) {
            const s = await stackOf(cmd);
            target = pickHost(s.hosts, undefined, s.stack).name;
          }
          io.stdout(
            removeContext(target, force)
              ? `docker context ${target} removed\n`
              : `no docker context ${target}: nothing to remove\n`,
          );
          return;
        }
        const s = await stackOf(cmd);
        const host = pickHost(s.hosts, name, s.stack);
        const done = setContext(
          host.name,
          dockerEndpoint(host.dockerHost, bundle(cmd, s, host)),
          `${DESCRIPTION_PREFIX}${s.project}/${s.stack}/${host.name}`,
          force,
        );
        io.stdout(
          `docker context ${host.name} ${done}: ${host.dockerHost}\n` +
            `Use it: docker --context ${host.name} ps (or docker context use ${host.name})\n`,
        );
      },
    );

  program
    .command("ls")
    .description(
      "List the stack's DockerHosts: address, DOCKER_HOST, a live mutual-TLS check, engine version, certificate days left",
    )
    .option("-t, --timeout <seconds>", "how long each host may take to answer", parseSeconds, 5)
    .action(async (opts: { timeout: number }, cmd: Command) => {
      const s = await stackOf(cmd);
      if (s.hosts.length === 0) pickHost(s.hosts, undefined, s.stack); // throws: exit code 4
      const now = new Date();
      const probes = await Promise.all(s.hosts.map((h) => probe(h, opts.timeout * 1000)));
      const rows = s.hosts.map((h, i) => lsRow(h, probes[i] ?? { state: "Error" }, now));
      io.stdout(renderTable([LS_HEADER, ...rows.map((r) => r.row)]));
      for (const warning of rows.flatMap((r) => r.warnings)) io.stderr(`warning: ${warning}\n`);
    });

  program
    .command("ssh")
    .description(
      "Log in to the host, or run COMMAND there, with the stack's key and the pinned host key",
    )
    .argument("[name]", "the DockerHost (default: the stack's only one)")
    .usage("[options] [name] [-- COMMAND...]")
    .action(async (name: string | undefined, _opts: unknown, cmd: Command) => {
      const s = await stackOf(cmd);
      const host = pickHost(s.hosts, name, s.stack);
      if (host.ssh === undefined)
        throw new CliError(
          `the stack records no SSH login for DockerHost ${host.name}${missingNote(host, SSH_OUTPUTS)}: run pulumi up`,
          ExitCode.Failure,
        );
      setExit(await runSsh(host.name, host.ssh, remote));
    });

  return program;
}

/** The address for NO_PROXY: the `address` output, else the host part of DOCKER_HOST. */
function addressOf(host: HostRecord): string {
  if (host.address !== "") return host.address;
  return host.dockerHost
    .replace(/^tcp:\/\//, "")
    .replace(/:\d+$/, "")
    .replace(/^\[|\]$/g, "");
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError("expected a positive number of seconds");
  return n;
}
