// `ls` (with docker-machine's --filter, --format and -q), `ssh` and `scp`.
import { Command } from "commander";
import { pickHost, sshLogin } from "../hosts";
import { LS_HEADER, lsRow, Probe, probe, renderTable } from "../ls";
import { listItem, matches, needsProbe, parseFilters, parseLsFormat } from "../lsQuery";
import { checkScpArgs, planScp, runScp } from "../scp";
import { runSsh } from "../ssh";
import { Commands, parseSeconds } from "./shared";

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerListCommands(program: Command, c: Commands): void {
  const { io } = c;
  program
    .command("ls")
    .description(
      "List the stack's DockerHosts: address, DOCKER_HOST, a live mutual-TLS check, engine version, certificate days left",
    )
    .option("-t, --timeout <seconds>", "how long each host may take to answer", parseSeconds, 5)
    .option(
      "--filter <key=value>",
      "only hosts whose name (a regular expression), state or source (driver) matches; repeat or separate with commas",
      collect,
      [],
    )
    .option(
      "-f, --format <template>",
      "a Go template over docker-machine's fields, e.g. '{{.Name}} {{.URL}}' ('table ...' for columns)",
    )
    .option("-q, --quiet", "print the names only")
    .action(
      async (
        opts: { timeout: number; filter: string[]; format?: string; quiet?: boolean },
        cmd: Command,
      ) => {
        const filters = parseFilters(opts.filter);
        const format = opts.format !== undefined ? parseLsFormat(opts.format) : undefined;
        const s = await c.stackOf(cmd);
        if (s.hosts.length === 0) pickHost(s.hosts, undefined, s.stack); // throws: exit code 4
        const quiet = opts.quiet === true;
        // -q lists names without dialling any host, as docker-machine did, unless a state filter needs it.
        const probes: Probe[] =
          quiet && !needsProbe(filters)
            ? s.hosts.map(() => ({ state: "Error" }))
            : await Promise.all(s.hosts.map((h) => probe(h, opts.timeout * 1000)));
        const picked = s.hosts
          .map((host, i) => ({ host, found: probes[i] ?? { state: "Error" as const } }))
          .filter(({ host, found }) => matches(host, filters, found));
        for (const { host } of picked)
          if (filters.source.length > 0 && host.source === "")
            io.stderr(
              `warning: ${host.name}: the stack records no source (an older DockerHost deployed it): run pulumi up to record it\n`,
            );
        if (quiet) {
          io.stdout(picked.map(({ host }) => `${host.name}\n`).join(""));
          return;
        }
        const now = new Date();
        const rows = picked.map(({ host, found }) => lsRow(host, found, now));
        if (format !== undefined) {
          io.stdout(
            format.render(
              picked.map(({ host, found }, i) =>
                listItem(host, found, rows[i]?.row ?? [], io.env.DOCKER_HOST),
              ),
            ),
          );
        } else io.stdout(renderTable([LS_HEADER, ...rows.map((r) => r.row)]));
        for (const warning of rows.flatMap((r) => r.warnings)) io.stderr(`warning: ${warning}\n`);
      },
    );

  program
    .command("ssh")
    .description(
      "Log in to the host, or run COMMAND there, with the stack's key and the pinned host key",
    )
    .argument("[name]", "the DockerHost (default: the stack's only one)")
    .usage("[options] [name] [-- COMMAND...]")
    .action(async (name: string | undefined, _opts: unknown, cmd: Command) => {
      const s = await c.stackOf(cmd);
      const host = pickHost(s.hosts, name, s.stack);
      c.setExit(await runSsh(host.name, sshLogin(host), c.remote));
    });

  program
    .command("scp")
    .description(
      "Copy files to or from a host ([[user@]name:]path, :path for the only one) with the stack's key and the pinned host key",
    )
    .argument("<source>", "[[user@]name:]path")
    .argument("<target>", "[[user@]name:]path")
    .option("-r, --recursive", "copy directories recursively")
    .option("-q, --quiet", "no progress meter")
    .action(
      async (
        source: string,
        target: string,
        opts: { recursive?: boolean; quiet?: boolean },
        cmd: Command,
      ) => {
        checkScpArgs(source, target); // a bad command line fails before the stack is read
        const s = await c.stackOf(cmd);
        const plan = planScp(s.hosts, s.stack, source, target, {
          recursive: opts.recursive === true,
          quiet: opts.quiet === true,
        });
        c.setExit(await runScp(plan));
      },
    );
}
