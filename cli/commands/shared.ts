// What every command's action gets: the process around the program, the stack reader, where bundles go.
import { Command, InvalidArgumentError } from "commander";
import { userInfo } from "node:os";
import * as path from "node:path";
import { certsBase, hostDir, writeBundle } from "../bundle";
import { HostRecord, pickClient } from "../hosts";
import { readStackHosts, StackHosts, StackOptions } from "../stack";
import { Clock } from "../waitFor";

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
  /**
   * The ssh configuration the docker CLI's ssh reads, where `context --ssh` adds its Include: by default
   * ~/.ssh/config of the user's passwd entry (what ssh reads, whatever $HOME says); a test's own file otherwise.
   */
  sshConfig?: string;
  /** The clock `restart` waits by: the real one, or a test's (its pauses then take no time). */
  clock?: Clock;
}

export interface GlobalOptions {
  stack?: string;
  cwd?: string;
  certsDir?: string;
}

/** The helpers the commands share, bound to one run. */
export interface Commands {
  io: Io;
  /** The whole command line, program name first, for `env`'s usage hint. */
  fullArgv: readonly string[];
  /** What followed `--` (ssh's remote command). */
  remote: readonly string[];
  /** Sets the exit code of a command that passes on another program's (ssh, scp). */
  setExit: (code: number) => void;
  stackOf: (cmd: Command) => Promise<StackHosts>;
  /** The host's bundle directory (nothing written). */
  hostDirOf: (cmd: Command, s: StackHosts, host: HostRecord) => string;
  /** Writes the bundle of the host's own certificate, or of identity `client`, and returns its directory. */
  bundle: (cmd: Command, s: StackHosts, host: HostRecord, client?: string) => string;
  sshConfig: () => string;
}

export function commands(
  io: Io,
  fullArgv: readonly string[],
  remote: readonly string[],
  setExit: (code: number) => void,
): Commands {
  const globals = (cmd: Command) => cmd.optsWithGlobals<GlobalOptions>();
  const hostDirOf = (cmd: Command, s: StackHosts, host: HostRecord) =>
    hostDir(certsBase(globals(cmd).certsDir, io.env), s.project, s.stack, host.name);
  return {
    io,
    fullArgv,
    remote,
    setExit,
    stackOf: (cmd) => (io.readStack ?? readStackHosts)(globals(cmd)),
    hostDirOf,
    // An identity's bundle sits in the host's directory under clients/NAME (names are DNS labels: safe paths).
    bundle: (cmd, s, host, client) =>
      writeBundle(
        client === undefined
          ? hostDirOf(cmd, s, host)
          : path.join(hostDirOf(cmd, s, host), "clients", client),
        pickClient(host, client),
      ),
    sshConfig: () => io.sshConfig ?? path.join(userInfo().homedir, ".ssh", "config"),
  };
}

export function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError("expected a positive number of seconds");
  return n;
}

/** The address for NO_PROXY and `ip`: the `address` output, else the host part of DOCKER_HOST. */
export function addressOf(host: HostRecord): string {
  if (host.address !== "") return host.address;
  return host.dockerHost
    .replace(/^tcp:\/\//, "")
    .replace(/:\d+$/, "")
    .replace(/^\[|\]$/g, "");
}
