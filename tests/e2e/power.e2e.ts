import { Stack } from "@pulumi/pulumi/automation";
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { cliRunner, CliResult, sandboxHostStack, teardown, upOk } from "./helpers/cli";
import { Bundle, busyboxTarball, docker, writeBundle } from "./helpers/docker";
import { REPO, Sandbox, ssh } from "./helpers/sandbox";

// Issue 18's CLI half against a real host: `docker-host restart` reboots a sandbox host over SSH (the sandbox
// boots its guest again after the reboot, as a VM would: same address, disk and host keys) and waits for SSH and
// the engine's mutual TLS; `restart --engine` restarts only dockerd while live-restore keeps a container running;
// a bound too short fails with its message; `stop` and `start` on an existing machine say why they cannot.
describe("docker-host restart, stop and start against a sandbox host (end to end)", function () {
  const sandboxName = `pw${String(process.pid % 1000)}`;
  const HOST = "pw";
  const PROJECT_DIR = path.join(REPO, "examples", "existing-host");
  const BOOT_ID = "cat /proc/sys/kernel/random/boot_id";
  let sb: Sandbox;
  let stack: Stack;
  let dockerHost = "";
  let bundle: Bundle;
  const { cli, ok } = cliRunner(() => stack, PROJECT_DIR);
  const dockerCli = (args: string[], input?: Buffer) => docker(dockerHost, bundle, args, input);
  /** The command's lines, and its exit code and stderr in the message when it is not 0. */
  const succeeded = (r: CliResult, what: string): string[] => {
    assert.equal(r.code, 0, `${what}: exit ${String(r.code)}\n${r.stdout}\n${r.stderr}`);
    const lines = r.stdout.trimEnd().split("\n");
    // The progress as the user sees it, in the suite's log.
    for (const line of lines) console.log(`        | ${line}`);
    return lines;
  };
  /** Whether `lines` hold lines matching each pattern, in this order. */
  const inOrder = (lines: string[], patterns: RegExp[]) => {
    let at = 0;
    for (const p of patterns) {
      const found = lines.findIndex((l, i) => i >= at && p.test(l));
      assert.ok(found >= 0, `no line ${String(p)} after line ${String(at)}:\n${lines.join("\n")}`);
      at = found + 1;
    }
  };

  before(async function () {
    ({ sb, stack } = await sandboxHostStack(
      sandboxName,
      "power",
      HOST,
      {},
      { surviveReboot: true },
    ));
    await upOk(stack, "pulumi up");
    const o = await stack.outputs();
    dockerHost = String(o.dockerHost?.value);
    bundle = writeBundle(
      String(o.caCert?.value),
      String(o.clientCert?.value),
      String(o.clientKey?.value),
    );
    dockerCli(["import", "-", "busybox:power"], busyboxTarball());
  });

  after(async function () {
    await teardown(stack, sandboxName);
  });

  it("stop and start on an existing machine: why not and what instead, exit 1 (docker-machine's generic driver: unsupported, exit 1), nothing changed", () => {
    for (const verb of ["stop", "start"]) {
      const r = cli([verb, HOST]);
      assert.equal(r.code, 1, `${verb}: ${r.stderr}`);
      assert.equal(r.stdout, "");
      assert.match(
        r.stderr,
        new RegExp(
          `^docker-host: cannot ${verb} ${HOST} \\(source existing\\): an existing machine's power is managed where the machine comes from, not by DockerHost\\.\\nInstead: .*docker-host restart ${HOST}\`\\n$`,
        ),
      );
    }
    assert.equal(ok(["status", HOST]), "Running\n");
  });

  it("restart --engine: dockerd restarts, a container kept by live-restore runs on (same PID and StartedAt), TLS answers", () => {
    dockerCli(["run", "-d", "--name", "kept", "busybox:power", "/bin/sleep", "100000"]);
    const container = () =>
      dockerCli(["inspect", "-f", "{{.State.Pid}} {{.State.StartedAt}}", "kept"]);
    const dockerd = () => ssh(sb, "systemctl show -p MainPID --value docker.service").trim();
    const before = { container: container(), dockerd: dockerd() };
    const lines = succeeded(
      cli(["restart", "--engine", HOST], { timeoutMs: 300_000 }),
      "restart --engine",
    );
    inOrder(lines, [
      new RegExp(`^Restarting "${HOST}" \\(the Docker service\\)\\.\\.\\.$`),
      new RegExp(`^${HOST}: restarting the Docker service \\(systemctl restart docker\\)$`),
      new RegExp(`^${HOST}: docker\\.service restarted$`),
      new RegExp(`^${HOST}: the engine answers mutual TLS after \\d+ s \\(Docker \\S+\\)$`),
      new RegExp(`^${HOST}: restarted in \\d+ s; its engine answers at ${dockerHost}$`),
    ]);
    const after = { container: container(), dockerd: dockerd() };
    assert.notEqual(after.dockerd, before.dockerd, "dockerd is a new process");
    assert.equal(after.container, before.container, "the container was never restarted");
    assert.equal(dockerCli(["inspect", "-f", "{{.State.Running}}", "kept"]), "true");
    assert.equal(ok(["status", HOST]), "Running\n");
    // Its sleep, PID 1 of the container, ignores SIGTERM: left running, it would hold the next test's reboot for
    // systemd's 90 s stop timeout.
    dockerCli(["rm", "-f", "kept"]);
  });

  it("restart: the host reboots (new boot id) and comes back on the same address, host key and disk; TLS answers", () => {
    const bootBefore = ssh(sb, BOOT_ID).trim();
    ssh(sb, "echo kept-across-reboot > /var/tmp/dh-power-marker");
    const started = Date.now();
    const lines = succeeded(cli(["restart", HOST], { timeoutMs: 600_000 }), "restart");
    console.log(`      [time] restart (reboot): ${((Date.now() - started) / 1000).toFixed(1)} s`);
    inOrder(lines, [
      new RegExp(`^Restarting "${HOST}"\\.\\.\\.$`),
      new RegExp(`^${HOST}: reboot scheduled \\(boot ${bootBefore.slice(0, 8)}\\)$`),
      new RegExp(`^${HOST}: waiting for the host to go down$`),
      new RegExp(`^${HOST}: went down after \\d+ s`),
      new RegExp(
        `^${HOST}: waiting for SSH at root@${sb.host.replace(/\./g, "\\.")}:22 with the pinned host key$`,
      ),
      new RegExp(`^${HOST}: SSH answers after \\d+ s \\(boot [0-9a-f]{8}\\)$`),
      new RegExp(`^${HOST}: the engine answers mutual TLS after \\d+ s \\(Docker \\S+\\)$`),
      new RegExp(`^${HOST}: restarted in \\d+ s; its engine answers at ${dockerHost}$`),
    ]);
    // ssh() pins the sandbox's host key (StrictHostKeyChecking=yes): answering at all proves the same key.
    const bootAfter = ssh(sb, BOOT_ID).trim();
    assert.notEqual(bootAfter, bootBefore, "a new boot");
    assert.ok(
      lines.some((l) => l.includes(`(boot ${bootAfter.slice(0, 8)})`)),
      "the CLI saw that boot",
    );
    assert.equal(ssh(sb, "cut -d' ' -f1,2 /etc/ssh/ssh_host_ed25519_key.pub").trim(), sb.hostKey);
    assert.equal(ssh(sb, "cat /var/tmp/dh-power-marker").trim(), "kept-across-reboot");
    assert.equal(ok(["ip", HOST]), `${sb.host}\n`);
    assert.equal(ok(["status", HOST]), "Running\n");
    assert.match(dockerCli(["version", "--format", "{{.Server.Version}}"]), /^\d+\.\d+/);
  });

  it("a bound too short: exit 1 naming the host and what it waited for; the host still comes back", () => {
    const bootBefore = ssh(sb, BOOT_ID).trim();
    const r = cli(["restart", HOST, "--timeout", "3"], { timeoutMs: 120_000 });
    assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
    assert.match(
      r.stdout,
      new RegExp(`^Restarting "${HOST}"\\.\\.\\.\\n${HOST}: reboot scheduled`),
    );
    assert.match(
      r.stderr,
      new RegExp(
        `^docker-host: ${HOST}: gave up after 3 s waiting for (the host to go down|SSH at root@\\S+:22 with the pinned host key)( \\(last seen: [^\\n]*\\))?: raise --timeout to wait longer\\n$`,
      ),
    );
    // The reboot itself goes on: the host is back in a new boot with its engine, within the usual time.
    let back = false;
    for (let i = 0; i < 120 && !back; i++) {
      try {
        back =
          ssh(sb, BOOT_ID).trim() !== bootBefore && cli(["status", HOST]).stdout === "Running\n";
      } catch {
        /* still down */
      }
      if (!back) execFileSync("sleep", ["2"]);
    }
    assert.ok(back, "the host came back after the reboot the short bound gave up on");
  });
});
