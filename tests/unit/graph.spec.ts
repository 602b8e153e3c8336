import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { DockerHost, DockerHostArgs, EngineInstallMethod } from "../../components";
import {
  fakeKey,
  installMocks,
  isSecretValue,
  registeredUnder,
  registeredUrns,
  settle,
  unwrapSecret,
  valueOf,
} from "./helpers/mocks";

const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyForTests";

function hostArgs(
  overrides: { labels?: Record<string, string>; version?: string; host?: string } = {},
): DockerHostArgs & { existing: NonNullable<DockerHostArgs["existing"]> } {
  return {
    existing: {
      host: overrides.host ?? "203.0.113.10",
      privateKey: fakeKey("ssh"),
      hostKey: HOST_KEY,
    },
    engine: {
      installMethod: EngineInstallMethod.Distro,
      labels: overrides.labels ?? { team: "web" },
      ...(overrides.version !== undefined ? { version: overrides.version } : {}),
    },
    tls: { extraSans: ["docker.example.com", "198.51.100.7"] },
  };
}

async function deploy(name: string, args = hostArgs()) {
  const host = new DockerHost(name, args);
  await valueOf(host.dockerHost);
  await settle();
  const { mine, byName } = registeredUnder(name);
  return { host, mine, byName };
}

describe("DockerHost resource graph (mocks)", () => {
  before(installMocks);

  it("registers the component, the certificates and exactly three remote steps, all under the component", async () => {
    const { mine } = await deploy("graph");
    const names = mine.map((r) => `${r.type} ${r.name}`).sort();
    assert.deepEqual(names, [
      "command:remote:Command graph-configure",
      "command:remote:Command graph-install",
      "command:remote:Command graph-wait",
      "docker-host:index:DockerHost graph",
      "tls:index/certRequest:CertRequest graph-client-csr",
      "tls:index/certRequest:CertRequest graph-server-csr",
      "tls:index/locallySignedCert:LocallySignedCert graph-client-cert",
      "tls:index/locallySignedCert:LocallySignedCert graph-server-cert",
      "tls:index/privateKey:PrivateKey graph-ca-key",
      "tls:index/privateKey:PrivateKey graph-client-key",
      "tls:index/privateKey:PrivateKey graph-server-key",
      "tls:index/selfSignedCert:SelfSignedCert graph-ca",
    ]);
    const children = registeredUrns().filter((u) => !u.endsWith("::graph") && /::graph-/.test(u));
    assert.equal(children.length, 11);
    for (const urn of children) {
      assert.match(urn, /::docker-host:index:DockerHost\$/, `${urn} is parented by the DockerHost`);
    }
    assert.equal(new Set(registeredUrns()).size, registeredUrns().length, "URNs are unique");
  });

  it("outputs DOCKER_HOST, the engine version and the client bundle, with private keys secret", async () => {
    const { host } = await deploy("outputs");
    assert.equal(await valueOf(host.dockerHost), "tcp://203.0.113.10:2376");
    assert.equal(await valueOf(host.address), "203.0.113.10");
    assert.deepEqual(await valueOf(host.env), {
      DOCKER_HOST: "tcp://203.0.113.10:2376",
      DOCKER_TLS_VERIFY: "1",
    });
    assert.equal(await valueOf(host.engineVersion), "27.5.1");
    assert.equal(await valueOf(host.sshUser), "root");
    assert.match(await valueOf(host.caCert), /BEGIN CERTIFICATE/);
    assert.equal(await valueOf(host.clientKey), fakeKey("outputs-client-key"));
    assert.equal(await pulumi.isSecret(host.clientKey), true);
    assert.equal(await pulumi.isSecret(host.sshPrivateKey), true);
    assert.equal(await pulumi.isSecret(host.caCert), false);
    // The login name is no secret: `docker-host inspect` shows it, the key stays [secret].
    assert.equal(await pulumi.isSecret(host.sshUser), false);
    assert.equal(await pulumi.isSecret(host.source), false);
  });

  it("brackets IPv6 addresses in DOCKER_HOST", async () => {
    const { host } = await deploy("ipv6", hostArgs({ host: "2001:db8::10" }));
    assert.equal(await valueOf(host.dockerHost), "tcp://[2001:db8::10]:2376");
  });

  it("asks for server SANs covering the address, localhost, 127.0.0.1 and extraSans; usages snake_case", async () => {
    const { byName } = await deploy("sans");
    const csr = byName("server-csr").inputs;
    assert.deepEqual(csr.ipAddresses, ["127.0.0.1", "198.51.100.7", "203.0.113.10"]);
    assert.deepEqual(csr.dnsNames, ["docker.example.com", "localhost"]);
    assert.deepEqual(byName("server-cert").inputs.allowedUses, [
      "digital_signature",
      "key_encipherment",
      "server_auth",
    ]);
    assert.deepEqual(byName("client-cert").inputs.allowedUses, [
      "digital_signature",
      "key_encipherment",
      "client_auth",
    ]);
    assert.equal(byName("ca").inputs.isCaCertificate, true);
    assert.equal(byName("server-cert").inputs.validityPeriodHours, 365 * 24);
    assert.equal(byName("server-key").inputs.algorithm, "ECDSA");
  });

  it("keeps every private key out of command text and environment; secrets go through secret stdin", async () => {
    const { mine, byName } = await deploy("leaks");
    for (const r of mine.filter((x) => x.type === "command:remote:Command")) {
      const { connection, stdin, ...rest } = r.inputs;
      assert.ok(isSecretValue(connection), `${r.name} connection is secret`);
      assert.doesNotMatch(
        JSON.stringify(rest),
        /SECRET-BODY|PRIVATE KEY/,
        `${r.name} command text holds no key`,
      );
      // Every step's stdin starts with its script; only the configure step's carries keys, and is secret.
      if (isSecretValue(stdin)) continue;
      assert.doesNotMatch(String(stdin), /SECRET-BODY|PRIVATE KEY/, `${r.name} stdin holds no key`);
    }
    const configureInput = byName("configure").inputs.stdin;
    assert.ok(isSecretValue(configureInput), "the configure step's stdin is secret");
    const stdin = String(unwrapSecret(configureInput));
    const scriptBytes = Number(stdin.slice(0, stdin.indexOf("\n")));
    const lines = stdin
      .slice(stdin.indexOf("\n") + 1 + scriptBytes)
      .trim()
      .split("\n")
      .map((l) => Buffer.from(l, "base64").toString());
    assert.deepEqual(lines, [fakeKey("leaks-server-key"), fakeKey("leaks-client-key")]);
    const connection = unwrapSecret(byName("wait").inputs.connection) as Record<string, unknown>;
    assert.equal(connection.hostKey, HOST_KEY);
    assert.equal(
      connection.dialErrorLimit,
      32,
      "the wait step keeps dialling an existing host for about two minutes",
    );
  });

  it("shows the rendered daemon.json and the certificate serial in the configure step's text", async () => {
    const { byName } = await deploy("readable");
    const create = String(byName("configure").inputs.create);
    assert.match(create, /"labels": \[\n\s+"team=web"\n\s+\]/);
    assert.match(create, /"tcp:\/\/0\.0\.0\.0:2376"/);
    assert.match(create, /#\s+server certificate serial [0-9A-F]+/);
  });

  it("re-runs only configure for a label change, and install then configure for a version change", async () => {
    const commands = async (name: string, args: ReturnType<typeof hostArgs>) => {
      const { byName } = await deploy(name, args);
      return ["wait", "install", "configure"].map((s) => String(byName(s).inputs.create));
    };
    const base = await commands("rerun-base", hostArgs());
    const label = await commands("rerun-label", hostArgs({ labels: { team: "ops" } }));
    const version = await commands("rerun-version", hostArgs({ version: "27.5.1" }));
    assert.deepEqual(
      [label[0] === base[0], label[1] === base[1], label[2] === base[2]],
      [true, true, false],
    );
    assert.deepEqual(
      [version[0] === base[0], version[1] === base[1], version[2] === base[2]],
      [true, false, false],
    );
  });

  it("runs the cleanup script on delete only when cleanupOnDelete is true", async () => {
    const off = (await deploy("keep")).byName("configure").inputs.delete;
    const args = hostArgs();
    const on = (
      await deploy("clean", { ...args, existing: { ...args.existing, cleanupOnDelete: true } })
    ).byName("configure").inputs.delete;
    assert.equal(off, undefined);
    assert.match(String(on), /# docker-host cleanup/);
  });
});
