import * as assert from "node:assert/strict";
import { CliError, ExitCode } from "../../cli/errors";
import { Check, Stage, waitThrough } from "../../cli/waitFor";
import { fakeClock } from "./helpers/clock";

/** A stage that answers the given checks in turn (the last one again when they run out), each taking `costMs`. */
function scripted(
  clock: { t: number },
  what: string,
  answers: Check[],
  costMs = 0,
): Stage & { limits: number[] } {
  const limits: number[] = [];
  let i = 0;
  return {
    what,
    reached: `${what} reached`,
    limits,
    check(limitMs) {
      limits.push(limitMs);
      clock.t += costMs;
      const answer = answers[Math.min(i++, answers.length - 1)] as Check;
      return Promise.resolve(answer);
    },
  };
}

describe("waitThrough: stages under one bound, with progress", () => {
  it("runs the stages in order, says when each is reached and how long it took", async () => {
    const clock = fakeClock();
    const lines: string[] = [];
    const a = scripted(clock, "a", [
      { done: false, detail: "not yet" },
      { done: true, note: "seen" },
    ]);
    const b = scripted(clock, "b", [{ done: true }]);
    const took = await waitThrough([a, b], {
      host: "web",
      timeoutMs: 60_000,
      intervalMs: 2_000,
      reportEveryMs: 15_000,
      clock,
      progress: (l) => lines.push(l),
    });
    assert.equal(took, 2_000);
    assert.deepEqual(lines, [
      "web: waiting for a",
      "web: a reached after 2 s (seen)",
      "web: waiting for b",
      "web: b reached after 2 s",
    ]);
  });

  it("reports a long wait again, with the time spent, the bound and what it last saw", async () => {
    const clock = fakeClock();
    const lines: string[] = [];
    const answers: Check[] = [
      ...Array.from({ length: 12 }, (_, i) => ({ done: false, detail: `try ${String(i)}` })),
      { done: true },
    ];
    await waitThrough([scripted(clock, "SSH", answers, 1_000)], {
      host: "web",
      timeoutMs: 300_000,
      intervalMs: 2_000,
      reportEveryMs: 15_000,
      clock,
      progress: (l) => lines.push(l),
    });
    assert.deepEqual(lines, [
      "web: waiting for SSH",
      // Each look takes 1 s, then a 2 s pause: looks end at 1, 4, 7... s.
      "web: still waiting for SSH (16 s of 300 s): try 5",
      "web: still waiting for SSH (31 s of 300 s): try 10",
      "web: SSH reached after 37 s",
    ]);
  });

  it("gives up at the bound, naming the host, the stage, the bound and the last thing seen (exit 1)", async () => {
    const clock = fakeClock();
    const stage = scripted(clock, "the engine's mutual-TLS answer", [
      { done: false, detail: "Stopped: connect ECONNREFUSED" },
    ]);
    await assert.rejects(
      waitThrough([stage], {
        host: "web",
        timeoutMs: 7_000,
        intervalMs: 2_000,
        reportEveryMs: 60_000,
        clock,
        progress: () => undefined,
      }),
      (e: unknown) => {
        assert.ok(e instanceof CliError);
        assert.equal(e.exitCode, ExitCode.Failure);
        assert.equal(
          e.message,
          "web: gave up after 7 s waiting for the engine's mutual-TLS answer (last seen: Stopped: connect ECONNREFUSED): raise --timeout to wait longer",
        );
        return true;
      },
    );
    // Looks at 0, 2, 4 and 6 s, the last pause cut to the bound; each look may take at most the time left.
    assert.deepEqual(stage.limits, [7_000, 5_000, 3_000, 1_000]);
    assert.equal(clock.t, 1_000_000 + 7_000);
  });

  it("counts the bound from startedAt: time spent before the stages is part of it", async () => {
    const clock = fakeClock();
    const startedAt = clock.now();
    clock.t += 9_000; // e.g. systemctl restart docker took 9 s
    const stage = scripted(clock, "x", [{ done: false, detail: "no" }]);
    await assert.rejects(
      waitThrough([stage], {
        host: "web",
        timeoutMs: 10_000,
        startedAt,
        intervalMs: 2_000,
        reportEveryMs: 60_000,
        clock,
        progress: () => undefined,
      }),
      /^CliError: web: gave up after 10 s waiting for x \(last seen: no\)/,
    );
    assert.deepEqual(stage.limits, [1_000]);
  });

  it("stops at once on a fatal answer, with its message", async () => {
    const clock = fakeClock();
    const stage = scripted(clock, "SSH", [{ fatal: "another host key answers" }]);
    await assert.rejects(
      waitThrough([stage], {
        host: "db",
        timeoutMs: 300_000,
        intervalMs: 2_000,
        reportEveryMs: 15_000,
        clock,
        progress: () => undefined,
      }),
      { name: "CliError", message: "db: another host key answers" },
    );
    assert.equal(stage.limits.length, 1);
  });
});
