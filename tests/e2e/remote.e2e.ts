import { LocalWorkspace, Stack, UpResult } from "@pulumi/pulumi/automation";
import * as assert from "node:assert/strict";
import { Bundle, docker, probe, writeBundle } from "./helpers/docker";
import { Sandbox, sandboxDown, sandboxUp, ssh } from "./helpers/sandbox";
import { assertNoLeaks, stackKeys } from "./helpers/secrets";
import { exampleStack } from "./helpers/stack";

// DockerHost on the genuine command plugin (pulumi-command 1.2.1), on ONE sandbox host: what its behaviours do to
// a real run, one after the other. A remote step that hangs is stopped on the host at its bound; a stale
// SSH_AUTH_SOCK fails the program at once; an adopted daemon.json far over the plugin's 64 KiB line limit goes
// through; a configure stopped at its bound leaves the previous configuration serving. Each case prints its time.
describe("DockerHost on the genuine command plugin (end to end)", function () {
  const sandboxName = `dhrem${String(process.pid % 1000)}`;
  let sb: Sandbox;
  let stack: Stack;
  let stackCreated = false;
  let transcript = "";
  /** The daemon.json the host has before DockerHost adopts it: over 64 KiB, mostly labels. */
  const adoptedLabels = Array.from(
    { length: 1400 },
    (_, i) =>
      `adopted.label-${String(i).padStart(4, "0")}=a-value-long-enough-to-add-up-${String(i)}`,
  );
  const adoptedJson = JSON.stringify(
    { labels: adoptedLabels, "max-concurrent-uploads": 7 },
    null,
    1,
  );

  const record = (s: string) => {
    transcript += s;
    process.stdout.write(s);
  };
  const up = (): Promise<UpResult> => stack.up({ onOutput: record, color: "never" });
  /** Runs `up`, expecting it to fail; returns the error's message and the seconds it took. */
  const failingUp = async (): Promise<{ message: string; seconds: number }> => {
    const start = Date.now();
    let message = "";
    await assert.rejects(up(), (e: Error) => {
      message = e.message;
      transcript += e.message;
      return true;
    });
    return { message, seconds: (Date.now() - start) / 1000 };
  };
  const bundle = async (): Promise<{ host: string; bundle: Bundle }> => {
    const o = await stack.outputs();
    const v = (k: string) => String(o[k]?.value ?? "");
    return {
      host: v("dockerHost"),
      bundle: writeBundle(v("caCert"), v("clientCert"), v("clientKey")),
    };
  };
  const tlsStatus = async () => {
    const { bundle: b } = await bundle();
    const r = await probe(sb.host, 2376, b.ca, { cert: b.cert, key: b.key });
    return r.status ?? r.error ?? "none";
  };
  /** Waits until systemd has finished with docker.service (a restart job may still run), returns its state. */
  const dockerSettled = async (): Promise<string> => {
    let state = "";
    for (let i = 0; i < 120; i++) {
      state = ssh(sb, "systemctl is-active docker.service || true").trim();
      if (state !== "activating" && state !== "deactivating") break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    return state;
  };
  const timedCase = async (label: string, fn: () => Promise<void>) => {
    const start = Date.now();
    try {
      await fn();
    } finally {
      console.log(`      [time] ${label}: ${((Date.now() - start) / 1000).toFixed(1)} s`);
    }
  };
  const noEnvWarnings = () => {
    assert.doesNotMatch(transcript, /PULUMI_COMMAND|Unable to set/, "no SSH env request warnings");
  };

  before(async function () {
    sb = sandboxUp(sandboxName);
    stack = await exampleStack("existing-host", "remote");
    stackCreated = true;
    await stack.setAllConfig({
      host: { value: sb.host },
      privateKeyPath: { value: sb.privateKeyPath },
      hostKey: { value: sb.hostKey },
      name: { value: "remote" },
      // No labels of its own: the adopted ones stay (typed labels would replace them).
      labels: { value: "{}" },
      timeouts: { value: JSON.stringify({ wait: 30 }) },
    });
    ssh(sb, `mkdir -p /etc/docker && cat >/etc/docker/daemon.json <<'EOF'\n${adoptedJson}\nEOF`);
    assert.ok(Buffer.byteLength(adoptedJson) > 64 * 1024, "the adopted daemon.json is over 64 KiB");
  });

  after(async function () {
    try {
      if (stackCreated) await stack.workspace.removeStack("remote", { force: true });
    } finally {
      sandboxDown(sandboxName);
    }
  });

  it("a cloud-init that never finishes: the wait step is stopped at its 30 s bound, naming what it waited for", async () => {
    await timedCase("hung cloud-init", async () => {
      ssh(
        sb,
        "printf '#!/bin/sh\\nexec sleep 1003\\n' >/usr/local/bin/cloud-init && chmod +x /usr/local/bin/cloud-init",
      );
      let failed: { message: string; seconds: number };
      try {
        failed = await failingUp();
      } finally {
        ssh(sb, "rm /usr/local/bin/cloud-init");
      }
      const { message, seconds } = failed;
      console.log(`      up failed after ${seconds.toFixed(1)} s`);
      assert.match(
        message,
        /docker-host: error: the wait step did not finish within 30s while waiting for cloud-init to finish \(cloud-init status --wait\); it was stopped\. Resolve what it waited for \(or raise timeouts\.wait\), then run pulumi up again/,
      );
      // The bound itself, plus the program's start and the dialling.
      assert.ok(seconds >= 30 && seconds < 120, `up failed after ${seconds.toFixed(1)} s`);
      assert.equal(
        ssh(sb, "pgrep -f 'sleep 100[3]' || true").trim(),
        "",
        "the stopped step left nothing running",
      );
      assert.equal(ssh(sb, "test -e /etc/docker/docker-host && echo yes || echo no").trim(), "no");
    });
  });

  it("a stale SSH_AUTH_SOCK: up fails at once, naming the variable and the fix, before any step", async () => {
    await timedCase("stale SSH_AUTH_SOCK", async () => {
      const ws = stack.workspace;
      if (!(ws instanceof LocalWorkspace))
        throw new Error("the example stack has a LocalWorkspace");
      ws.envVars.SSH_AUTH_SOCK = "/nonexistent/agent.sock";
      let failed: { message: string; seconds: number };
      try {
        failed = await failingUp();
      } finally {
        delete ws.envVars.SSH_AUTH_SOCK;
      }
      console.log(`      up failed after ${failed.seconds.toFixed(1)} s`);
      assert.match(
        failed.message,
        /DockerHost "remote": SSH_AUTH_SOCK is set to "\/nonexistent\/agent\.sock", but no SSH agent answers there \(ENOENT\)\. The command provider dials that agent for every remote step, even with a private key, and each step would fail\. Start the agent again \(eval "\$\(ssh-agent\)"\) or unset SSH_AUTH_SOCK/,
      );
      assert.ok(failed.seconds < 60, `failed after ${failed.seconds.toFixed(1)} s`);
      const state = (await stack.exportStack()).deployment as { resources?: { type: string }[] };
      const steps = (state.resources ?? []).filter((r) => r.type === "command:remote:Command");
      assert.deepEqual(steps, [], "no remote step ran");
      assert.equal(ssh(sb, "test -e /etc/docker/docker-host && echo yes || echo no").trim(), "no");
    });
  });

  it("adopts a daemon.json over 64 KiB (its base64 is one line over the plugin's limit unless wrapped); every adopted setting is kept", async () => {
    await timedCase("daemon.json over 64 KiB", async () => {
      const result = await up();
      assert.equal(result.summary.result, "succeeded");
      const written = JSON.parse(ssh(sb, "cat /etc/docker/daemon.json")) as Record<string, unknown>;
      assert.deepEqual(written.labels, adoptedLabels);
      assert.equal(written["max-concurrent-uploads"], 7);
      assert.equal(written.tlsverify, true);
      assert.equal(ssh(sb, "cat /etc/docker/docker-host/daemon.json.orig").trim(), adoptedJson);
      const { host, bundle: b } = await bundle();
      const served = JSON.parse(
        docker(host, b, ["info", "--format", "{{json .Labels}}"]),
      ) as string[];
      assert.equal(served.length, adoptedLabels.length, "dockerd serves every adopted label");
    });
  });

  it("a configure stopped at its 30 s bound mid-restart restores the previous configuration; the next up converges", async () => {
    await timedCase("configure stopped at its bound", async () => {
      const before = ssh(sb, "sha256sum /etc/docker/daemon.json");
      // dockerd's restart now takes 35 s (an ExecStartPre sleep in another drop-in): longer than the bound.
      ssh(
        sb,
        "printf '[Service]\\nExecStartPre=/bin/sleep 35\\n' >/etc/systemd/system/docker.service.d/10-slow.conf && systemctl daemon-reload",
      );
      await stack.setConfig("daemonConfig", {
        value: JSON.stringify({ "max-concurrent-downloads": 4 }),
      });
      await stack.setConfig("timeouts", { value: JSON.stringify({ wait: 30, configure: 30 }) });
      const { message, seconds } = await failingUp();
      console.log(`      up failed after ${seconds.toFixed(1)} s`);
      assert.match(
        message,
        /docker-host: error: the configure step did not finish within 30s while (restarting dockerd with the new configuration|waiting for dockerd to answer over mutual TLS on port 2376) \(the previous configuration is restored\); it was stopped/,
      );
      assert.match(message, /stopped at the time bound: restoring the previous configuration/);
      // The bound, the 60 s grace for the rollback at most, the program's start.
      assert.ok(seconds >= 30 && seconds < 30 + 60 + 90, `up failed after ${seconds.toFixed(1)} s`);
      assert.equal(await dockerSettled(), "active");
      assert.equal(
        ssh(sb, "sha256sum /etc/docker/daemon.json"),
        before,
        "the previous daemon.json is back",
      );
      assert.equal(await tlsStatus(), 200, "the host serves as before");
      assert.equal(
        ssh(
          sb,
          "ls /etc/docker/*.docker-host-new /etc/docker/docker-host/*.docker-host-new 2>/dev/null || true",
        ).trim(),
        "",
      );
      ssh(sb, "rm /etc/systemd/system/docker.service.d/10-slow.conf && systemctl daemon-reload");
      const next = await up();
      assert.equal(next.summary.result, "succeeded");
      assert.match(ssh(sb, "cat /etc/docker/daemon.json"), /"max-concurrent-downloads": 4/);
      assert.equal(await tlsStatus(), 200);
      noEnvWarnings();
    });
  });

  it("destroys without a PULUMI_COMMAND warning and leaks no private key in anything printed", async () => {
    await stack.setConfig("cleanupOnDelete", { value: "true" });
    assert.equal((await up()).summary.result, "succeeded");
    const keys = await stackKeys(stack, ["remote"], [sb.privateKeyPath]);
    const destroyed = await stack.destroy({ onOutput: record, color: "never" });
    assert.equal(destroyed.summary.result, "succeeded");
    assert.match(
      ssh(sb, "cat /etc/docker/daemon.json"),
      /adopted\.label-0000/,
      "the adopted daemon.json is back",
    );
    noEnvWarnings();
    assertNoLeaks(stack, keys, transcript, false);
  });
});
