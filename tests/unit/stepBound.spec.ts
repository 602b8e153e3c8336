import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { renderRemoteStep } from "../../components/remote/step";

const REMOTE_DIR = path.join(__dirname, "..", "..", "components", "remote");
const shared = ["bound", "step"]
  .map((f) => readFileSync(path.join(REMOTE_DIR, `${f}.sh`), "utf8"))
  .join("\n");

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs a step whose own script is `body` (after the shared parts) as Pulumi's SSH session would: sh, stdin. */
function runStep(
  program: string,
  step: string,
  body: string,
  params: Record<string, string>,
  rest = "",
): Run {
  const rendered = renderRemoteStep(program, step, `${shared}\n${body}`, params);
  const start = Date.now();
  const r = spawnSync("sh", ["-c", rendered.command], {
    input: rendered.stdin + rest,
    encoding: "utf8",
    timeout: 60_000,
  });
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    seconds: (Date.now() - start) / 1000,
  };
}

/** The last line of a step's stderr (bash may say "Terminated" for the process the bound stopped, before it). */
function lastLine(text: string): string {
  return `${text.trimEnd().split("\n").pop() ?? ""}\n`;
}

/** Whether a process whose command line contains `marker` still runs. */
function running(marker: string): boolean {
  return spawnSync("pgrep", ["-f", marker]).status === 0;
}

// The time bound every remote step runs under (components/remote/bound.sh), for real in bash and coreutils
// `timeout`: the command plugin never interrupts a running script, so this is the only thing that does.
describe("remote step time bound (real bash and timeout)", () => {
  it("stops a step that runs past its bound, with everything it started, and says what it was waiting for", () => {
    const r = runStep(
      "docker-host",
      "install",
      'phase "waiting for the dpkg lock, held by process 812 (unattended-upgr), during apt-get install docker.io"\nsleep 1001 &\nsleep 1001\necho never',
      { DH_TIMEOUT: "2" },
    );
    assert.equal(r.status, 1);
    assert.equal(
      lastLine(r.stderr),
      "docker-host: error: the install step did not finish within 2s while waiting for the dpkg lock, held by process 812 (unattended-upgr), during apt-get install docker.io; it was stopped. Resolve what it waited for (or raise timeouts.install), then run pulumi up again\n",
    );
    assert.doesNotMatch(r.stdout, /never/);
    assert.ok(r.seconds >= 2 && r.seconds < 10, `took ${r.seconds.toFixed(1)} s`);
    assert.equal(
      running("sleep 1001"),
      false,
      "the step's processes, background ones too, are gone",
    );
  });

  it("lets a stopped step clean up (its EXIT trap runs) and names no input for a swarm step", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "dh-bound-"));
    const r = runStep(
      "docker-swarm",
      "member",
      `staged=$(mktemp -p ${dir}); trap 'rm -f "$staged"' EXIT\nphase "waiting for host b to be Ready in the swarm"\nsleep 1002`,
      { DH_TIMEOUT: "1" },
    );
    assert.equal(
      lastLine(r.stderr),
      "docker-swarm: error: the member step did not finish within 1s while waiting for host b to be Ready in the swarm; it was stopped. Resolve what it waited for, then run pulumi up again\n",
    );
    assert.deepEqual(
      execFileSync("ls", [dir], { encoding: "utf8" }),
      "",
      "the staged file is removed",
    );
    assert.equal(running("sleep 1002"), false);
  });

  it("passes a step's own status and output through, and the rest of stdin (secrets) to the step", () => {
    const ok = runStep(
      "docker-host",
      "configure",
      'read -r key\necho "engine-version: 1 $key"',
      { DH_TIMEOUT: "30" },
      "c2VjcmV0\n",
    );
    assert.equal(ok.status, 0);
    assert.equal(ok.stdout, "engine-version: 1 c2VjcmV0\n");
    // A step that fails with 124 itself, long before its bound, is not reported as stopped.
    const own = runStep("docker-host", "wait", "exit 124", { DH_TIMEOUT: "30" });
    assert.equal(own.status, 124);
    assert.equal(own.stderr, "");
  });

  it("refuses to run a step without a bound", () => {
    const r = runStep("docker-host", "wait", "echo ran", {});
    assert.equal(r.status, 1);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      "docker-host: error: the wait step was given no time bound (DH_TIMEOUT)\n",
    );
  });

  it("prints bounds as Go durations, as Pulumi does", () => {
    const out = execFileSync(
      "bash",
      [
        "-c",
        `DH_PHASE_FILE=/dev/null; source ${path.join(REMOTE_DIR, "bound.sh")}\nfor s in 30 90 600 1800 3600 86400; do dh_duration "$s"; echo; done`,
      ],
      { encoding: "utf8" },
    );
    assert.deepEqual(out.trim().split("\n"), [
      "30s",
      "1m30s",
      "10m0s",
      "30m0s",
      "1h0m0s",
      "24h0m0s",
    ]);
    assert.ok(existsSync(path.join(REMOTE_DIR, "bound.sh")));
  });

  it("runs as root through sudo -n, and says so when the login user has no passwordless sudo", () => {
    // A login user other than root, as the step sees it: `id` and `sudo` stand-ins first on PATH.
    const bin = mkdtempSync(path.join(tmpdir(), "dh-nosudo-"));
    const stub = (name: string, body: string) => {
      writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    };
    stub("id", 'case "$1" in -u) echo 1000 ;; -un) echo deploy ;; *) exit 1 ;; esac');
    const run = () => {
      const rendered = renderRemoteStep("docker-host", "wait", `${shared}\necho ran as root`, {
        DH_TIMEOUT: "30",
      });
      return spawnSync("sh", ["-c", rendered.command], {
        input: rendered.stdin,
        encoding: "utf8",
        env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` },
      });
    };
    stub("sudo", 'echo "sudo: a password is required" >&2; exit 1');
    const refused = run();
    assert.equal(refused.status, 1);
    assert.equal(refused.stdout, "");
    assert.equal(
      refused.stderr,
      "docker-host: error: the login user deploy cannot run commands as root without a password: DockerHost needs root or passwordless sudo (a file in /etc/sudoers.d holding: deploy ALL=(ALL) NOPASSWD:ALL)\n",
    );
    // With passwordless sudo, the step runs through it (the stand-in runs what it is given).
    stub("sudo", '[ "$1" = -n ] && shift; exec "$@"');
    const ran = run();
    assert.equal(ran.status, 0, ran.stderr);
    assert.match(ran.stdout, /ran as root/);
  });
});
