// Pure: waiting for a host through a row of stages (it went down, SSH answers, the engine answers mutual TLS)
// under one bound, with progress lines while it waits. The clock and the checks are handed in, so the loop is
// tested without a host and without real time passing.
import { CliError, ExitCode } from "./errors";

/** Time, as the loop sees it: milliseconds now, and a pause. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** What one look at a stage found. */
export type Check =
  /** Reached; `note` says what was seen (e.g. the engine's version), for the progress line. */
  | { done: true; note?: string }
  /** Not yet; `detail` says what was seen instead, for the progress line and the timeout's message. */
  | { done: false; detail: string }
  /** Waiting longer cannot help (e.g. another host key answers): stop at once with this message. */
  | { fatal: string };

export interface Stage {
  /** What is waited for, completing "waiting for ...": e.g. `SSH at root@10.0.0.5:22 (the pinned host key)`. */
  what: string;
  /** What it is once reached, completing "NAME: ... after 12 s": e.g. `SSH answers`. */
  reached: string;
  /** One look, at most `limitMs` long (the time left, capped by the caller's own per-look limit). */
  check(limitMs: number): Promise<Check>;
}

export interface WaitOptions {
  /** The host's name: every progress line and the error start with it. */
  host: string;
  /** The bound, in milliseconds from `startedAt`. */
  timeoutMs: number;
  /** When the bound began (the clock's time); default: the call. Earlier when steps before the stages count. */
  startedAt?: number;
  /** The pause between two looks at a stage. */
  intervalMs: number;
  /** How often a stage that is still not reached is reported again. */
  reportEveryMs: number;
  clock: Clock;
  progress: (line: string) => void;
}

const seconds = (ms: number): string => `${String(Math.round(ms / 1000))} s`;

/**
 * Runs the stages in order, each looked at until reached, all within `timeoutMs` from `startedAt`. Resolves with
 * the time it took since then; rejects with a CliError (exit 1) naming the host, the stage waited for, the bound and the last
 * thing seen, or with a stage's fatal message.
 */
export async function waitThrough(stages: readonly Stage[], o: WaitOptions): Promise<number> {
  const start = o.startedAt ?? o.clock.now();
  const elapsed = () => o.clock.now() - start;
  for (const stage of stages) {
    o.progress(`${o.host}: waiting for ${stage.what}`);
    let lastReport = elapsed();
    let last = "";
    for (;;) {
      const left = o.timeoutMs - elapsed();
      if (left <= 0) throw timeoutError(o, stage, last);
      const found = await stage.check(left);
      if ("fatal" in found) throw new CliError(`${o.host}: ${found.fatal}`, ExitCode.Failure);
      if (found.done) {
        const note = found.note !== undefined && found.note !== "" ? ` (${found.note})` : "";
        o.progress(`${o.host}: ${stage.reached} after ${seconds(elapsed())}${note}`);
        break;
      }
      last = found.detail;
      if (elapsed() - lastReport >= o.reportEveryMs) {
        lastReport = elapsed();
        o.progress(
          `${o.host}: still waiting for ${stage.what} (${seconds(elapsed())} of ${seconds(o.timeoutMs)}): ${last}`,
        );
      }
      const pause = Math.min(o.intervalMs, o.timeoutMs - elapsed());
      if (pause > 0) await o.clock.sleep(pause);
    }
  }
  return elapsed();
}

function timeoutError(o: WaitOptions, stage: Stage, last: string): CliError {
  return new CliError(
    `${o.host}: gave up after ${seconds(o.timeoutMs)} waiting for ${stage.what}` +
      (last !== "" ? ` (last seen: ${last})` : "") +
      ": raise --timeout to wait longer",
    ExitCode.Failure,
  );
}
