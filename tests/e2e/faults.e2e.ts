import { Stack, UpResult } from "@pulumi/pulumi/automation";
import * as assert from "node:assert/strict";
import { Bundle, busyboxTarball, docker, probe, writeBundle } from "./helpers/docker";
import { Sandbox, sandboxDown, sandboxUp, ssh } from "./helpers/sandbox";
import { assertNoKeyLeaks } from "./helpers/secrets";
import { exampleStack } from "./helpers/stack";

// Faults a real host throws at DockerHost, injected on ONE sandbox host (cases that leave it serving TLS, so the
// next case starts from a working host): what the user sees, and what holds afterwards. Real engine, real SSH,
// real systemd and dockerd. Each case prints its wall time.
describe("DockerHost under faults (end to end)", function () {
  const sandboxName = `dhflt${String(process.pid % 1000)}`;
  let sb: Sandbox;
  let stack: Stack;
  let stackCreated = false;
  let bundle: Bundle;
  let dockerHost = "";
  let transcript = "";

  const record = (s: string) => {
    transcript += s;
    process.stdout.write(s);
  };
  const up = (opts: { replace?: string[]; signal?: AbortSignal } = {}): Promise<UpResult> =>
    stack.up({ onOutput: record, color: "never", ...opts });
  const refreshBundle = async () => {
    const o = await stack.outputs();
    const v = (k: string) => String(o[k]?.value ?? "");
    dockerHost = v("dockerHost");
    bundle = writeBundle(v("caCert"), v("clientCert"), v("clientKey"));
  };
  const dockerCli = (args: string[], input?: Buffer) => docker(dockerHost, bundle, args, input);
  /** The engine's answer to a mutual-TLS GET /version from this machine (status 200 when it serves). */
  const tlsStatus = async () => {
    const r = await probe(sb.host, 2376, bundle.ca, { cert: bundle.cert, key: bundle.key });
    return r.status ?? r.error ?? "none";
  };
  const urnOf = async (suffix: string): Promise<string> => {
    const state = await stack.exportStack();
    const resources = (state.deployment as { resources?: { urn: string }[] }).resources ?? [];
    const urn = resources.map((r) => r.urn).find((u) => u.endsWith(`::${suffix}`));
    assert.ok(urn !== undefined, `a resource named ${suffix} in the state`);
    return urn;
  };
  const startedAt = (name: string) =>
    dockerCli(["inspect", "-f", "{{.State.Running}} {{.State.StartedAt}}", name]);
  /** Runs a case body and prints its wall time. */
  const timedCase = async (label: string, fn: () => Promise<void>) => {
    const start = Date.now();
    try {
      await fn();
    } finally {
      console.log(`      [time] ${label}: ${((Date.now() - start) / 1000).toFixed(1)} s`);
    }
  };

  before(async function () {
    sb = sandboxUp(sandboxName);
    stack = await exampleStack("existing-host", "faults");
    stackCreated = true;
    await stack.setAllConfig({
      host: { value: sb.host },
      privateKeyPath: { value: sb.privateKeyPath },
      hostKey: { value: sb.hostKey },
      name: { value: "faults" },
      labels: { value: JSON.stringify({ purpose: "faults" }) },
      daemonConfig: { value: "{}" },
    });
  });

  after(async function () {
    try {
      if (stackCreated) await stack.workspace.removeStack("faults", { force: true });
    } finally {
      sandboxDown(sandboxName);
    }
  });

  it("(2) the apt lock is held for 30 s during the install: the install waits and succeeds", async () => {
    await timedCase("(2) apt lock held", async () => {
      // When the install step starts, another process (as unattended-upgrades would) takes apt's frontend lock
      // (an fcntl lock on /var/lib/dpkg/lock-frontend, as apt takes it) for 30 s.
      const holder =
        "systemd-run --unit=dh-aptlock sh -c 'date +%s >/run/dh-aptlock.start; perl -e " +
        '"use Fcntl qw(F_WRLCK F_SETLKW SEEK_SET); open(my \\$f, q(>>), q(/var/lib/dpkg/lock-frontend)) or die; ' +
        'my \\$l = pack(q(s s x4 q q l x4), F_WRLCK, SEEK_SET, 0, 0, 0); fcntl(\\$f, F_SETLKW, \\$l) or die; sleep 30"' +
        " && date +%s >/run/dh-aptlock.done'";
      let held = false;
      const seen = transcript.length;
      const watcher = setInterval(() => {
        if (!held && /faults-install creating/.test(transcript.slice(seen))) {
          held = true;
          ssh(sb, holder);
        }
      }, 100);
      let result: UpResult;
      try {
        result = await up();
      } finally {
        clearInterval(watcher);
      }
      const upEnd = Math.floor(Date.now() / 1000);
      assert.equal(result.summary.result, "succeeded");
      assert.ok(held, "the lock was taken when the install step started");
      const times = ssh(
        sb,
        "systemctl show -p Result -p ExecMainStatus dh-aptlock; echo start=$(cat /run/dh-aptlock.start) done=$(cat /run/dh-aptlock.done)",
      );
      // The holder ran to its end untouched (status 0: it had the lock, then released it after 30 s).
      assert.match(times, /Result=success/);
      assert.match(times, /ExecMainStatus=0/);
      const lockStart = Number(/start=(\d+)/.exec(times)?.[1] ?? 0);
      const lockDone = Number(/done=(\d+)/.exec(times)?.[1] ?? 0);
      assert.ok(
        lockDone - lockStart >= 30,
        `the lock was held for 30 s (${String(lockDone - lockStart)} s)`,
      );
      // The sandbox shares this machine's clock: the install finished only after the lock was released.
      assert.ok(upEnd >= lockDone, "pulumi up finished after the lock was released");
      const waited = /Waiting for cache lock|Could not get lock/.test(transcript.slice(seen));
      console.log(
        `      lock held ${String(lockDone - lockStart)} s from the install step's start; up ended ${String(upEnd - lockDone)} s after its release; apt's wait message shown: ${String(waited)}`,
      );
      assert.ok(waited, "the install step says it waits for the lock");
      await refreshBundle();
      assert.match(dockerCli(["version", "--format", "{{.Server.Version}}"]), /^\d+\.\d+/);
      dockerCli(["import", "-", "busybox:faults"], busyboxTarball());
      dockerCli(["run", "-d", "--name", "keeper", "busybox:faults", "/bin/sleep", "100000"]);
    });
  });

  it("(4) a daemon.json value dockerd rejects: up fails naming it; the old config serves, containers untouched", async () => {
    await timedCase("(4) rejected daemon.json", async () => {
      const before = startedAt("keeper");
      const daemonJsonBefore = ssh(sb, "cat /etc/docker/daemon.json");
      await stack.setConfig("daemonConfig", { value: JSON.stringify({ "log-level": "nonsense" }) });
      let message = "";
      await assert.rejects(up(), (e: Error) => {
        message = e.message;
        return true;
      });
      // The step's own error line, then dockerd's words from the journal naming the bad value (the echoed
      // command, which also contains the value, is not what is matched here).
      assert.match(
        message,
        /docker-host: error: dockerd did not serve the Engine API over TLS on port 2376 with the new configuration; the previous configuration is restored\. Last dockerd log lines:[\s\S]*unable to parse logging level: nonsense/,
      );
      assert.equal(ssh(sb, "cat /etc/docker/daemon.json"), daemonJsonBefore);
      assert.equal(await tlsStatus(), 200);
      assert.equal(
        startedAt("keeper"),
        before,
        "the container kept running through the failed change",
      );
      // Taking the bad value out converges again.
      await stack.setConfig("daemonConfig", { value: "{}" });
      assert.equal((await up()).summary.result, "succeeded");
      assert.equal(await tlsStatus(), 200);
      assert.equal(startedAt("keeper"), before);
    });
  });

  it("(5) dockerd stopped by hand: up alone does not notice; up --replace of the configure step restores it", async () => {
    await timedCase("(5) dockerd stopped by hand", async () => {
      ssh(sb, "systemctl stop docker.service docker.socket");
      assert.notEqual(await tlsStatus(), 200);
      // DockerHost does not watch the daemon: a plain `pulumi up` runs nothing and the engine stays down.
      const plain = await up();
      assert.deepEqual(
        Object.keys(plain.summary.resourceChanges ?? {}).filter((k) => k !== "same"),
        [],
      );
      assert.notEqual(await tlsStatus(), 200);
      // What the user does: re-run the configure step, which restarts dockerd and checks it over TLS.
      const replaced = await up({ replace: [await urnOf("faults-configure")] });
      assert.equal(replaced.summary.result, "succeeded");
      assert.equal(await tlsStatus(), 200);
      assert.equal(ssh(sb, "systemctl is-active docker.service").trim(), "active");
    });
  });

  it("(7) SIGINT mid-configure: the next up converges and the host serves TLS", async () => {
    await timedCase("(7) SIGINT mid-configure", async () => {
      // dockerd's restart takes 20 s here (an ExecStartPre sleep in another drop-in), so the interrupt lands
      // while the configure step is inside `systemctl restart`, after the new files are in place.
      ssh(
        sb,
        "printf '[Service]\\nExecStartPre=/bin/sleep 20\\n' >/etc/systemd/system/docker.service.d/10-slow.conf && systemctl daemon-reload",
      );
      await stack.setConfig("daemonConfig", {
        value: JSON.stringify({ "max-concurrent-downloads": 4 }),
      });
      const abort = new AbortController();
      let sent = false;
      const seen = transcript.length;
      const watcher = setInterval(() => {
        if (!sent && /restarting dockerd with the new configuration/.test(transcript.slice(seen))) {
          sent = true;
          abort.abort();
        }
      }, 100);
      let interrupted = "";
      try {
        await up({ signal: abort.signal });
        interrupted = "(the update finished before the interrupt)";
      } catch (e) {
        interrupted = (e as Error).message;
      } finally {
        clearInterval(watcher);
      }
      assert.ok(sent, "the configure step's update started");
      const said = interrupted
        .split("\n")
        .filter((l) => /error|cancel|pending|interrupt/i.test(l))
        .join(" | ");
      console.log(`      what the user sees after SIGINT: ${said}`);
      const pending = (await stack.exportStack()).deployment as { pending_operations?: unknown[] };
      console.log(
        `      pending operations in the state: ${JSON.stringify(pending.pending_operations ?? [])}`,
      );
      console.log(`      TLS right after the interrupt: ${String(await tlsStatus())}`);
      // What the host is left with once systemd's restart job is over.
      let unit = "";
      for (let i = 0; i < 60; i++) {
        unit = ssh(sb, "systemctl is-active docker.service || true").trim();
        if (unit !== "activating") break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      const newJson = /max-concurrent-downloads/.test(ssh(sb, "cat /etc/docker/daemon.json"));
      console.log(
        `      the host after the interrupt: docker.service ${unit}, daemon.json ${newJson ? "new" : "old"}, TLS ${String(await tlsStatus())}`,
      );
      ssh(sb, "rm /etc/systemd/system/docker.service.d/10-slow.conf && systemctl daemon-reload");
      // The user runs `pulumi up` again.
      let next: UpResult | undefined;
      try {
        next = await up();
      } catch (e) {
        console.log(
          `      the next up failed: ${(e as Error).message.split("\n").slice(-8).join(" | ")}`,
        );
        await stack.refresh({ onOutput: record, color: "never", clearPendingCreates: true });
        next = await up();
      }
      assert.equal(next.summary.result, "succeeded");
      // The command plugin does not stop a remote script on SIGINT: the engine waits for the configure step, and
      // whether the step's result reached the state decides what is left. If it did, the next up has nothing to
      // do; if the engine cancelled first, the step kept its previous inputs and the next up runs it again.
      const changes = next.summary.resourceChanges ?? {};
      const rerun = (changes.update ?? 0) >= 1;
      // Nothing re-ran only if the interrupted step had already put the new configuration in place.
      assert.ok(
        rerun || newJson,
        `${JSON.stringify(changes)}, daemon.json ${newJson ? "new" : "old"} after the interrupt`,
      );
      console.log(
        `      the next up: ${rerun ? "re-ran the configure step" : "had nothing left to do (the step had finished)"}`,
      );
      assert.equal(await tlsStatus(), 200);
      assert.match(ssh(sb, "cat /etc/docker/daemon.json"), /"max-concurrent-downloads": 4/);
    });
  });

  it("(6) the engine pin moves down and up between two versions: in place, a live-restore container keeps running", async () => {
    await timedCase("(6) engine version pin change", async () => {
      // The closest this mirror comes to two releases of one engine: Debian 12's docker.io 20.10.24 and Debian
      // 11's security update 20.10.5 (its dependencies are met by Debian 12), offered side by side once the host
      // has both sources, as an operator pinning an older build would set it up.
      ssh(
        sb,
        "printf 'Types: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bullseye-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' >/etc/apt/sources.list.d/bullseye-security.sources",
      );
      // live-restore (engine.liveRestore, on by default) is what lets containers outlive dockerd's stop during a
      // package change, within one minor release line as Docker documents.
      dockerCli(["run", "-d", "--name", "survivor", "busybox:faults", "/bin/sleep", "100000"]);
      const started = startedAt("survivor");
      const pid = () => dockerCli(["inspect", "-f", "{{.State.Pid}}", "survivor"]);
      const survivorPid = pid();
      const engine = async () => ({
        output: String((await stack.outputs()).engineVersion?.value ?? ""),
        served: dockerCli(["version", "--format", "{{.Server.Version}}"]),
        held: ssh(sb, "apt-mark showhold").trim(),
      });
      for (const [pin, reported] of [
        ["20.10.5", "20.10.5+dfsg1"],
        ["20.10.24", "20.10.24+dfsg1"],
      ] as const) {
        await stack.setConfig("engineVersion", { value: pin });
        const result = await up();
        assert.equal(result.summary.result, "succeeded");
        assert.ok(
          !result.summary.resourceChanges?.replace,
          "the pin changes in place, no replacement",
        );
        assert.deepEqual(await engine(), { output: reported, served: reported, held: "docker.io" });
        assert.equal(await tlsStatus(), 200);
        assert.equal(
          startedAt("survivor"),
          started,
          `the container kept running across the move to ${pin}`,
        );
        assert.equal(pid(), survivorPid, "the same container process");
      }
      // Dropping the pin keeps what is installed and releases the hold.
      await stack.removeConfig("engineVersion");
      assert.equal((await up()).summary.result, "succeeded");
      assert.deepEqual(await engine(), {
        output: "20.10.24+dfsg1",
        served: "20.10.24+dfsg1",
        held: "",
      });
      ssh(sb, "rm /etc/apt/sources.list.d/bullseye-security.sources");
    });
  });

  it("(1) sshd starts 60 s after up begins: the wait step keeps dialling and up succeeds", async () => {
    await timedCase("(1) sshd late by 60 s", async () => {
      const waitUrn = await urnOf("faults-wait");
      ssh(
        sb,
        "systemd-run --unit=dh-sshlate --on-active=60 systemctl start ssh.socket ssh.service && systemctl stop ssh.socket ssh.service",
      );
      const start = Date.now();
      // The wait step runs again (as on a new machine whose sshd is not up yet).
      const result = await up({ replace: [waitUrn] });
      const took = (Date.now() - start) / 1000;
      assert.equal(result.summary.result, "succeeded");
      assert.ok(took >= 50, `up waited for sshd (${took.toFixed(1)} s)`);
      assert.equal(await tlsStatus(), 200);
    });
  });

  it("leaks no private key into the state or anything printed, failed and interrupted runs included", async () => {
    await assertNoKeyLeaks(stack, ["faults"], [sb.privateKeyPath], transcript);
  });
});
