// The commands that hand the docker CLI a host: `env`, `config` and `context` (a client bundle, the stack's own
// certificate or a named identity's; or, for `context --ssh`, the SSH login with the pinned host key).
import { Command, Option } from "commander";
import { DESCRIPTION_PREFIX, dockerEndpoint, removeContext, setContext } from "../context";
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
} from "../env";
import { CliError, ExitCode } from "../errors";
import { pickHost, sshLogin } from "../hosts";
import {
  removeSshContextFiles,
  rewriteUserConfig,
  sshContextFiles,
  sshEndpoint,
  verifySshConfig,
  withInclude,
  withoutInclude,
  writeSshContextFiles,
} from "../sshContext";
import { addressOf, Commands } from "./shared";

const CLIENT_HELP =
  "use the named client identity NAME (tls.clients) instead of the host's own certificate";

export function registerBundleCommands(program: Command, c: Commands): void {
  const { io } = c;
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
    .option("--client <name>", CLIENT_HELP)
    .action(
      async (
        name: string | undefined,
        opts: { shell?: Shell; unset?: boolean; proxy: boolean; client?: string },
        cmd: Command,
      ) => {
        const shell = opts.shell ?? detectShell(io.env.SHELL);
        const hint = usageHint(shell, c.fullArgv);
        if (opts.unset === true) {
          if (name !== undefined)
            throw new CliError(
              "env --unset takes no NAME: it unsets the variables whatever host they name",
              ExitCode.Usage,
            );
          io.stdout(renderUnset(shell, opts.proxy ? undefined : noProxyName(io.env), hint));
          return;
        }
        const s = await c.stackOf(cmd);
        const host = pickHost(s.hosts, name, s.stack);
        const dir = c.bundle(cmd, s, host, opts.client);
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
    .option("--client <name>", CLIENT_HELP)
    .action(async (name: string | undefined, opts: { client?: string }, cmd: Command) => {
      const s = await c.stackOf(cmd);
      const host = pickHost(s.hosts, name, s.stack);
      io.stdout(renderConfig(c.bundle(cmd, s, host, opts.client), host.dockerHost));
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
    .option("--client <name>", CLIENT_HELP)
    .option(
      "--ssh",
      "an ssh:// endpoint (the SSH login, the pinned host key enforced) instead of the TLS port",
    )
    .action(
      async (
        name: string | undefined,
        opts: { rm?: boolean; force?: boolean; client?: string; ssh?: boolean },
        cmd: Command,
      ) => {
        const force = opts.force === true;
        if (opts.ssh === true && opts.client !== undefined)
          throw new CliError(
            "context --ssh logs in over SSH: it takes no --client (that is a TLS client certificate)",
            ExitCode.Usage,
          );
        if (opts.rm === true) {
          let target = name;
          if (target === undefined) {
            const s = await c.stackOf(cmd);
            target = pickHost(s.hosts, undefined, s.stack).name;
          }
          const removed = removeContext(target, force);
          const context = target;
          let included: string[] = [];
          rewriteUserConfig(c.sshConfig(), (text) => {
            const without = withoutInclude(text, context);
            included = without.included;
            return without.text;
          });
          removeSshContextFiles(included);
          io.stdout(
            removed
              ? `docker context ${target} removed\n`
              : `no docker context ${target}: nothing to remove\n`,
          );
          if (included.length > 0) io.stdout(`its Include lines removed from ${c.sshConfig()}\n`);
          return;
        }
        const s = await c.stackOf(cmd);
        const host = pickHost(s.hosts, name, s.stack);
        const label = `${s.project}/${s.stack}/${host.name}`;
        let endpoint: string;
        let shown: string;
        if (opts.ssh === true) {
          const access = sshLogin(host);
          const files = sshContextFiles(c.hostDirOf(cmd, s, host));
          writeSshContextFiles(host.name, access, files, label);
          rewriteUserConfig(c.sshConfig(), (text) =>
            withInclude(text, host.name, label, files.config),
          );
          verifySshConfig(access, files);
          shown = sshEndpoint(access);
          endpoint = `host=${shown}`;
          if (access.user !== "root")
            io.stderr(
              `note: ${access.user} must be allowed to use the engine's socket on the host (the docker group): docker-host ssh ${host.name} -- sudo usermod -aG docker ${access.user}\n`,
            );
        } else {
          shown = host.dockerHost;
          endpoint = dockerEndpoint(host.dockerHost, c.bundle(cmd, s, host, opts.client));
        }
        const variant =
          opts.ssh === true
            ? " (ssh)"
            : opts.client !== undefined
              ? ` (client ${opts.client})`
              : "";
        const done = setContext(
          host.name,
          endpoint,
          `${DESCRIPTION_PREFIX}${label}${variant}`,
          force,
        );
        io.stdout(
          `docker context ${host.name} ${done}: ${shown}${variant}\n` +
            (opts.ssh === true
              ? `The pinned host key is enforced through ${c.sshConfig()} (Include ${sshContextFiles(c.hostDirOf(cmd, s, host)).config})\n`
              : "") +
            `Use it: docker --context ${host.name} ps (or docker context use ${host.name})\n`,
        );
      },
    );
}
