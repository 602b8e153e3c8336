import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ExitCode } from "../../cli/errors";
import { hostsFromDeployment } from "../../cli/hosts";
import { Io, run } from "../../cli/program";
import { newCa, readPem, signLeaf } from "../helpers/openssl";
import {
  Children,
  deployment,
  dockerHostResources,
  HostFixture,
  secret,
} from "./helpers/checkpoint";
import { recordingClient, useFakeBin } from "./helpers/fakeBin";

// The CLI reads DockerHost's own public outputs and nothing else: the same commands on checkpoints whose child
// resources are renamed, absent or hold other values print exactly the same. The whole program runs (commander,
// the checkpoint reader, the bundle on disk, the live probe, the ssh client), only the stack comes from here.

describe("docker-host reads only DockerHost's outputs, never its children", function () {
  this.timeout(30000);
  const certsDir = mkdtempSync(path.join(tmpdir(), "dh-cli-outputs-"));
  const sshLog = path.join(mkdtempSync(path.join(tmpdir(), "dh-cli-ssh-log-")), "log");
  useFakeBin({ ssh: recordingClient(7) }, { DH_FAKE_LOG: sshLog });
  let closedPort = 0;
  // A real client bundle, so that ls dials the engine (and the client's end can be read from its PEM).
  const pki = newCa("test CA", 30);
  signLeaf(pki, "client", 200, "extendedKeyUsage=clientAuth\n");
  // The children's server certificate ends at another time than serverCertValidUntil says: reading it would show.
  signLeaf(pki, "server", 100, "extendedKeyUsage=serverAuth\n");
  const bundleOutputs = {
    caCert: readPem(pki, "ca.pem"),
    clientCert: readPem(pki, "client.pem"),
    clientKey: secret(readPem(pki, "client.key")),
  };

  before(async () => {
    // A port nothing listens on: ls finds the engines unreachable, so the recorded end dates fill its cells.
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closedPort = (server.address() as net.AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
  });

  /** A checkpoint with two DockerHosts, web and db, both with these children and outputs. */
  function checkpoint(children: Children, fixture: HostFixture = {}): unknown {
    const engine = { dockerHost: `tcp://127.0.0.1:${String(closedPort)}`, ...bundleOutputs };
    const host = (name: string) =>
      dockerHostResources(name, "127.0.0.1", {
        ...fixture,
        children,
        childPems: { server: readPem(pki, "server.pem"), client: readPem(pki, "client.pem") },
        outputs: { ...engine, ...fixture.outputs },
      });
    return deployment(host("web"), host("db"));
  }

  /** Runs one command line against the checkpoint, as `docker-host` would against a stack holding it. */
  async function cli(state: unknown, argv: string[]) {
    let stdout = "";
    let stderr = "";
    const io: Io = {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: { SHELL: "/bin/bash" },
      program: ["docker-host"],
      version: "0.1.0",
      readStack: () =>
        Promise.resolve({ project: "app", stack: "prod", hosts: hostsFromDeployment(state) }),
    };
    const code = await run(["--certs-dir", certsDir, ...argv], io);
    return { code, stdout, stderr };
  }

  /** Everything the commands print and write for one checkpoint. */
  async function results(state: unknown) {
    const bundle = () =>
      ["ca.pem", "cert.pem", "key.pem"].map((f) =>
        readFileSync(path.join(certsDir, "app", "prod", "web", f), "utf8"),
      );
    writeFileSync(sshLog, "");
    const ssh = await cli(state, ["ssh", "web", "--", "docker", "ps"]);
    return {
      ls: await cli(state, ["ls", "--timeout", "2"]),
      env: await cli(state, ["env", "web", "--no-proxy"]),
      bundle: bundle(),
      config: await cli(state, ["config", "db"]),
      ssh: {
        ...ssh,
        log: readFileSync(sshLog, "utf8").replace(/\/[^ \n]*docker-host-ssh-\w+/g, "TMP"),
      },
    };
  }

  it("children renamed, absent or holding other values: the same ls, env, config and ssh", async () => {
    const deployed = await results(checkpoint("deployed"));
    for (const children of ["renamed", "absent", "misleading"] as const)
      assert.deepEqual(await results(checkpoint(children)), deployed, `children ${children}`);

    // And what they print comes from the outputs (the misleading children hold other values).
    const dockerHost = `tcp://127.0.0.1:${String(closedPort)}`;
    assert.equal(deployed.env.code, ExitCode.Ok, deployed.env.stderr);
    assert.match(deployed.env.stdout, new RegExp(`^export DOCKER_HOST="${dockerHost}"$`, "m"));
    assert.match(deployed.env.stdout, /^export NO_PROXY="127\.0\.0\.1"$/m);
    assert.deepEqual(
      deployed.bundle,
      ["ca.pem", "client.pem", "client.key"].map((f) => readPem(pki, f)),
    );
    assert.match(deployed.config.stdout, new RegExp(`^-H=${dockerHost}\n$`, "m"));
    assert.equal(deployed.ls.code, ExitCode.Ok, deployed.ls.stderr);
    const [header, web, db] = deployed.ls.stdout.trimEnd().split("\n");
    assert.match(header ?? "", /^NAME\s+ADDRESS\s+DOCKER_HOST\s+STATE/);
    for (const row of [web, db]) {
      const cells = (row ?? "").split(/\s{2,}/);
      assert.deepEqual(cells.slice(1, 5), ["127.0.0.1", dockerHost, "Stopped", "Unknown"]);
      assert.deepEqual(cells.slice(7), [
        "-",
        `connect ECONNREFUSED 127.0.0.1:${String(closedPort)}`,
      ]);
      // The cells count days to the recorded serverCertValidUntil and clientCertValidUntil.
      const days = (iso: string) => Math.floor((Date.parse(iso) - Date.now()) / 86_400_000);
      assert.deepEqual(cells.slice(5, 7), [
        `${String(days("2027-12-06T10:00:00Z"))}d`,
        `${String(days("2027-12-07T10:00:00Z"))}d`,
      ]);
    }
    assert.equal(deployed.ssh.code, 7, "the remote command's exit code");
    assert.match(deployed.ssh.log, /^arg -p\narg 22\narg -l\narg root\n/m);
    assert.match(deployed.ssh.log, /^key SSH-web$/m);
    assert.match(deployed.ssh.log, /^known_hosts 127\.0\.0\.1 ssh-ed25519 AAAAweb$/m);
    assert.match(deployed.ssh.log, /arg --\narg 127\.0\.0\.1\narg docker\narg ps\n$/);
  });

  it("a stack an older DockerHost deployed: env works, ls says Unknown and to run pulumi up, ssh refuses", async () => {
    // Its children hold a connection and certificates; the CLI does not go back to reading them.
    const old = checkpoint("deployed", {
      without: ["sshPort", "sshHostKey", "serverCertValidUntil", "clientCertValidUntil"],
    });
    const env = await cli(old, ["env", "web"]);
    assert.equal(env.code, ExitCode.Ok, env.stderr);
    const ls = await cli(old, ["ls", "--timeout", "2"]);
    assert.equal(ls.code, ExitCode.Ok);
    // The server's end is unknown (the engine did not answer); the client's is read from clientCert.
    assert.match(
      ls.stdout,
      /^web\s.*\sStopped\s+Unknown\s+Unknown\s+199d\s+-\s+connect ECONNREFUSED/m,
    );
    assert.match(
      ls.stderr,
      /^warning: web: the server certificate's end is unknown \(no serverCertValidUntil in the stack: an older DockerHost deployed it\): run pulumi up to record it$/m,
    );
    assert.match(ls.stderr, /^warning: db: the server certificate's end is unknown/m);
    assert.doesNotMatch(ls.stderr, /client certificate/);
    writeFileSync(sshLog, "");
    const ssh = await cli(old, ["ssh", "web"]);
    assert.equal(ssh.code, ExitCode.Failure);
    assert.equal(
      ssh.stderr,
      "docker-host: the stack records no SSH login for DockerHost web (no sshPort, sshHostKey in the stack: an older DockerHost deployed it): run pulumi up\n",
    );
    assert.equal(readFileSync(sshLog, "utf8"), "", "ssh was not started");
  });
});
