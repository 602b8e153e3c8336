// `scp`: docker-machine's `[[user@]machine:][path]` arguments (commands/scp.go), run by the system's scp with the
// stack's login key and the pinned host key of each DockerHost named, like `ssh`.
import { CliError, ExitCode } from "./errors";
import { HostRecord, pickHost, SshAccess, sshLogin } from "./hosts";
import { pinnedOptions, runClient, withSshFiles } from "./ssh";

/** One scp argument: a local path, or a path on a DockerHost (`host` "" means the stack's only one). */
export interface ScpTarget {
  host?: string;
  /** A login other than the stack's `sshUser` (`user@host:path`). */
  user?: string;
  path: string;
}

/**
 * Splits `[[user@]host:]path`. As scp itself reads it, a colon after a slash is part of a local path
 * (`./a:b`); `localhost:path` is this machine, as docker-machine had it; `:path` is the stack's only DockerHost.
 */
export function parseScpArg(arg: string): ScpTarget {
  const colon = arg.indexOf(":");
  const slash = arg.indexOf("/");
  if (colon < 0 || (slash >= 0 && slash < colon)) return { path: arg };
  let host = arg.slice(0, colon);
  const path = arg.slice(colon + 1);
  let user: string | undefined;
  const at = host.indexOf("@");
  if (at >= 0) {
    user = host.slice(0, at);
    host = host.slice(at + 1);
  }
  if (host === "localhost") return { path };
  return { host, path, ...(user !== undefined ? { user } : {}) };
}

/** A host part for scp: IPv6 addresses in brackets. */
function scpHost(address: string): string {
  return address.includes(":") ? `[${address}]` : address;
}

/** Both arguments parsed; exit 2 unless at least one names a DockerHost. */
export function checkScpArgs(source: string, target: string): ScpTarget[] {
  const sides = [parseScpArg(source), parseScpArg(target)];
  if (sides.every((s) => s.host === undefined))
    throw new CliError(
      "scp copies to or from a DockerHost: name it as NAME:PATH (or :PATH for the stack's only one)",
      ExitCode.Usage,
    );
  return sides;
}

/** What an scp run needs once the DockerHosts are known: the hosts (in argument order) and scp's arguments. */
export interface ScpPlan {
  hosts: { name: string; access: SshAccess }[];
  args: (files: { keyFiles: string[]; knownHosts: string }) => string[];
}

/**
 * Plans `scp [-r] [-q] SOURCE TARGET`: at least one side on a DockerHost; two DockerHosts are copied between
 * through this machine (`-3`), as docker-machine did, and then need the same SSH port.
 */
export function planScp(
  hosts: HostRecord[],
  stack: string,
  source: string,
  target: string,
  opts: { recursive: boolean; quiet: boolean },
): ScpPlan {
  const sides = checkScpArgs(source, target);
  const remote = sides.filter((s) => s.host !== undefined);
  const named = new Map<string, { name: string; access: SshAccess }>();
  const locations = sides.map((side) => {
    if (side.host === undefined) return side.path;
    const host = pickHost(hosts, side.host === "" ? undefined : side.host, stack);
    const access = sshLogin(host);
    named.set(host.name, { name: host.name, access });
    return `${side.user ?? access.user}@${scpHost(access.host)}:${side.path}`;
  });
  const used = [...named.values()];
  const ports = new Set(used.map((h) => h.access.port));
  if (ports.size > 1)
    throw new CliError(
      `scp between ${used.map((h) => h.name).join(" and ")} needs the same SSH port on both (they have ${[...ports].join(" and ")}): copy through this machine in two steps`,
      ExitCode.Usage,
    );
  return {
    hosts: used,
    args: ({ keyFiles, knownHosts }) => [
      ...keyFiles.flatMap((f) => ["-i", f]),
      "-P",
      String(used[0]?.access.port ?? 22),
      ...pinnedOptions(knownHosts),
      ...(remote.length === 2 ? ["-3"] : []),
      ...(opts.recursive ? ["-r"] : []),
      ...(opts.quiet ? ["-q"] : []),
      // "--": a path starting with "-" is a path, never an scp option.
      "--",
      ...locations,
    ],
  };
}

/** Runs the planned scp and resolves with its exit code. */
export function runScp(plan: ScpPlan): Promise<number> {
  return withSshFiles(plan.hosts, (files) => runClient("scp", plan.args(files)));
}
