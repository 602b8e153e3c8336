import { Stack } from "@pulumi/pulumi/automation";
import * as assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { stateOutput } from "./helpers/certs";
import { cliRunner, sandboxHostStack, teardown, upOk } from "./helpers/cli";
import { Bundle, busyboxTarball, docker, probe, writeBundle } from "./helpers/docker";
import { REPO, Sandbox, ssh } from "./helpers/sandbox";
import { assertNoLeaks, privatePart, stackKeys } from "./helpers/secrets";
import { timed } from "./helpers/stack";

// Named client identities (tls.clients) on a real host: the real engine and plugins, the real docker CLI over
// mutual TLS with the bundles `docker-host env --client NAME` writes. Removing a name must make dockerd refuse
// that certificate while the others keep working and a running container keeps its process (live-restore
// across the restart that applies the new CA bundle); adding it back must issue a new certificate, the old one
// staying refused.
describe("named client identities on a sandbox host (end to end)", function () {
  const sandboxName = `dhid${String(process.pid % 1000)}`;
  const HOST = "team";
  const PROJECT_DIR = path.join(REPO, "examples", "existing-host");
  let sb: Sandbox;
  let stack: Stack;
  let dockerHost = "";
  let engineVersion = "";
  let aliceOld: Bundle;
  let keeper = "";
  const { certsDir, cli, ok } = cliRunner(() => stack, PROJECT_DIR);
  const transcript: string[] = [];
  const record = (s: string) => {
    transcript.push(s);
    process.stdout.write(s);
  };

  /** The bundle `docker-host env --client NAME` writes, copied (the next call rewrites the directory). */
  const bundleOf = (client: string): Bundle => {
    ok(["env", HOST, "--client", client]);
    const dir = path.join(certsDir, "existing-host", "identities", HOST, "clients", client);
    const file = (f: string) => readFileSync(path.join(dir, f), "utf8");
    return writeBundle(file("ca.pem"), file("cert.pem"), file("key.pem"));
  };
  const version = (b: Bundle) =>
    docker(dockerHost, b, ["version", "--format", "{{.Server.Version}}"]);
  const refused = async (b: Bundle) => {
    const answer = await probe(sb.host, 2376, b.ca, { cert: b.cert, key: b.key });
    assert.equal(answer.status, undefined, `the engine answered ${JSON.stringify(answer)}`);
    assert.throws(() => version(b), "the docker CLI is refused too");
  };
  const setClients = (clients: Record<string, object>) =>
    stack.setConfig("clients", { value: JSON.stringify(clients) });
  const trustedCas = () =>
    Number(ssh(sb, "grep -c 'BEGIN CERTIFICATE' /etc/docker/docker-host/ca.pem").trim());
  const keeperProcess = () =>
    docker(dockerHost, bundleOf("ci"), [
      "inspect",
      "-f",
      "{{.State.Running}} {{.State.Pid}} {{.State.StartedAt}}",
      "keeper",
    ]);
  const dockerdPid = () => ssh(sb, "systemctl show -p MainPID --value docker.service").trim();

  before(async function () {
    ({ sb, stack } = await sandboxHostStack(sandboxName, "identities", HOST, {
      clients: { value: JSON.stringify({ alice: {}, ci: {} }) },
    }));
  });

  after(async function () {
    await teardown(stack, sandboxName);
  });

  it("1. two identities both work, each certificate under a CA of its own; ls shows their days", async () => {
    await upOk(stack, "pulumi up (two identities)", record);
    const outputs = await stack.outputs();
    dockerHost = String(outputs.dockerHost?.value);
    engineVersion = String(outputs.engineVersion?.value);
    aliceOld = bundleOf("alice");
    const ci = bundleOf("ci");
    assert.equal(version(aliceOld), engineVersion);
    assert.equal(version(ci), engineVersion);
    const [a, c] = [aliceOld, ci].map((b) => new X509Certificate(b.cert));
    assert.match(a?.subject ?? "", /CN=alice/);
    assert.match(c?.subject ?? "", /CN=ci/);
    assert.notEqual(a?.issuer, c?.issuer, "a CA each");
    assert.equal(trustedCas(), 3, "dockerd trusts the host's CA and the two identities' CAs");
    const row = ok(["ls"]).trimEnd().split("\n")[1] ?? "";
    assert.match(row, /\s364d\s+alice 364d, ci 364d$/);
    docker(dockerHost, ci, ["import", "-", "busybox:e2e"], busyboxTarball());
    docker(dockerHost, ci, [
      "run",
      "-d",
      "--name",
      "keeper",
      "busybox:e2e",
      "/bin/sleep",
      "100000",
    ]);
    keeper = keeperProcess();
    assert.match(keeper, /^true \d+ /);
  });

  it("2. removing alice: her certificate is refused, ci's accepted, the container keeps its process", async () => {
    await setClients({ ci: {} });
    const preview = await timed("preview (alice removed)", () =>
      stack.preview({ diff: true, color: "never", onOutput: record }),
    );
    // Alice's CA, key, request and certificate go; only the configure step (and the component) change.
    assert.deepEqual(preview.changeSummary, { same: 16, update: 2, delete: 5 }, preview.stdout);
    assert.match(
      preview.stdout,
      /client identity alice CA certificate serial/,
      "the diff names who loses access",
    );
    const before = dockerdPid();
    await upOk(stack, "pulumi up (alice removed)", record);
    const after = dockerdPid();
    // The evidence, in the log: dockerd's PID changed, the container's PID and start time did not.
    console.log(
      `      dockerd ${before} -> ${after}; keeper (running pid started) ${keeper} -> ${keeperProcess()}`,
    );
    assert.notEqual(after, before, "dockerd restarted to load the new CA bundle");
    await refused(aliceOld);
    assert.equal(version(bundleOf("ci")), engineVersion);
    assert.equal(trustedCas(), 2);
    assert.equal(keeperProcess(), keeper, "same process, same start: live-restore kept it");
    const gone = cli(["env", HOST, "--client", "alice"]);
    assert.equal(gone.code, 4);
    assert.equal(
      gone.stderr,
      `docker-host: DockerHost ${HOST} has no client identity alice (it has: ci)\n`,
    );
  });

  it("3. adding alice back: a new certificate works, the old one stays refused", async () => {
    await setClients({ alice: {}, ci: {} });
    await upOk(stack, "pulumi up (alice back)", record);
    const aliceNew = bundleOf("alice");
    assert.notEqual(aliceNew.cert, aliceOld.cert);
    assert.equal(version(aliceNew), engineVersion);
    await refused(aliceOld);
    assert.equal(version(bundleOf("ci")), engineVersion);
    assert.equal(keeperProcess(), keeper);
  });

  it("4. no identity's private key is in the stored state or in anything printed", async () => {
    const keys = await stackKeys(stack, [HOST], [sb.privateKeyPath]);
    for (const id of ["alice", "ci"]) {
      const pem = await stateOutput(stack, `${HOST}-identity-${id}-key`, "privateKeyPem");
      keys[`${id}'s key`] = privatePart(pem);
      keys[`${id}'s CA key`] = privatePart(
        await stateOutput(stack, `${HOST}-identity-${id}-ca-key`, "privateKeyPem"),
      );
    }
    keys["alice's old key"] = privatePart(aliceOld.key);
    assertNoLeaks(stack, keys, transcript.join("\n"), true);
  });
});
