// `restart`: reboot a host over SSH (or, with --engine, restart only its Docker service) and wait until it is
// back: the boot id changed, SSH answers with the pinned host key, the engine answers mutual TLS. Everything it
// touches (the clock, the remote runs, the TLS probe, the progress lines) is handed in, so the flow is tested
// without a host.
import { CliError, ExitCode } from "./errors";
import { SshAccess } from "./hosts";
import { Probe } from "./ls";
import {
  BOOT_ID_FILE,
  ENGINE_RESTART_SCRIPT,
  hostKeyRefused,
  lastErrorLine,
  parseBootId,
  REBOOT_SCRIPT,
  RemoteResult,
} from "./remoteRun";
import { Check, Clock, Stage, waitThrough } from "./waitFor";

/** What a restart uses, bound to one host. */
export interface RestartDeps {
  clock: Clock;
  /** Runs a script on the host over SSH (pinned host key), at most `limitMs`. */
  run: (script: string, limitMs: number) => Promise<RemoteResult>;
  /** One mutual-TLS `GET /version` at most `limitMs` long. */
  engine: (limitMs: number) => Promise<Probe>;
  progress: (line: string) => void;
}

export interface RestartTarget {
  name: string;
  access: SshAccess;
  dockerHost: string;
}

export interface RestartTiming {
  timeoutMs: number;
  /** The pause between two looks (default 2 s). */
  intervalMs?: number;
  /** How often a wait that goes on is reported again (default 15 s). */
  reportEveryMs?: number;
}

/** How long one SSH look or TLS probe may take while waiting: a hung one must not eat the whole bound. */
const SSH_LOOK_MS = 15_000;
const TLS_LOOK_MS = 5_000;

/** `user@host:port`, as the messages name a login. */
export function loginLabel(access: SshAccess): string {
  const host = access.host.includes(":") ? `[${access.host}]` : access.host;
  return `${access.user}@${host}:${String(access.port)}`;
}

const short = (bootId: string) => bootId.slice(0, 8);

/** Why a host key refusal is never waited out. */
const otherKey = (t: RestartTarget) =>
  `${loginLabel(t.access)} presents a host key other than the pinned one (the stack's sshHostKey): not connecting`;

/** A remote run's failure as a message: a refused host key named as such. */
function refusal(t: RestartTarget, what: string, r: RemoteResult): CliError {
  if (hostKeyRefused(r.stderr)) return new CliError(`${t.name}: ${otherKey(t)}`, ExitCode.Failure);
  return new CliError(
    `${t.name}: could not ${what} over SSH (${loginLabel(t.access)}): ${lastErrorLine(r)}`,
    ExitCode.Failure,
  );
}

/** The stage "the engine answers mutual TLS", shared by both restarts. */
function engineStage(t: RestartTarget, deps: RestartDeps): Stage {
  return {
    what: `the engine's mutual-TLS answer at ${t.dockerHost}`,
    reached: "the engine answers mutual TLS",
    async check(limitMs): Promise<Check> {
      const found = await deps.engine(Math.min(limitMs, TLS_LOOK_MS));
      if (found.state === "Running")
        return { done: true, note: found.version ? `Docker ${found.version}` : "" };
      return { done: false, detail: `${found.state}: ${found.error ?? ""}`.replace(/: $/, "") };
    },
  };
}

/** The boot id now, over SSH: `up` with it, `down` with why not, or a refused host key. */
async function lookBoot(
  t: RestartTarget,
  deps: RestartDeps,
  limitMs: number,
): Promise<{ up: string } | { down: string } | { fatal: string }> {
  const r = await deps.run(`cat ${BOOT_ID_FILE}`, Math.min(limitMs, SSH_LOOK_MS));
  if (hostKeyRefused(r.stderr)) return { fatal: otherKey(t) };
  const id = r.code === 0 ? parseBootId(r.stdout) : undefined;
  return id !== undefined ? { up: id } : { down: lastErrorLine(r) };
}

/**
 * Reboots the host and waits, within `timeoutMs`, until it went down (its boot id changed or SSH stopped
 * answering), answers SSH with the pinned host key in a new boot, and its engine answers mutual TLS. Resolves with
 * the milliseconds it took.
 */
export async function rebootAndWait(
  t: RestartTarget,
  deps: RestartDeps,
  timing: RestartTiming,
): Promise<number> {
  const start = deps.clock.now();
  const r = await deps.run(REBOOT_SCRIPT, Math.min(timing.timeoutMs, 60_000));
  if (r.code !== 0) throw refusal(t, "reboot it", r);
  const before = parseBootId(r.stdout);
  if (before === undefined)
    throw new CliError(
      `${t.name}: the reboot was asked for, but the host did not print its boot id (${BOOT_ID_FILE}), so its return cannot be told apart from no reboot`,
      ExitCode.Failure,
    );
  deps.progress(`${t.name}: reboot scheduled (boot ${short(before)})`);
  const stages: Stage[] = [
    {
      what: "the host to go down",
      reached: "went down",
      async check(limitMs): Promise<Check> {
        const found = await lookBoot(t, deps, limitMs);
        if ("fatal" in found) return found;
        if ("down" in found) return { done: true, note: `SSH: ${found.down}` };
        return found.up === before
          ? { done: false, detail: `still up in boot ${short(before)}` }
          : { done: true, note: `already back in boot ${short(found.up)}` };
      },
    },
    {
      what: `SSH at ${loginLabel(t.access)} with the pinned host key`,
      reached: "SSH answers",
      async check(limitMs): Promise<Check> {
        const found = await lookBoot(t, deps, limitMs);
        if ("fatal" in found) return found;
        if ("down" in found) return { done: false, detail: found.down };
        return found.up === before
          ? {
              done: false,
              detail: `the old boot ${short(before)} answers: the host did not reboot`,
            }
          : { done: true, note: `boot ${short(found.up)}` };
      },
    },
    engineStage(t, deps),
  ];
  return waitThrough(stages, options(t, deps, timing, start));
}

/**
 * Restarts the Docker service (`systemctl restart docker`, as root) and waits, within `timeoutMs`, until the
 * engine answers mutual TLS. Resolves with the milliseconds it took.
 */
export async function restartEngineAndWait(
  t: RestartTarget,
  deps: RestartDeps,
  timing: RestartTiming,
): Promise<number> {
  const start = deps.clock.now();
  deps.progress(`${t.name}: restarting the Docker service (systemctl restart docker)`);
  const r = await deps.run(ENGINE_RESTART_SCRIPT, timing.timeoutMs);
  if (r.timedOut)
    throw new CliError(
      `${t.name}: gave up after ${String(Math.round(timing.timeoutMs / 1000))} s waiting for systemctl restart docker to return: raise --timeout to wait longer`,
      ExitCode.Failure,
    );
  if (r.code !== 0) throw refusal(t, "restart the Docker service", r);
  deps.progress(`${t.name}: docker.service restarted`);
  return waitThrough([engineStage(t, deps)], options(t, deps, timing, start));
}

/** The wait's options: the whole bound counted from `startedAt`, when the restart began. */
function options(t: RestartTarget, deps: RestartDeps, timing: RestartTiming, startedAt: number) {
  return {
    host: t.name,
    timeoutMs: timing.timeoutMs,
    startedAt,
    intervalMs: timing.intervalMs ?? 2_000,
    reportEveryMs: timing.reportEveryMs ?? 15_000,
    clock: deps.clock,
    progress: deps.progress,
  };
}
