import * as assert from "node:assert/strict";
import { DockerHost, EngineInstallMethod, TlsAlgorithm } from "../../components";
import { wholeSeconds } from "../../components/pki";
import { fakeKey, installMocks, registered, valueOf } from "./helpers/mocks";

// The contract from the core issue, as written there (with values filled in): it must type-check (the lint
// step runs tsc over tests) and run.
describe("the public contract compiles and runs as written", () => {
  before(installMocks);

  it("builds a DockerHost from every documented input and exposes every documented output", async () => {
    const sshKeyPem = fakeKey("contract-ssh");
    const host = new DockerHost("web", {
      existing: {
        host: "203.0.113.10",
        port: 22,
        user: "root",
        privateKey: sshKeyPem,
        hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIContractHostKey",
        cleanupOnDelete: false,
      },
      engine: {
        installMethod: EngineInstallMethod.DockerRepo,
        version: "27.5.1",
        port: 2376,
        labels: { team: "web" },
        registryMirrors: [],
        insecureRegistries: [],
        storageDriver: undefined,
        logDriver: "local",
        logOpts: {},
        liveRestore: true,
        daemonConfig: {},
        env: {},
      },
      tls: {
        algorithm: TlsAlgorithm.Ecdsa,
        validityDays: 365,
        earlyRenewalDays: 30,
        rotation: "2026-11",
        extraSans: ["docker.example.com"],
        caCertPem: undefined,
        caKeyPem: undefined,
      },
    });
    const outputs = {
      dockerHost: await valueOf(host.dockerHost),
      address: await valueOf(host.address),
      caCert: await valueOf(host.caCert),
      clientCert: await valueOf(host.clientCert),
      clientKey: await valueOf(host.clientKey),
      sshUser: await valueOf(host.sshUser),
      sshPrivateKey: await valueOf(host.sshPrivateKey),
      engineVersion: await valueOf(host.engineVersion),
      env: await valueOf(host.env),
      serverCertValidUntil: await valueOf(host.serverCertValidUntil),
      clientCertValidUntil: await valueOf(host.clientCertValidUntil),
    };
    assert.equal(outputs.dockerHost, "tcp://203.0.113.10:2376");
    assert.equal(outputs.address, "203.0.113.10");
    assert.equal(outputs.sshPrivateKey, sshKeyPem);
    assert.equal(outputs.engineVersion, "27.5.1");
    assert.deepEqual(outputs.env, {
      DOCKER_HOST: "tcp://203.0.113.10:2376",
      DOCKER_TLS_VERIFY: "1",
    });
    // The certificates' validityEndTime (the mocks issue them for 365 days from now), in whole seconds as the
    // certificates hold it.
    for (const end of [outputs.serverCertValidUntil, outputs.clientCertValidUntil]) {
      assert.match(end, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const days = (Date.parse(end) - Date.now()) / 86_400_000;
      assert.ok(days > 364 && days <= 365, `a year away: ${end}`);
    }
    const install = registered.find((r) => r.name === "web-install");
    assert.match(
      String(install?.inputs.create),
      /DH_INSTALL_METHOD=DockerRepo\nDH_ENGINE_VERSION=27\.5\.1/,
    );
  });
});

describe("certificate end times", () => {
  it("drop the fraction of a second the tls provider records, keeping the zone", () => {
    assert.equal(wholeSeconds("2027-12-06T02:37:06.973146181Z"), "2027-12-06T02:37:06Z");
    assert.equal(wholeSeconds("2027-12-06T02:37:06.5+02:00"), "2027-12-06T02:37:06+02:00");
    assert.equal(wholeSeconds("2027-12-06T02:37:06Z"), "2027-12-06T02:37:06Z");
    assert.equal(wholeSeconds(""), "");
  });
});
