import { Stack } from "@pulumi/pulumi/automation";
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { clientSignedBy, foreignClient, stackCaKey } from "./helpers/certs";
import { Bundle, busyboxTarball, docker, plainHttp, probe, writeBundle } from "./helpers/docker";
import { Sandbox, sandboxDown, sandboxUp, ssh } from "./helpers/sandbox";
import { assertNoLeaks, containsSecret, privatePart, stackKeys } from "./helpers/secrets";
import { exampleStack, timed } from "./helpers/stack";

// The real product end to end: the real Pulumi engine and plugins, real SSH with a pinned host key, a real
// systemd Debian host running Debian's docker.io, and the real docker CLI over mutual TLS from this machine.
describe("DockerHost on a sandbox host (end to end)", function () {
  const sandboxName = `dhe2e${String(process.pid % 1000)}`;
  let sb: Sandbox;
  let stack: Stack;
  let stackCreated = false;
  let outputs: Record<string, string>;
  let bundle: Bundle;

  const out = (key: string): string => {
    const value = outputs[key];
    assert.ok(value !== undefined, `stack output ${key}`);
    return value;
  };
  const refreshOutputs = async () => {
    const o = await stack.outputs();
    outputs = Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v.value)]));
    bundle = writeBundle(out("caCert"), out("clientCert"), out("clientKey"));
  };
  const dockerCli = (args: string[], input?: Buffer) =>
    docker(out("dockerHost"), bundle, args, input);
  // Everything the engine printed and every error it raised, searched for key material at the end.
  const transcript: string[] = [];
  const record = (s: string) => {
    transcript.push(s);
    process.stdout.write(s);
  };
  // Every private key of the stack, collected once it exists, searched for in the state and everything printed.
  let secrets: Record<string, Buffer> = {};
  const assertNoSecretLeaks = (stateHoldsSecrets: boolean) => {
    assertNoLeaks(stack, secrets, transcript.join("\n"), stateHoldsSecrets);
  };
  const up = (label: string) => timed(label, () => stack.up({ onOutput: record, color: "never" }));
  /** sshd refuses SSH env requests: addPreviousOutputInEnv would have printed a warning on updates and deletes. */
  const assertNoEnvWarnings = () => {
    assert.doesNotMatch(transcript.join(""), /PULUMI_COMMAND|Unable to set/);
  };

  before(async function () {
    await timed("sandbox boot", () => Promise.resolve((sb = sandboxUp(sandboxName))));
    stack = await exampleStack("existing-host", "e2e");
    stackCreated = true;
    await stack.setAllConfig({
      host: { value: sb.host },
      privateKeyPath: { value: sb.privateKeyPath },
      hostKey: { value: sb.hostKey },
      labels: { value: JSON.stringify({ team: "web" }) },
    });
  });

  after(async function () {
    try {
      if (stackCreated) await stack.workspace.removeStack("e2e", { force: true });
    } finally {
      sandboxDown(sandboxName);
    }
  });

  it("1. provisions from nothing; the engine answers over TLS with only the stack's outputs", async () => {
    const result = await up("first pulumi up");
    assert.equal(result.summary.result, "succeeded");
    await refreshOutputs();
    assert.equal(out("dockerHost"), `tcp://${sb.host}:2376`);
    const serverVersion = dockerCli(["version", "--format", "{{.Server.Version}}"]);
    assert.equal(serverVersion, out("engineVersion"));
    assert.match(serverVersion, /^\d+\.\d+\.\d+/);
    dockerCli(["import", "-", "busybox:e2e"], busyboxTarball());
    assert.equal(
      dockerCli(["run", "--rm", "busybox:e2e", "/bin/echo", "hello from the sandbox"]),
      "hello from the sandbox",
    );
  });

  it("2. a second preview reports no changes and a second up runs no remote command", async () => {
    const preview = await timed("no-op preview", () =>
      stack.preview({ expectNoChanges: true, onOutput: record }),
    );
    assert.deepEqual(
      Object.keys(preview.changeSummary).filter((k) => k !== "same"),
      [],
    );
    const result = await up("no-op pulumi up");
    const changes = result.summary.resourceChanges ?? {};
    assert.deepEqual(
      Object.keys(changes).filter((k) => k !== "same"),
      [],
      JSON.stringify(changes),
    );
  });

  it("3. a label change updates only the configure step; a running container survives it", async () => {
    dockerCli(["run", "-d", "--name", "keeper", "busybox:e2e", "/bin/sleep", "100000"]);
    const startedAt = dockerCli(["inspect", "-f", "{{.State.StartedAt}}", "keeper"]);
    await stack.setConfig("labels", { value: JSON.stringify({ team: "ops" }) });
    const preview = await timed("label preview", () =>
      stack.preview({ diff: true, color: "never", onOutput: record }),
    );
    // The component records its inputs, so it shows as updated too; of the real resources only configure is.
    assert.deepEqual(preview.changeSummary, { same: 11, update: 2 }, preview.stdout);
    const updated = [
      ...preview.stdout.matchAll(
        /~ ([\w:/-]+): \(update\)\n\s+\[(?:id=[^\]]+\]\n\s+\[)?urn=[^\]]*::([\w-]+)\]/g,
      ),
    ].map((m) => `${m[1] ?? ""} ${m[2] ?? ""}`);
    assert.deepEqual(updated, [
      "docker-host:index:DockerHost sandbox",
      "command:remote:Command sandbox-configure",
    ]);
    assert.match(
      preview.stdout,
      /-\s+"team=web"\n\s+\+\s+"team=ops"/,
      "the diff shows the rendered daemon.json",
    );
    assert.doesNotMatch(preview.stdout, /replace/);
    await up("label pulumi up");
    await refreshOutputs();
    assert.match(dockerCli(["info", "--format", "{{json .Labels}}"]), /"team=ops"/);
    // The update re-ran configure, which had printed output: the plugin sends no env requests for it any more.
    assertNoEnvWarnings();
    assert.equal(
      dockerCli(["inspect", "-f", "{{.State.Running}} {{.State.StartedAt}}", "keeper"]),
      `true ${startedAt}`,
    );
  });

  it("4. rotating certificates rejects the old client certificate and accepts the new one", async () => {
    const old = bundle;
    await stack.setConfig("rotation", { value: "e2e-rotation-1" });
    await up("rotation pulumi up");
    await refreshOutputs();
    assert.notEqual(bundle.cert, old.cert);
    assert.throws(
      () => docker(out("dockerHost"), old, ["version"]),
      "the old client certificate is rejected",
    );
    assert.match(dockerCli(["version", "--format", "{{.Server.Version}}"]), /^\d+\.\d+/);
    assert.equal(dockerCli(["inspect", "-f", "{{.State.Running}}", "keeper"]), "true");
  });

  it("5. the engine port refuses clients without a certificate, with another CA's or an expired certificate, and plain HTTP", async () => {
    const port = 2376;
    const good = await probe(sb.host, port, bundle.ca, { cert: bundle.cert, key: bundle.key });
    assert.equal(good.status, 200, "the stack's own client certificate is accepted");
    const noCert = await probe(sb.host, port, bundle.ca);
    assert.ok(noCert.status === undefined, `no client certificate: ${JSON.stringify(noCert)}`);
    const foreign = foreignClient();
    const other = await probe(sb.host, port, bundle.ca, foreign);
    assert.ok(other.status === undefined, `another CA's certificate: ${JSON.stringify(other)}`);
    // Two certificates from the host's own CA, made the same way: one current (the control, accepted), one
    // that expired a year ago (refused).
    const caKey = await stackCaKey(stack, "sandbox");
    const day = 24 * 3600 * 1000;
    const now = Date.now();
    const current = clientSignedBy(bundle.ca, caKey, new Date(now - day), new Date(now + day));
    const currentAnswer = await probe(sb.host, port, bundle.ca, current);
    assert.equal(
      currentAnswer.status,
      200,
      `a current certificate of the host's CA: ${JSON.stringify(currentAnswer)}`,
    );
    const expired = clientSignedBy(
      bundle.ca,
      caKey,
      new Date(now - 400 * day),
      new Date(now - 365 * day),
    );
    const expiredAnswer = await probe(sb.host, port, bundle.ca, expired);
    assert.ok(
      expiredAnswer.status === undefined,
      `an expired certificate of the host's CA: ${JSON.stringify(expiredAnswer)}`,
    );
    const plain = await plainHttp(sb.host, port);
    assert.doesNotMatch(plain, /ApiVersion|"Version"/, "plain HTTP gets no API answer");
  });

  it("5b. files on the host: keys 0600 root, certificates and daemon.json 0644 root", () => {
    const modes = ssh(
      sb,
      "stat -c '%a %U %n' /etc/docker/daemon.json /etc/docker/docker-host/*.pem",
    );
    assert.deepEqual(
      modes.trim().split("\n").sort(),
      [
        "644 root /etc/docker/daemon.json",
        "644 root /etc/docker/docker-host/ca.pem",
        "644 root /etc/docker/docker-host/server.pem",
        "600 root /etc/docker/docker-host/server-key.pem",
      ].sort(),
    );
  });

  it("5c. no private key appears in the stack state or in anything the engine printed", async () => {
    secrets = await stackKeys(stack, ["sandbox"], [sb.privateKeyPath]);
    // The keys are the host's: the server key is the one on the host, the client key the one in the outputs.
    const serverKey = privatePart(ssh(sb, "cat /etc/docker/docker-host/server-key.pem"));
    assert.ok(serverKey.equals(secrets["sandbox's server key"] ?? Buffer.alloc(0)));
    // The check itself must be able to fail: the client key is in the decrypted outputs.
    assert.ok(
      containsSecret(JSON.stringify(outputs), secrets["sandbox's client key"] ?? Buffer.alloc(0)),
    );
    assertNoSecretLeaks(true);
  });

  it("6. a wrong pinned host key fails pulumi up, saying so, and changes nothing on the host", async () => {
    const before = ssh(sb, "sha256sum /etc/docker/daemon.json /etc/docker/docker-host/*.pem");
    const wrongKey = readFileSync(`${generateKey()}.pub`, "utf8")
      .trim()
      .split(" ")
      .slice(0, 2)
      .join(" ");
    await stack.setConfig("hostKey", { value: wrongKey });
    const start = Date.now();
    let message = "";
    await assert.rejects(
      timed("wrong host key pulumi up", () => stack.up({ color: "never", onOutput: record })),
      (e: Error) => {
        transcript.push(e.message);
        message = e.message;
        return true;
      },
    );
    const seconds = (Date.now() - start) / 1000;
    // The wait step gives up after its 32 dials with the plugin's own reason, not a bare deadline.
    assert.match(
      message,
      /after 32 failed attempts: ssh: handshake failed: ssh: host key mismatch/,
    );
    assert.ok(seconds < 180, `the wrong host key failed after ${seconds.toFixed(1)} s`);
    assert.equal(
      ssh(sb, "sha256sum /etc/docker/daemon.json /etc/docker/docker-host/*.pem"),
      before,
    );
    await stack.setConfig("hostKey", { value: sb.hostKey });
  });

  it("7. destroy with cleanupOnDelete removes our files and keys; Docker still runs on its socket", async () => {
    await stack.setConfig("cleanupOnDelete", { value: "true" });
    await up("cleanupOnDelete pulumi up");
    const result = await timed("pulumi destroy", () =>
      stack.destroy({ onOutput: record, color: "never" }),
    );
    assert.equal(result.summary.result, "succeeded");
    const exported = await stack.exportStack();
    const resources = (exported.deployment as { resources?: unknown[] }).resources ?? [];
    assert.deepEqual(resources, [], "the stack is empty");
    const leftovers = ssh(
      sb,
      "ls /etc/systemd/system/docker.service.d/50-docker-host.conf /etc/docker/docker-host 2>&1; cat /etc/docker/daemon.json 2>&1; true",
    );
    assert.match(leftovers, /No such file or directory[\s\S]*No such file or directory/);
    assert.doesNotMatch(leftovers, /tlsverify|"hosts"/);
    assert.match(ssh(sb, "docker version --format '{{.Server.Version}}'"), /^\d+\.\d+/);
    assertNoEnvWarnings(); // the destroy ran configure's delete (the cleanup) after it had printed output
    assertNoSecretLeaks(false); // now including the failed and the destroying runs' output
  });
});

/** A fresh ed25519 key pair; returns the private key's path. */
function generateKey(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "dh-key-")), "id");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file]);
  return file;
}
