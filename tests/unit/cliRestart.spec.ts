import * as assert from "node:assert/strict";
import { Probe } from "../../cli/ls";
import {
  AS_ROOT,
  BOOT_ID_FILE,
  ENGINE_RESTART_SCRIPT,
  lastErrorLine,
  parseBootId,
  REBOOT_SCRIPT,
  RemoteResult,
} from "../../cli/remoteRun";
import { rebootAndWait, restartEngineAndWait, RestartDeps, RestartTarget } from "../../cli/restart";
import { fakeClock } from "./helpers/clock";

const OLD = "3f2a9c1e-0000-4000-8000-000000000001";
const NEW = "9c1e3f2a-0000-4000-8000-000000000002";

const ok = (stdout: string): RemoteResult => ({ code: 0, stdout, stderr: "", timedOut: false });
const sshFailed = (stderr: string): RemoteResult => ({
  code: 255,
  stdout: "",
  stderr: `${stderr}\n`,
  timedOut: false,
});
const REFUSED = sshFailed("ssh: connect to host 10.77.5.2 port 22: Connection refused");

const target: RestartTarget = {
  name: "web",
  access: { host: "10.77.5.2", port: 22, user: "root", privateKey: "KEY" },
  dockerHost: "tcp://10.77.5.2:2376",
};

/** Deps whose remote runs and engine probes answer from lists, in turn (the last one again when they run out). */
function deps(runs: RemoteResult[], probes: Probe[]) {
  const clock = fakeClock();
  const scripts: string[] = [];
  const lines: string[] = [];
  let r = 0;
  let p = 0;
  const d: RestartDeps = {
    clock,
    run: (script) => {
      scripts.push(script);
      clock.t += 500;
      return Promise.resolve(runs[Math.min(r++, runs.length - 1)] as RemoteResult);
    },
    engine: () => {
      clock.t += 100;
      return Promise.resolve(probes[Math.min(p++, probes.length - 1)] as Probe);
    },
    progress: (l) => lines.push(l),
  };
  return { d, clock, scripts, lines };
}

const running: Probe = { state: "Running", version: "27.5.1" };
const stopped: Probe = { state: "Stopped", error: "connect ECONNREFUSED 10.77.5.2:2376" };

describe("restart: the reboot and the engine restart, and the waits after them", () => {
  it("reboot: scheduled, down, SSH in a new boot, the engine answers; progress for each step", async () => {
    const { d, scripts, lines } = deps(
      [ok(`${OLD}\n`), ok(`${OLD}\n`), REFUSED, REFUSED, ok(`${NEW}\n`)],
      [stopped, running],
    );
    const took = await rebootAndWait(target, d, { timeoutMs: 300_000 });
    assert.equal(scripts[0], REBOOT_SCRIPT);
    assert.ok(scripts.slice(1).every((s) => s === `cat ${BOOT_ID_FILE}`));
    assert.deepEqual(lines, [
      "web: reboot scheduled (boot 3f2a9c1e)",
      "web: waiting for the host to go down",
      "web: went down after 4 s (SSH: ssh: connect to host 10.77.5.2 port 22: Connection refused)",
      "web: waiting for SSH at root@10.77.5.2:22 with the pinned host key",
      "web: SSH answers after 7 s (boot 9c1e3f2a)",
      "web: waiting for the engine's mutual-TLS answer at tcp://10.77.5.2:2376",
      "web: the engine answers mutual TLS after 9 s (Docker 27.5.1)",
    ]);
    // Each SSH look takes 0.5 s, each probe 0.1 s, with 2 s pauses between looks.
    assert.equal(took, 8_700);
  });

  it("reboot: a host back before it was ever seen down counts by its new boot id", async () => {
    const { d, lines } = deps([ok(`${OLD}\n`), ok(`${NEW}\n`)], [running]);
    await rebootAndWait(target, d, { timeoutMs: 300_000 });
    assert.ok(
      lines.includes("web: went down after 1 s (already back in boot 9c1e3f2a)"),
      lines.join("\n"),
    );
    assert.ok(lines.includes("web: SSH answers after 2 s (boot 9c1e3f2a)"), lines.join("\n"));
  });

  it("reboot: a host that never goes down fails at the bound, saying it is still in the same boot", async () => {
    const { d } = deps([ok(`${OLD}\n`)], [running]);
    await assert.rejects(rebootAndWait(target, d, { timeoutMs: 20_000 }), {
      name: "CliError",
      message:
        "web: gave up after 20 s waiting for the host to go down (last seen: still up in boot 3f2a9c1e): raise --timeout to wait longer",
    });
  });

  it("reboot: SSH that does not come back fails at the bound with ssh's last error", async () => {
    const { d } = deps([ok(`${OLD}\n`), REFUSED], [running]);
    await assert.rejects(
      rebootAndWait(target, d, { timeoutMs: 30_000 }),
      /^CliError: web: gave up after 30 s waiting for SSH at root@10\.77\.5\.2:22 with the pinned host key \(last seen: ssh: connect to host 10\.77\.5\.2 port 22: Connection refused\)/,
    );
  });

  it("reboot: another host key after the reboot stops at once (never waited out, never accepted)", async () => {
    const { d, scripts } = deps(
      [ok(`${OLD}\n`), REFUSED, sshFailed("Host key verification failed.")],
      [running],
    );
    await assert.rejects(rebootAndWait(target, d, { timeoutMs: 300_000 }), {
      message:
        "web: root@10.77.5.2:22 presents a host key other than the pinned one (the stack's sshHostKey): not connecting",
    });
    assert.equal(scripts.length, 3);
  });

  it("reboot: a login that cannot become root says so, and nothing is waited for", async () => {
    const { d, scripts } = deps(
      [
        {
          code: 1,
          stdout: "",
          stderr:
            "the login user admin cannot run commands as root without a password (DockerHost needs root or passwordless sudo)\n",
          timedOut: false,
        },
      ],
      [running],
    );
    await assert.rejects(rebootAndWait(target, d, { timeoutMs: 300_000 }), {
      message:
        "web: could not reboot it over SSH (root@10.77.5.2:22): the login user admin cannot run commands as root without a password (DockerHost needs root or passwordless sudo)",
    });
    assert.equal(scripts.length, 1);
  });

  it("engine: systemctl restart docker as root, then the engine's mutual TLS", async () => {
    const { d, scripts, lines } = deps([ok("")], [stopped, stopped, running]);
    await restartEngineAndWait(target, d, { timeoutMs: 60_000 });
    assert.deepEqual(scripts, [ENGINE_RESTART_SCRIPT]);
    assert.deepEqual(lines, [
      "web: restarting the Docker service (systemctl restart docker)",
      "web: docker.service restarted",
      "web: waiting for the engine's mutual-TLS answer at tcp://10.77.5.2:2376",
      "web: the engine answers mutual TLS after 5 s (Docker 27.5.1)",
    ]);
  });

  it("engine: a failed restart and an engine that never answers are errors naming the host", async () => {
    const failed = deps(
      [{ code: 1, stdout: "", stderr: "Job for docker.service failed.\n", timedOut: false }],
      [running],
    );
    await assert.rejects(restartEngineAndWait(target, failed.d, { timeoutMs: 60_000 }), {
      message:
        "web: could not restart the Docker service over SSH (root@10.77.5.2:22): Job for docker.service failed.",
    });
    const silent = deps([ok("")], [stopped]);
    await assert.rejects(
      restartEngineAndWait(target, silent.d, { timeoutMs: 10_000 }),
      /^CliError: web: gave up after 10 s waiting for the engine's mutual-TLS answer at tcp:\/\/10\.77\.5\.2:2376 \(last seen: Stopped: connect ECONNREFUSED 10\.77\.5\.2:2376\)/,
    );
  });

  it("the scripts: root or passwordless sudo, the boot id before the reboot, a reboot that lets the session end", () => {
    assert.ok(REBOOT_SCRIPT.startsWith(`set -e\n${AS_ROOT}\ncat ${BOOT_ID_FILE}\n`));
    assert.match(
      REBOOT_SCRIPT,
      /\$as systemd-run --quiet --on-active=2 --timer-property=AccuracySec=100ms .*systemctl.* reboot$/,
    );
    assert.match(ENGINE_RESTART_SCRIPT, /\$as systemctl restart docker\.service$/);
    assert.match(AS_ROOT, /sudo -n true/);
    assert.equal(parseBootId(`${OLD}\n`), OLD);
    assert.equal(parseBootId("hello\n"), undefined);
    assert.equal(
      lastErrorLine({
        code: 255,
        stdout: "",
        stderr:
          "Warning: Permanently added '10.77.5.2' (ED25519) to the list of known hosts.\nkex_exchange_identification: read: Connection reset by peer\n",
        timedOut: false,
      }),
      "kex_exchange_identification: read: Connection reset by peer",
    );
    assert.equal(
      lastErrorLine({ code: 255, stdout: "", stderr: "", timedOut: true }),
      "no answer in time",
    );
  });
});
