// A clock for the CLI's waits (cli/waitFor.ts) in tests: no real time passes.
import { Clock } from "../../../cli/waitFor";

/** A clock whose pauses take no real time: sleeping moves it on. */
export function fakeClock(start = 1_000_000): Clock & { t: number } {
  const clock = {
    t: start,
    now: () => clock.t,
    sleep: (ms: number) => {
      clock.t += ms;
      return Promise.resolve();
    },
  };
  return clock;
}
