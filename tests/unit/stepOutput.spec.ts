import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as path from "node:path";
import * as fc from "fast-check";
import { parseStepOutput, stepValue } from "../../components/remote/output";
import { parseFirstManager } from "../../components/swarm/outputs";
import { parseEngineVersion } from "../../components/engine/steps";

const STEP_SH = path.join(__dirname, "..", "..", "components", "remote", "step.sh");

/** The shared shell helper `emit_block`, run for real in bash on `data`. */
function emitBlock(key: string, data: Buffer): string {
  return execFileSync("bash", ["-c", `source ${STEP_SH}\nemit_block "$1"`, "emit", key], {
    input: data,
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
}

describe("step output (one parser for every remote step)", () => {
  it("reads key: value lines and begin/end blocks, and ignores log lines", () => {
    const out = parseStepOutput(
      [
        "docker-host: machine ready: debian 12",
        "os: debian 12",
        "empty:",
        "begin daemon-json-base64",
        "eyJh",
        "Ijox",
        "end daemon-json-base64",
        "  engine-version: 27.5.1  ",
        "some log line, not a value",
      ].join("\n"),
    );
    assert.equal(out.os, "debian 12");
    assert.equal(out.empty, "");
    assert.equal(out["daemon-json-base64"], "eyJh\nIjox");
    assert.equal(out["engine-version"], "27.5.1");
    assert.equal(
      parseEngineVersion("docker-host: x\nengine-version: 20.10.24+dfsg1\n"),
      "20.10.24+dfsg1",
    );
    assert.equal(parseFirstManager("node-id: n1\nworker-token: SWMTKN-1-x\n").nodeId, "n1");
  });

  it("gives one value by key, empty when the step printed none (a step under echo mocks printed nothing)", () => {
    assert.equal(stepValue("docker-swarm: log\nnode-id: n1\n", "node-id"), "n1");
    assert.equal(stepValue("node-id: n1\n", "cluster-id"), "");
    assert.equal(stepValue(undefined, "node-id"), "");
  });

  it("refuses a block cut short (a missing value would read as none)", () => {
    assert.throws(
      () => parseStepOutput("begin daemon-json-base64\neyJh\n"),
      /the step's output was cut short: no "end daemon-json-base64" after "begin daemon-json-base64"/,
    );
  });

  it("gives back every value as printed, whatever the log lines around them (generative)", () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);
    const scalar = fc.stringMatching(/^[!-~]([ -~]{0,40}[!-~])?$/);
    const entry = fc.oneof(
      fc.record({
        kind: fc.constant("log" as const),
        // A log line never reads as a value: it does not start (after indentation) with a lowercase key and ":".
        // (Indented " a:" is a value: values may be indented, the first test shows.)
        text: fc.stringMatching(/^[A-Z][ -~]{0,40}$/),
      }),
      fc.record({ kind: fc.constant("value" as const), key, value: scalar }),
      fc.record({
        kind: fc.constant("block" as const),
        key,
        bytes: fc.uint8Array({ maxLength: 400 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 12 }), (entries) => {
        const expected: Record<string, string> = {};
        const lines: string[] = [];
        for (const e of entries) {
          if (e.kind === "log") lines.push(e.text);
          if (e.kind === "value") {
            lines.push(`${e.key}: ${e.value}`);
            expected[e.key] = e.value;
          }
          if (e.kind === "block") {
            const wrapped =
              Buffer.from(e.bytes)
                .toString("base64")
                .match(/.{1,76}/g) ?? [];
            lines.push(`begin ${e.key}`, ...wrapped, `end ${e.key}`);
            expected[e.key] = wrapped.join("\n");
          }
        }
        assert.deepEqual(parseStepOutput(lines.join("\n")), expected);
      }),
    );
  });

  it("emit_block prints any bytes in lines of at most 76 characters that read back exactly (generative, real bash)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
        const out = emitBlock("data", Buffer.from(bytes));
        for (const line of out.split("\n")) assert.ok(line.length <= 76, line);
        const value = parseStepOutput(out).data;
        assert.ok(value !== undefined);
        assert.deepEqual(Buffer.from(value, "base64"), Buffer.from(bytes));
      }),
      { numRuns: 25 },
    );
  });

  it("carries a value far over the plugin's 64 KiB line limit (a large adopted daemon.json)", () => {
    const big = randomBytes(200 * 1024);
    const out = emitBlock("daemon-json-base64", big);
    const longest = Math.max(...out.split("\n").map((l) => l.length));
    assert.ok(longest <= 76, `the longest line has ${String(longest)} characters`);
    assert.deepEqual(
      Buffer.from(parseStepOutput(`os: debian 12\n${out}`)["daemon-json-base64"] ?? "", "base64"),
      big,
    );
  });
});
