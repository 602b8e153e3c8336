import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { DockerSwarm } from "../../components";
import { dialBackoffSeconds, WAIT_DIAL_ATTEMPTS } from "../../components/remote/dial";
import { agentSocketProblem } from "../../components/remote/agent";
import { deploy, installCloudMocks } from "./helpers/cloud";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { DockerHost } from "../../components";
import {
  fakeKey,
  registered,
  registeredUnder,
  settle,
  stepStdout,
  unwrapSecret,
  valueOf,
} from "./helpers/mocks";
import { dataNode, HOST_KEY } from "./helpers/swarmNodes";

// How DockerHost and DockerSwarm drive the genuine command plugin (pulumi-command 1.2.1): the inputs of their
// remote commands, as the mock monitor receives them.
describe("remote commands and the command plugin (mocks)", () => {
  before(installCloudMocks);

  const existing = { host: "203.0.113.10", privateKey: fakeKey("ssh"), hostKey: HOST_KEY };

  it("never ask the plugin to send the previous output as SSH environment requests (sshd refuses them, with a warning)", async () => {
    await deploy("envreq", { existing, engine: { labels: { a: "b" } } });
    // What a first manager's join step prints (the swarm tests set the same).
    stepStdout.join = [
      "cluster-id: mockcluster",
      "node-id: mocknode",
      "manager-address: 10.0.0.1:2377",
      "worker-token: SWMTKN-1-mockclusterdigest-workersecret",
      "manager-token: SWMTKN-1-mockclusterdigest-managersecret",
    ].join("\n");
    const swarm = new DockerSwarm("envreqswarm", {
      managers: [dataNode("a", "10.0.0.1")],
      workers: [dataNode("b", "10.0.0.2")],
    });
    await valueOf(swarm.nodes);
    await settle();
    const commands = registered.filter(
      (r) => r.type === "command:remote:Command" && /^envreq(swarm)?-/.test(r.name),
    );
    assert.equal(commands.length, 3 + 6, "the three steps of the host and three per swarm host");
    for (const c of commands) {
      assert.equal(
        c.inputs.addPreviousOutputInEnv,
        false,
        `${c.name} sets addPreviousOutputInEnv: false`,
      );
    }
  });

  it("reads an adopted daemon.json far over the plugin's 64 KiB line limit from the wait step's wrapped block", async () => {
    // A daemon.json of ~100 KiB (many labels), printed by the real wait step helper as the host would.
    const labels = Array.from(
      { length: 2500 },
      (_, i) => `adopted.label-${String(i)}=value-${String(i)}`,
    );
    const daemonJson = JSON.stringify({ labels, "max-concurrent-uploads": 7, hosts: ["fd://"] });
    assert.ok(daemonJson.length > 64 * 1024);
    const stepSh = path.join(__dirname, "..", "..", "components", "remote", "step.sh");
    const block = execFileSync("bash", ["-c", `source ${stepSh}\nemit_block daemon-json-base64`], {
      input: daemonJson,
      encoding: "utf8",
    });
    const saved = stepStdout.wait ?? "";
    stepStdout.wait = `docker-host: machine ready: debian 12\nos: debian 12\n${block}`;
    try {
      await deploy("bigadopt", { existing });
    } finally {
      stepStdout.wait = saved;
    }
    const configure = String(
      unwrapSecret(registeredUnder("bigadopt").byName("configure").inputs.create),
    );
    const rendered = /^DH_DAEMON_JSON='([^']*)'$/m.exec(configure)?.[1] ?? "{}";
    const json = JSON.parse(rendered) as Record<string, unknown>;
    assert.equal(json["max-concurrent-uploads"], 7, "an adopted key is kept");
    assert.deepEqual(json.labels, labels, "every adopted label is kept");
    assert.notDeepEqual(json.hosts, ["fd://"], "the listeners are DockerHost's own");
  });

  it("dials about two minutes before the plugin reports a wrong host key: within 3 minutes, longer than a late sshd", async () => {
    // The SDK's back-off, as the plugin's dialWithRetry uses it: 100 ms, 150 ms, 225 ms... capped at 5 s.
    assert.ok(Math.abs(dialBackoffSeconds(3) - 0.475) < 1e-9);
    assert.ok(Math.abs(dialBackoffSeconds(12) - (0.1 * (1.5 ** 10 - 1)) / 0.5 - 10) < 1e-9);
    const existingHost = await deploy("dialexisting", { existing });
    const aws = await deploy("dialaws", { aws: {}, allowedCidrs: ["198.51.100.0/24"] });
    for (const d of [existingHost, aws]) {
      const limit = d.connection().dialErrorLimit as number;
      assert.equal(limit, WAIT_DIAL_ATTEMPTS);
      const seconds = dialBackoffSeconds(limit);
      // A host key mismatch fails each dial at once: the dialling alone must leave room for the program's start
      // within 3 minutes, and outlast an sshd that answers a minute late (fault case 1 of the e2e suite).
      // Pulumi's deadline for the step covers the dialling (10 minutes) on top of the default 900 s bound and
      // its 60 s grace: the dial limit, not the deadline, ends the dialling of a wrong host key.
      assert.deepEqual(d.options("wait").customTimeouts, ["1560s", "1560s", "1560s"]);
      assert.ok(
        seconds >= 90 && seconds <= 150,
        `${String(limit)} dials take ${seconds.toFixed(1)} s`,
      );
    }
  });

  it("tells an SSH agent socket that answers from one that does not (the plugin dials it for every step)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "dh-agent-"));
    const live = path.join(dir, "live.sock");
    const server = net.createServer((c) => c.destroy());
    await new Promise<void>((resolve) => server.listen(live, resolve));
    try {
      assert.equal(agentSocketProblem({ SSH_AUTH_SOCK: live }), undefined);
    } finally {
      server.close();
    }
    // A socket file whose agent died without removing it.
    const dead = path.join(dir, "dead.sock");
    const gone = net.createServer();
    await new Promise<void>((resolve) => gone.listen(dead, resolve));
    execFileSync("cp", ["-a", dead, `${dead}.copy`]);
    gone.close();
    const notASocket = path.join(dir, "file");
    writeFileSync(notASocket, "");
    assert.equal(agentSocketProblem({}), undefined, "unset: nothing to check");
    assert.equal(
      agentSocketProblem({ SSH_AUTH_SOCK: path.join(dir, "gone") }),
      "no SSH agent answers there (ENOENT)",
    );
    assert.equal(
      agentSocketProblem({ SSH_AUTH_SOCK: `${dead}.copy` }),
      "no SSH agent answers there (ECONNREFUSED)",
    );
    assert.equal(agentSocketProblem({ SSH_AUTH_SOCK: notASocket }), "it is not a socket");
  });

  it("fails a DockerHost and a DockerSwarm before they register anything, naming SSH_AUTH_SOCK and the fix", () => {
    const saved = process.env.SSH_AUTH_SOCK;
    const stale = path.join(mkdtempSync(path.join(tmpdir(), "dh-agent-")), "agent.sock");
    process.env.SSH_AUTH_SOCK = stale;
    const expected = (owner: string) =>
      `${owner}: SSH_AUTH_SOCK is set to ${JSON.stringify(stale)}, but no SSH agent answers there (ENOENT). The command provider dials that agent for every remote step, even with a private key, and each step would fail. Start the agent again (eval "$(ssh-agent)") or unset SSH_AUTH_SOCK (DockerHost logs in with its own key), then run pulumi up again`;
    try {
      assert.throws(
        () => new DockerHost("staleagent", { existing }),
        (e: Error) =>
          // A RunError: Pulumi prints its message alone, without a stack trace.
          pulumi.RunError.isInstance(e) && e.message === expected('DockerHost "staleagent"'),
      );
      assert.throws(
        () => new DockerSwarm("staleagentswarm", { managers: [dataNode("a", "10.0.0.1")] }),
        { message: expected('DockerSwarm "staleagentswarm"') },
      );
    } finally {
      if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = saved;
    }
    assert.deepEqual(
      registered.filter((r) => r.name.startsWith("staleagent")),
      [],
      "nothing was registered",
    );
  });

  it("bounds every step on the host (DH_TIMEOUT) by timeouts, and gives Pulumi's customTimeouts room for the dialling", async () => {
    const d = await deploy("bounds", {
      existing: { ...existing, cleanupOnDelete: true },
      timeouts: { wait: 120, install: 3600 },
    });
    const text = (step: string, key = "create") => String(unwrapSecret(d.byName(step).inputs[key]));
    const bound = (t: string) => /^DH_TIMEOUT=(\S+)$/m.exec(t)?.[1];
    assert.equal(bound(text("wait")), "120");
    assert.equal(bound(text("install")), "3600");
    assert.equal(bound(text("configure")), "600", "the default");
    assert.equal(bound(text("configure", "delete")), "600", "the cleanup has configure's bound");
    // The bound, 60 s for TERM to take effect, and 10 minutes of dialling.
    assert.deepEqual(d.options("wait").customTimeouts, ["780s", "780s", "780s"]);
    assert.deepEqual(d.options("install").customTimeouts, ["4260s", "4260s", "4260s"]);
    assert.deepEqual(d.options("configure").customTimeouts, ["1260s", "1260s", "1260s"]);
    const defaults = await deploy("boundsdefault", { existing });
    assert.equal(bound(String(unwrapSecret(defaults.byName("wait").inputs.create))), "900");
    assert.equal(bound(String(unwrapSecret(defaults.byName("install").inputs.create))), "1800");
  });

  it("bounds every swarm step on the host too (10 minutes)", () => {
    const swarmSteps = registered.filter(
      (r) => r.type === "command:remote:Command" && r.name.startsWith("envreqswarm-"),
    );
    assert.equal(swarmSteps.length, 6);
    for (const step of swarmSteps) {
      for (const key of ["create", "delete"]) {
        const t = step.inputs[key];
        if (t === undefined) continue;
        assert.match(String(unwrapSecret(t)), /^DH_TIMEOUT=600$/m, `${step.name} ${key}`);
      }
    }
  });
});
