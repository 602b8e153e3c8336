import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import * as path from "node:path";

const ENGINE_DIR = path.join(__dirname, "..", "..", "components", "engine");
const REMOTE_DIR = path.join(__dirname, "..", "..", "components", "remote");
const REPO_SCRIPTS = path.join(__dirname, "..", "..", "scripts");
const BENCH_SCRIPTS = path.join(__dirname, "..", "..", "bench");

function shellFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(".sh"))
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

describe("shell scripts", () => {
  it("are shellcheck-clean (every step script and every repository script)", function () {
    // shellcheck over some thirty scripts: seconds alone, longer on a loaded machine.
    this.timeout(120000);
    const files = [
      ...shellFiles(REMOTE_DIR),
      ...shellFiles(ENGINE_DIR),
      ...shellFiles(REPO_SCRIPTS),
      ...shellFiles(BENCH_SCRIPTS),
    ];
    assert.ok(files.length >= 5, "the step scripts are found");
    const result = spawnSync("shellcheck", ["-s", "bash", "-x", ...files], { encoding: "utf8" });
    assert.equal(result.error, undefined, "shellcheck is installed (the test command installs it)");
    assert.equal(result.status, 0, result.stdout);
  });

  // The shared helpers run for real in bash: the pin logic decides whether an engine gets reinstalled.
  function bash(body: string): string {
    return execFileSync("bash", ["-c", `source ${path.join(ENGINE_DIR, "common.sh")}\n${body}`], {
      encoding: "utf8",
    });
  }

  it("version_matches accepts distro suffixes of the pinned version and nothing else", () => {
    const out = bash(
      [
        ["20.10.24+dfsg1", "20.10.24"],
        ["27.5.1", "27.5.1"],
        ["27.5.1-1~ubuntu.24.04~noble", "27.5.1"],
        ["27.5.10", "27.5.1"],
        ["27.5.1", "27.5.10"],
        ["26.1.5", "27.5.1"],
      ]
        .map(
          ([have, pin]) =>
            `if version_matches '${have ?? ""}' '${pin ?? ""}'; then echo y; else echo n; fi`,
        )
        .join("\n"),
    );
    assert.deepEqual(out.trim().split("\n"), ["y", "y", "y", "n", "n", "n"]);
  });

  it("scrubs PEM blocks from journal lines", () => {
    const out = bash(
      "journalctl() { printf 'line one\\n-----BEGIN PRIVATE KEY-----\\nSECRET\\n-----END PRIVATE KEY-----\\nline two\\n'; }\ndocker_journal 5",
    );
    assert.equal(out, "line one\nline two\n");
  });
});
