// `restart` (a reboot over SSH, or --engine: the Docker service only, then the wait until the engine answers
// mutual TLS), and `stop` / `start`, which change nothing: they print the program change that does it, or why the
// host has no power control. Like docker-machine's, each takes one or more names and acts on them at once.
import { Command } from "commander";
import { CliError, ExitCode } from "../errors";
import { HostRecord, pickHost, sshLogin } from "../hosts";
import { probe } from "../ls";
import { powerAdvice } from "../power";
import { stoppedHost } from "../powerChange";
import { rebootAndWait, restartEngineAndWait, RestartTarget } from "../restart";
import { runRemote } from "../remoteRun";
import { requirePinned, withSshFiles } from "../ssh";
import { realClock } from "../waitFor";
import { Commands, parseSeconds } from "./shared";

/** The hosts named (each once, in the order given), or the stack's only one; exit 4 for any unknown name. */
function pickHosts(hosts: HostRecord[], names: string[], stack: string): HostRecord[] {
  const picked = (names.length === 0 ? [undefined] : names).map((n) => pickHost(hosts, n, stack));
  return picked.filter((h, i) => picked.findIndex((o) => o.name === h.name) === i);
}

/** Prints each failure as its own line and sets the exit code: the first failure's (1 unless a CliError says). */
function report(c: Commands, failures: unknown[]): void {
  for (const e of failures)
    c.io.stderr(`docker-host: ${e instanceof Error ? e.message : String(e)}\n`);
  if (failures.length > 0) {
    const [first] = failures;
    c.setExit(first instanceof CliError ? first.exitCode : ExitCode.Failure);
  }
}

export function registerPowerCommands(program: Command, c: Commands): void {
  const { io } = c;
  program
    .command("restart")
    .description(
      "Reboot the host over SSH (pinned host key) and wait until it answers SSH and its engine answers mutual TLS; --engine restarts only the Docker service",
    )
    .argument("[names...]", "the DockerHosts (default: the stack's only one)")
    .option(
      "--engine",
      "restart only the Docker service (systemctl restart docker), not the machine",
    )
    .option(
      "-t, --timeout <seconds>",
      "how long each host may take to come back before restart fails",
      parseSeconds,
      300,
    )
    .action(async (names: string[], opts: { engine?: boolean; timeout: number }, cmd: Command) => {
      const s = await c.stackOf(cmd);
      // Every host is checked before any is touched: a typo in the third name restarts none.
      const targets = pickHosts(s.hosts, names, s.stack).map((host) => {
        if (host.power === "Stopped") throw stoppedHost(host.name);
        const access = sshLogin(host);
        requirePinned(host.name, access);
        return { host, target: { name: host.name, access, dockerHost: host.dockerHost } };
      });
      const results = await Promise.allSettled(
        targets.map(({ host, target }) =>
          restartOne(host, target, opts.engine === true, opts.timeout * 1000),
        ),
      );
      report(
        c,
        results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : [])),
      );
    });

  for (const verb of ["stop", "start"] as const)
    program
      .command(verb)
      .description(
        verb === "stop"
          ? "Print the program change that stops the host (DockerHost's power input; the CLI never changes the stack), or why it cannot be stopped"
          : "Print the program change that starts a stopped host again (power: Running), or why it cannot be started",
      )
      .argument("[names...]", "the DockerHosts (default: the stack's only one)")
      .action(async (names: string[], _opts: unknown, cmd: Command) => {
        const s = await c.stackOf(cmd);
        const hosts = pickHosts(s.hosts, names, s.stack);
        report(
          c,
          hosts.map((h) => powerAdvice(h, verb)),
        );
      });

  /** One host's restart, its key files present only while it runs; progress on stdout as docker-machine's. */
  async function restartOne(
    host: HostRecord,
    target: RestartTarget,
    engineOnly: boolean,
    timeoutMs: number,
  ): Promise<void> {
    const clock = io.clock ?? realClock;
    io.stdout(`Restarting "${host.name}"${engineOnly ? " (the Docker service)" : ""}...\n`);
    const took = await withSshFiles([{ name: host.name, access: target.access }], (files) => {
      const deps = {
        clock,
        run: (script: string, limitMs: number) => runRemote(target.access, files, script, limitMs),
        engine: (limitMs: number) => probe(host, limitMs),
        progress: (line: string) => {
          io.stdout(`${line}\n`);
        },
      };
      return engineOnly
        ? restartEngineAndWait(target, deps, { timeoutMs })
        : rebootAndWait(target, deps, { timeoutMs });
    });
    io.stdout(
      `${host.name}: restarted in ${String(Math.round(took / 1000))} s; its engine answers at ${host.dockerHost}\n`,
    );
  }
}
