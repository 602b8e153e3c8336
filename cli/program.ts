// The command line: the program, its global options, help and exit codes; each group of commands lives in
// cli/commands/.
import { Command, CommanderError } from "commander";
import { registerBundleCommands } from "./commands/bundle";
import { registerInfoCommands } from "./commands/info";
import { registerListCommands } from "./commands/list";
import { registerPowerCommands } from "./commands/power";
import { commands, Io } from "./commands/shared";
import { CliError, ExitCode } from "./errors";

export { Io } from "./commands/shared";

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
(ssh, scp: the remote command's or scp's exit code; stop, start: always 1, they change nothing).

Examples:
  eval $(docker-host env)                  the only DockerHost of the current stack
  docker-host --stack prod env web --shell fish | source
  eval $(docker-host env web --client alice)   the named client identity alice
  docker $(docker-host config web) ps      the flags, as docker-machine config printed them
  docker-host context web && docker --context web ps
  docker-host context web --ssh            an ssh:// context, the pinned host key enforced
  docker-host ls --filter state=Running --format '{{.Name}} {{.URL}}'
  docker-host ssh web -- systemctl status docker
  docker-host scp -r ./site web:/srv/site
  docker-host restart web --timeout 600    reboot it; back when SSH and the engine's mutual TLS answer
  docker-host restart --engine web         restart only the Docker service (live-restore keeps containers)
  docker-host stop web                     the program change that stops it (power: Stopped)`,
    );
  const c = commands(io, fullArgv, remote, setExit);
  registerBundleCommands(program, c);
  registerListCommands(program, c);
  registerInfoCommands(program, c);
  registerPowerCommands(program, c);
  return program;
}
