import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { DockerHost, DockerHostArgs, EngineInstallMethod, TlsAlgorithm } from "../../components";
import { CLOUD_SOURCE_NAMES, SOURCE_NAMES } from "../../components/machines/registry";
import { fakeKey, installMocks, itRejectsBeforeAnyResource } from "./helpers/mocks";

const existing = {
  host: "203.0.113.10",
  privateKey: fakeKey("ssh"),
  hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyForTests",
};
const withEngine = (engine: DockerHostArgs["engine"]): DockerHostArgs => ({
  existing,
  ...(engine ? { engine } : {}),
});
const withTls = (tls: DockerHostArgs["tls"]): DockerHostArgs => ({
  existing,
  ...(tls ? { tls } : {}),
});
const unsafe = (value: unknown) => value as never; // what a YAML or Python caller can send

/** [case, args, the exact message after `DockerHost "<name>": `] */
const cases: [string, DockerHostArgs, string][] = [
  [
    "no machine source",
    {},
    `exactly one machine source is required: set one of ${SOURCE_NAMES.join(", ")} (got none)`,
  ],
  [
    "two machine sources",
    { existing, aws: {}, allowedCidrs: ["198.51.100.0/24"] },
    `exactly one machine source is required: set one of ${SOURCE_NAMES.join(", ")} (got existing and aws)`,
  ],
  [
    "allowedCidrs with an existing machine",
    { existing, allowedCidrs: ["198.51.100.0/24"] },
    `allowedCidrs is only used with a cloud machine source (${CLOUD_SOURCE_NAMES.join(", ")}): DockerHost does not manage the firewall of an existing machine`,
  ],
  [
    "empty host",
    { existing: { ...existing, host: "" } },
    'existing.host must be an IP address or DNS name, got ""',
  ],
  [
    "host with a space",
    { existing: { ...existing, host: "my host" } },
    'existing.host must be an IP address or DNS name, got "my host"',
  ],
  [
    "SSH port 0",
    { existing: { ...existing, port: 0 } },
    "existing.port must be an integer from 1 to 65535, got 0",
  ],
  [
    "SSH port 70000",
    { existing: { ...existing, port: 70000 } },
    "existing.port must be an integer from 1 to 65535, got 70000",
  ],
  [
    "SSH port 22.5",
    { existing: { ...existing, port: 22.5 } },
    "existing.port must be an integer from 1 to 65535, got 22.5",
  ],
  [
    "SSH port as text",
    { existing: { ...existing, port: unsafe("22") } },
    'existing.port must be an integer from 1 to 65535, got "22"',
  ],
  [
    "engine port 0",
    withEngine({ port: 0 }),
    "engine.port must be an integer from 1 to 65535, got 0",
  ],
  [
    "engine port 65536",
    withEngine({ port: 65536 }),
    "engine.port must be an integer from 1 to 65535, got 65536",
  ],
  [
    "engine port 22",
    withEngine({ port: 22 }),
    "engine.port must differ from the SSH port 22, got 22 (the usual engine port is 2376)",
  ],
  [
    "engine port = custom SSH port",
    { existing: { ...existing, port: 2222 }, engine: { port: 2222 } },
    "engine.port must differ from the SSH port 2222, got 2222 (the usual engine port is 2376)",
  ],
  [
    "daemonConfig hosts",
    withEngine({ daemonConfig: { hosts: ["tcp://0.0.0.0:2375"] } }),
    'engine.daemonConfig must not set "hosts": DockerHost owns "hosts" and the "tls*" keys (use engine.port and the tls inputs)',
  ],
  [
    "daemonConfig tlsverify",
    withEngine({ daemonConfig: { tlsverify: false } }),
    'engine.daemonConfig must not set "tlsverify": DockerHost owns "hosts" and the "tls*" keys (use engine.port and the tls inputs)',
  ],
  [
    "daemonConfig labels",
    withEngine({ daemonConfig: { labels: ["a=b"] } }),
    'engine.daemonConfig must not set "labels": use engine.labels',
  ],
  [
    "label key uppercase",
    withEngine({ labels: { Team: "web" } }),
    "engine.labels key \"Team\" is invalid: use lowercase letters, digits, '.' and '-', starting and ending with a letter or digit, outside com.docker., io.docker., org.dockerproject.",
  ],
  [
    "label key reserved",
    withEngine({ labels: { "com.docker.x": "1" } }),
    "engine.labels key \"com.docker.x\" is invalid: use lowercase letters, digits, '.' and '-', starting and ending with a letter or digit, outside com.docker., io.docker., org.dockerproject.",
  ],
  [
    "extraSans not a name",
    withTls({ extraSans: ["not a name!"] }),
    'tls.extraSans entries must be IP addresses or DNS names, got "not a name!"',
  ],
  [
    "validity = early renewal",
    withTls({ validityDays: 30, earlyRenewalDays: 30 }),
    "tls.validityDays (30) must be greater than tls.earlyRenewalDays (30)",
  ],
  [
    "validity < early renewal",
    withTls({ validityDays: 10, earlyRenewalDays: 30 }),
    "tls.validityDays (10) must be greater than tls.earlyRenewalDays (30)",
  ],
  [
    "validity 0",
    withTls({ validityDays: 0 }),
    "tls.validityDays must be a whole number of days from 1 to 36500, got 0",
  ],
  [
    "version not Docker's",
    withEngine({ version: "latest" }),
    'engine.version must be a Docker Engine version MAJOR.MINOR.PATCH such as "27.5.1", got "latest"',
  ],
  [
    "version with v",
    withEngine({ version: "v27.5.1" }),
    'engine.version must be a Docker Engine version MAJOR.MINOR.PATCH such as "27.5.1", got "v27.5.1"',
  ],
  [
    "version two parts",
    withEngine({ version: "27.5" }),
    'engine.version must be a Docker Engine version MAJOR.MINOR.PATCH such as "27.5.1", got "27.5"',
  ],
  [
    "script URL http",
    withEngine({
      installMethod: EngineInstallMethod.Script,
      installScriptUrl: "http://get.docker.com",
    }),
    'engine.installScriptUrl must be an https:// URL, got "http://get.docker.com" (the script runs as root)',
  ],
  [
    "script URL without Script",
    withEngine({ installScriptUrl: "https://get.docker.com" }),
    "engine.installScriptUrl is only used with engine.installMethod Script (got DockerRepo, the default)",
  ],
  [
    "only caCertPem",
    withTls({ caCertPem: "-----BEGIN CERTIFICATE-----" }),
    "tls.caCertPem and tls.caKeyPem go together: set both to bring your own CA, or neither for a CA per host (got only caCertPem)",
  ],
  [
    "only caKeyPem",
    withTls({ caKeyPem: fakeKey("ca") }),
    "tls.caCertPem and tls.caKeyPem go together: set both to bring your own CA, or neither for a CA per host (got only caKeyPem)",
  ],
  [
    "unknown install method",
    withEngine({ installMethod: unsafe("apt") }),
    'engine.installMethod must be one of DockerRepo, Distro, Script, Preinstalled, got "apt"',
  ],
  [
    "unknown TLS algorithm",
    withTls({ algorithm: unsafe("DSA") }),
    'tls.algorithm must be one of Ecdsa, Rsa, got "DSA"',
  ],
  [
    "bad host key",
    { existing: { ...existing, hostKey: "AAAA" } },
    'existing.hostKey must be a public key in authorized_keys form ("ssh-ed25519 AAAA..."), got "AAAA"',
  ],
  [
    "an RSA host key (the command provider cannot verify it against OpenSSH 8.8+)",
    { existing: { ...existing, hostKey: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQCtest host" } },
    "existing.hostKey is an RSA key (\"ssh-rsa ...\"), which cannot be pinned: the command provider checks RSA host keys only with ssh-rsa (SHA-1) signatures, which OpenSSH 8.8 and later refuse, so no step could connect. Pin the host's ED25519 key instead: the output of `ssh-keyscan -t ed25519 HOST` (ECDSA keys work too), checked against the host's console",
  ],
  [
    "a step bound under 30 s",
    { existing, timeouts: { install: 10 } },
    "timeouts.install must be a whole number of seconds from 30 to 86400 (24 hours), got 10",
  ],
  [
    "a step bound over a day",
    { existing, timeouts: { wait: 86401 } },
    "timeouts.wait must be a whole number of seconds from 30 to 86400 (24 hours), got 86401",
  ],
  [
    "a fractional step bound",
    { existing, timeouts: { configure: 90.5 } },
    "timeouts.configure must be a whole number of seconds from 30 to 86400 (24 hours), got 90.5",
  ],
  [
    "a step bound as text",
    { existing, timeouts: { configure: unsafe("600") } },
    'timeouts.configure must be a whole number of seconds from 30 to 86400 (24 hours), got "600"',
  ],
  [
    "a bound for a step that does not exist",
    { existing, timeouts: unsafe({ instal: 600 }) },
    "timeouts.instal is not a step: the steps are wait, install, configure",
  ],
  [
    "timeouts not an object",
    { existing, timeouts: unsafe(600) },
    "timeouts must be an object of seconds per step, e.g. { install: 3600 }, got 600",
  ],
  [
    "a step bound from an output (it sets Pulumi's customTimeouts too)",
    { existing, timeouts: { install: unsafe(pulumi.output(600)) } },
    "timeouts must be known when the program runs (they also set Pulumi's customTimeouts), got an Output: pass numbers of seconds, e.g. from stack configuration",
  ],
  [
    "private key not a key",
    { existing: { ...existing, privateKey: "hunter2" } },
    "existing.privateKey must be a PEM or OpenSSH private key (the value is not shown)",
  ],
  [
    "env name",
    withEngine({ env: { "HTTP-PROXY": "x" } }),
    "engine.env key \"HTTP-PROXY\" must be a variable name (letters, digits, '_', not starting with a digit)",
  ],
  [
    "mirror not a URL",
    withEngine({ registryMirrors: ["mirror.local"] }),
    'engine.registryMirrors entries must be http(s) URLs, got "mirror.local"',
  ],
];

describe("bad input is rejected before any resource is registered", () => {
  before(installMocks);

  itRejectsBeforeAnyResource(cases, (name, args) => new DockerHost(name, args), "bad");

  it("still passes a well-formed host (the cases above differ from it in one input each)", () => {
    assert.doesNotThrow(
      () =>
        new DockerHost("good", {
          existing,
          tls: { algorithm: TlsAlgorithm.Rsa },
          timeouts: { wait: 30, install: 86400 },
        }),
    );
  });

  /** Values only known at deployment time fail the deployment with the same message when they resolve. */
  const later: [string, (name: string) => DockerHostArgs, string][] = [
    [
      "host from an output",
      () => ({ existing: { ...existing, host: pulumi.output("") } }),
      'existing.host must be an IP address or DNS name, got ""',
    ],
    [
      "engine port from an output",
      () => withEngine({ port: pulumi.output(22) }),
      "engine.port must differ from the SSH port 22, got 22 (the usual engine port is 2376)",
    ],
    [
      "label from an output",
      () => withEngine({ labels: pulumi.output({ "Bad Key": "x" }) }),
      "engine.labels key \"Bad Key\" is invalid: use lowercase letters, digits, '.' and '-', starting and ending with a letter or digit, outside com.docker., io.docker., org.dockerproject.",
    ],
    [
      "secret private key",
      () => ({ existing: { ...existing, privateKey: pulumi.secret("nope") } }),
      "existing.privateKey must be a PEM or OpenSSH private key (the value is not shown)",
    ],
  ];
  later.forEach(([label, makeArgs, message], i) => {
    it(`at apply time: ${label}`, async () => {
      const name = `later${i}`;
      const host = new DockerHost(name, makeArgs(name));
      const outcome = (host.dockerHost as unknown as { promise(): Promise<string> }).promise();
      // The SDK wraps the error in "error serializing property ..." of the resource that consumed the input.
      const expected = `DockerHost "${name}": ${message}`;
      await assert.rejects(outcome, (e: Error) => e.message.endsWith(expected));
    });
  });
});
