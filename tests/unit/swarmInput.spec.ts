import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { DockerSwarm, DockerSwarmArgs, SwarmNodeArgs } from "../../components";
import { quorumWarning } from "../../components/swarm/plan";
import { fakeKey, installMocks, registeredUnder, settle } from "./helpers/mocks";

const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyForTests";
const node = (name: string, address = "10.0.0.1"): SwarmNodeArgs => ({
  name,
  dockerHost: `tcp://${address}:2376`,
  address,
  sshUser: "root",
  sshPrivateKey: fakeKey("ssh"),
  sshHostKey: HOST_KEY,
});
const a = node("a", "10.0.0.1");
const b = node("b", "10.0.0.2");
const unsafe = (value: unknown) => value as never; // what a YAML or Python caller can send

/** [case, args, the exact message after `DockerSwarm "<name>": `] */
const cases: [string, DockerSwarmArgs, string][] = [
  [
    "no managers",
    { managers: [], workers: [a] },
    "managers must list at least one host: the first initialises the swarm",
  ],
  [
    "managers missing",
    unsafe({ workers: [a] }),
    "managers must be a list of hosts known when the program runs",
  ],
  [
    "managers from an output",
    { managers: unsafe(pulumi.output([a])) },
    "managers must be a list of hosts known when the program runs",
  ],
  [
    "a host listed twice in managers",
    { managers: [a, b, a] },
    'host "a" is listed twice in managers (managers[0] and managers[2]): list each host once, in the list of its role',
  ],
  [
    "a host listed twice in workers",
    { managers: [a], workers: [b, b] },
    'host "b" is listed twice in workers (workers[0] and workers[1]): list each host once, in the list of its role',
  ],
  [
    "a host in both lists",
    { managers: [a], workers: [b, a] },
    'host "a" is listed in both managers and workers (managers[0] and workers[1]): list each host once, in the list of its role',
  ],
  [
    "a host without a name",
    { managers: [{ ...a, name: undefined }] },
    "managers[0].name is required for a host that is not a DockerHost",
  ],
  [
    "a name that cannot be a resource suffix",
    { managers: [node("web 1")] },
    "managers[0].name must be 1 to 63 letters, digits, '.', '_' or '-' (starting with a letter or digit), got \"web 1\"",
  ],
  [
    "a host without an SSH user",
    { managers: [a], workers: [{ ...b, sshUser: unsafe(undefined) }] },
    "workers[0].sshUser is required (a DockerHost's output of that name)",
  ],
  [
    "a host that is not an object",
    { managers: [unsafe("10.0.0.1")] },
    'managers[0] must be a DockerHost or an object with its outputs, got "10.0.0.1"',
  ],
  [
    "labels for a host that is not in the swarm",
    { managers: [a], labels: { c: { zone: "x" } } },
    'labels names "c", which is not a host of this swarm (hosts: a)',
  ],
  [
    "an advertise address for a host that is not in the swarm",
    { managers: [a], workers: [b], advertiseAddress: { z: "eth1" } },
    'advertiseAddress names "z", which is not a host of this swarm (hosts: a, b)',
  ],
  [
    "a reserved label key",
    { managers: [a], labels: { a: { "docker-host.swarm": "x" } } },
    "labels.a key \"docker-host.swarm\" is invalid: use letters, digits, '.', '_', '/' and '-', starting with a letter or digit, outside docker-host. (DockerSwarm's own labels)",
  ],
  [
    "a label value on two lines",
    { managers: [a], labels: { a: { zone: "x\ny" } } },
    'labels.a.zone must be a string on one line, got "x\\ny"',
  ],
  [
    "an advertise address with a space",
    { managers: [a], advertiseAddress: { a: "10.0.0.1 eth0" } },
    'advertiseAddress.a must be an IP address, an interface name or a DNS name, got "10.0.0.1 eth0"',
  ],
  [
    "SSH port 0",
    { managers: [{ ...a, sshPort: 0 }] },
    "managers[0].sshPort must be an integer from 1 to 65535, got 0",
  ],
  [
    "a host key that is not a public key",
    { managers: [{ ...a, sshHostKey: "AAAA" }] },
    'managers[0].sshHostKey must be a public key in authorized_keys form ("ssh-ed25519 AAAA..."), got "AAAA"',
  ],
  [
    "an RSA host key",
    { managers: [{ ...a, sshHostKey: " ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQCtest\n" }] },
    "managers[0].sshHostKey is an RSA key (\"ssh-rsa ...\"), which cannot be pinned: the command provider checks RSA host keys only with ssh-rsa (SHA-1) signatures, which OpenSSH 8.8 and later refuse, so no step could connect. Pin the host's ED25519 key instead: the output of `ssh-keyscan -t ed25519 HOST` (ECDSA keys work too), checked against the host's console",
  ],
];

describe("DockerSwarm: bad input is rejected before any resource is registered", () => {
  before(installMocks);

  cases.forEach(([label, args, message], i) => {
    it(label, async () => {
      const name = `swbad${String(i)}`;
      assert.throws(() => new DockerSwarm(name, args), {
        message: `DockerSwarm "${name}": ${message}`,
      });
      await settle();
      assert.deepEqual(registeredUnder(name).mine, []);
    });
  });

  it("still passes a well-formed swarm (the cases above differ from it in one input each)", () => {
    assert.doesNotThrow(
      () =>
        new DockerSwarm("swgood", {
          managers: [a],
          workers: [b],
          labels: { b: { zone: "x" } },
          advertiseAddress: { a: "eth1" },
        }),
    );
  });

  /** Values only known at deployment time fail the deployment with the same message when they resolve. */
  const later: [string, DockerSwarmArgs, string][] = [
    [
      "advertise address from an output",
      { managers: [a], advertiseAddress: { a: pulumi.output("") } },
      'advertiseAddress.a must be an IP address, an interface name or a DNS name, got ""',
    ],
    [
      "secret private key that is not a key",
      { managers: [{ ...a, sshPrivateKey: pulumi.secret("nope") }] },
      "managers[0].sshPrivateKey must be a PEM or OpenSSH private key (the value is not shown)",
    ],
  ];
  later.forEach(([label, args, message], i) => {
    it(`at apply time: ${label}`, async () => {
      const name = `swlater${String(i)}`;
      const swarm = new DockerSwarm(name, args);
      const outcome = (swarm.nodes as unknown as { promise(): Promise<unknown> }).promise();
      const expected = `DockerSwarm "${name}": ${message}`;
      await assert.rejects(outcome, (e: Error) => e.message.endsWith(expected));
    });
  });

  it("explains the quorum of an even number of managers, and stays quiet for odd numbers", () => {
    assert.equal(quorumWarning(1), undefined);
    assert.equal(quorumWarning(3), undefined);
    assert.equal(
      quorumWarning(2),
      "2 managers: Raft needs a majority of them, so 2 tolerate the loss of 0 managers, no more than 1 would; use an odd number (3 tolerate 1, 5 tolerate 2)",
    );
    assert.match(
      quorumWarning(4) ?? "",
      /^4 managers: .* 4 tolerate the loss of 1 manager, no more than 3 would/,
    );
  });
});
