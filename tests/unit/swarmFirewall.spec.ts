import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import {
  DockerHost,
  DockerSwarm,
  DockerSwarmArgs,
  EngineInstallMethod,
  FirewallKind,
  SwarmNodeArgs,
} from "../../components";
import { azurePriority } from "../../components/machines/azure/swarm";
import { SWARM_PORTS } from "../../components/machines/swarmPorts";
import { installCloudMocks, seenOptions } from "./helpers/cloud";
import { dataNode, HOST_KEY } from "./helpers/swarmNodes";
import { fakeKey, Registered, registeredUnder, settle, stepStdout, valueOf } from "./helpers/mocks";

const unsafe = (value: unknown) => value as never; // what a YAML or Python caller can send

/** A host given as data with its public address derived from its private one, and a cloud firewall as data. */
const cloudNode = (name: string, privateIp: string, firewall?: SwarmNodeArgs["firewall"]) =>
  dataNode(name, `203.0.113.${privateIp.split(".").pop() ?? "1"}`, privateIp, firewall);
const awsFw = (sg: string) => ({
  kind: FirewallKind.Aws,
  securityGroupId: sg,
  region: "eu-west-1",
});
const doFw = (id: string) => ({ kind: FirewallKind.DigitalOcean, dropletId: id });
const azFw = (nsg: string) => ({
  kind: FirewallKind.Azure,
  resourceGroupName: `${nsg}-rg`,
  networkSecurityGroupName: nsg,
});

const AWS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const DO_FIREWALL = "digitalocean:index/firewall:Firewall";
const AZ_RULE = "azure-native:network:SecurityRule";
const RULE_TYPES = [AWS_RULE, DO_FIREWALL, AZ_RULE];

async function deploySwarm(name: string, args: DockerSwarmArgs) {
  const swarm = new DockerSwarm(name, args);
  await valueOf(swarm.nodes);
  await settle();
  const { mine, byName } = registeredUnder(name);
  const rules = mine.filter((r) => RULE_TYPES.includes(r.type));
  const dependencies = (suffix: string) => {
    const seen = seenOptions.get(`${name}-${suffix}`);
    assert.ok(seen, `options of ${name}-${suffix} were seen`);
    return seen.dependencies.map((urn) => urn.slice(urn.lastIndexOf("::") + 2)).sort();
  };
  return { swarm, mine, byName, rules, dependencies };
}

/** An AWS rule as `PORT/PROTO from CIDR into SG`. */
const awsRule = (r: Registered) =>
  `${String(r.inputs.fromPort)}/${String(r.inputs.ipProtocol)} from ${String(r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6)} into ${String(r.inputs.securityGroupId)}`;

/** Nothing the swarm adds admits a whole address family or a range wider than one address. */
function assertSingleAddresses(rules: Registered[]): void {
  const text = JSON.stringify(rules.map((r) => r.inputs));
  for (const world of ["0.0.0.0/0", "::/0", "Internet"]) {
    assert.ok(!text.includes(world), `no rule admits ${world}`);
  }
  const sources = rules.flatMap((r) => {
    const i = r.inputs;
    if (r.type === AWS_RULE) return [String(i.cidrIpv4 ?? i.cidrIpv6)];
    if (r.type === DO_FIREWALL)
      return (i.inboundRules as { sourceAddresses: string[] }[]).flatMap((x) => x.sourceAddresses);
    return i.sourceAddressPrefixes as string[];
  });
  assert.ok(sources.length > 0);
  for (const s of sources) assert.match(s, /\/(32|128)$/, `${s} is one address`);
}

describe("DockerSwarm: the swarm ports in the members' cloud firewalls (mocks)", () => {
  before(async () => {
    await installCloudMocks();
    stepStdout.join =
      "cluster-id: c\nnode-id: n\nmanager-address: 10.0.0.1:2377\nworker-token: SWMTKN-1-x-w\nmanager-token: SWMTKN-1-x-m";
  });

  it("aws: one ingress rule per port and other member, from its advertise address /32, children of the swarm", async () => {
    const d = await deploySwarm("fwaws", {
      managers: [cloudNode("a", "172.31.0.1", awsFw("sg-a"))],
      workers: [cloudNode("b", "172.31.0.2", awsFw("sg-b")), cloudNode("c", "172.31.0.3")],
    });
    assert.deepEqual(
      d.rules.map(awsRule).sort(),
      [
        "2377/tcp from 172.31.0.2/32 into sg-a",
        "2377/tcp from 172.31.0.3/32 into sg-a",
        "2377/tcp from 172.31.0.1/32 into sg-b",
        "2377/tcp from 172.31.0.3/32 into sg-b",
        "4789/udp from 172.31.0.2/32 into sg-a",
        "4789/udp from 172.31.0.3/32 into sg-a",
        "4789/udp from 172.31.0.1/32 into sg-b",
        "4789/udp from 172.31.0.3/32 into sg-b",
        "7946/tcp from 172.31.0.2/32 into sg-a",
        "7946/tcp from 172.31.0.3/32 into sg-a",
        "7946/tcp from 172.31.0.1/32 into sg-b",
        "7946/tcp from 172.31.0.3/32 into sg-b",
        "7946/udp from 172.31.0.2/32 into sg-a",
        "7946/udp from 172.31.0.3/32 into sg-a",
        "7946/udp from 172.31.0.1/32 into sg-b",
        "7946/udp from 172.31.0.3/32 into sg-b",
      ].sort(),
    );
    for (const r of d.rules) {
      assert.equal(r.inputs.fromPort, r.inputs.toPort, "one port, not a range");
      assert.equal(r.inputs.region, "eu-west-1");
      assert.equal(r.inputs.cidrIpv6, undefined);
    }
    const rule = d.byName("a-from-b-2377-tcp").inputs;
    assert.equal(
      rule.description,
      "DockerSwarm project/stack/fwaws: cluster management (2377/tcp) from host b",
    );
    assertSingleAddresses(d.rules);
    for (const r of d.rules) {
      assert.match(seenOptions.get(r.name)?.urn ?? "", /::docker-host:index:DockerSwarm\$aws:vpc/);
    }
    // c has no firewall: nothing on it, but it is admitted on the others.
    assert.ok(!d.rules.some((r) => r.name.startsWith("fwaws-c-")));
    // Each join waits for the rules that concern its host (on it, or admitting it).
    const ports = SWARM_PORTS.map((p) => `${String(p.port)}-${p.protocol}`).sort();
    const rulesOf = (target: string, source: string) =>
      ports.map((p) => `fwaws-${target}-from-${source}-${p}`);
    assert.deepEqual(
      d.dependencies("c-join"),
      ["fwaws-a-join", "fwaws-c-remove", ...rulesOf("a", "c"), ...rulesOf("b", "c")].sort(),
    );
    assert.deepEqual(
      d.dependencies("a-join"),
      ["fwaws-a-remove", ...rulesOf("a", "b"), ...rulesOf("a", "c"), ...rulesOf("b", "a")].sort(),
    );
  });

  it("aws: an IPv6 advertise address becomes cidrIpv6 /128", async () => {
    const d = await deploySwarm("fwaws6", {
      managers: [cloudNode("a", "172.31.0.1", awsFw("sg-a"))],
      workers: [cloudNode("b", "172.31.0.2")],
      advertiseAddress: { b: "2001:db8::2" },
    });
    const rule = d.byName("a-from-b-4789-udp").inputs;
    assert.deepEqual([rule.cidrIpv4, rule.cidrIpv6], [undefined, "2001:db8::2/128"]);
  });

  it("digitalocean: a firewall of the swarm's per member, naming its Droplet, the ports from the other members", async () => {
    const d = await deploySwarm("fwdo", {
      managers: [cloudNode("a", "10.108.0.1", doFw("101"))],
      workers: [cloudNode("b", "10.108.0.2", doFw("102")), cloudNode("c", "10.108.0.3")],
    });
    assert.deepEqual(d.rules.map((r) => r.name).sort(), ["fwdo-a-firewall", "fwdo-b-firewall"]);
    const a = d.byName("a-firewall").inputs;
    assert.deepEqual(a.dropletIds, [101]);
    const from = ["10.108.0.2/32", "10.108.0.3/32"];
    assert.deepEqual(a.inboundRules, [
      { protocol: "tcp", portRange: "2377", sourceAddresses: from },
      { protocol: "tcp", portRange: "7946", sourceAddresses: from },
      { protocol: "udp", portRange: "7946", sourceAddresses: from },
      { protocol: "udp", portRange: "4789", sourceAddresses: from },
    ]);
    assert.equal(a.outboundRules, undefined, "outbound stays the host's own firewall's business");
    assert.deepEqual(d.byName("b-firewall").inputs.dropletIds, [102]);
    assertSingleAddresses(d.rules);
    assert.ok(d.dependencies("c-join").includes("fwdo-a-firewall"));
    assert.ok(d.dependencies("c-join").includes("fwdo-b-firewall"));
  });

  it("azure: two rules in each member's group (TCP 2377+7946, UDP 7946+4789), priorities clear of DockerHost's", async () => {
    const d = await deploySwarm("fwaz", {
      managers: [cloudNode("a", "10.1.0.4", azFw("nsg-a"))],
      workers: [cloudNode("b", "10.2.0.4", azFw("nsg-b"))],
      advertiseAddress: { a: "203.0.113.4", b: "198.51.100.4" },
    });
    assert.deepEqual(d.rules.map((r) => r.name).sort(), [
      "fwaz-a-swarm-tcp",
      "fwaz-a-swarm-udp",
      "fwaz-b-swarm-tcp",
      "fwaz-b-swarm-udp",
    ]);
    const first = azurePriority("project/stack/fwaz");
    assert.ok(first >= 1000 && first + 1 <= 3999, String(first));
    const tcp = d.byName("a-swarm-tcp").inputs;
    assert.deepEqual(
      [
        tcp.resourceGroupName,
        tcp.networkSecurityGroupName,
        tcp.priority,
        tcp.direction,
        tcp.access,
      ],
      ["nsg-a-rg", "nsg-a", first, "Inbound", "Allow"],
    );
    assert.deepEqual([tcp.protocol, tcp.destinationPortRanges], ["Tcp", ["2377", "7946"]]);
    assert.deepEqual(tcp.sourceAddressPrefixes, ["198.51.100.4/32"]);
    const udp = d.byName("a-swarm-udp").inputs;
    assert.deepEqual(
      [udp.protocol, udp.destinationPortRanges, udp.priority],
      ["Udp", ["7946", "4789"], first + 1],
    );
    assert.deepEqual(d.byName("b-swarm-udp").inputs.sourceAddressPrefixes, ["203.0.113.4/32"]);
    for (const r of d.rules) {
      assert.equal(r.inputs.sourceAddressPrefix, undefined, "no catch-all source");
      assert.equal(r.inputs.destinationPortRange, undefined, "no port wildcard");
    }
    // One change at a time per group: the UDP rule waits for the TCP rule.
    assert.ok(d.dependencies("a-swarm-udp").includes("fwaz-a-swarm-tcp"));
    assertSingleAddresses(d.rules);
  });

  it("existing hosts (no firewall, or kind none) get no rule; a single member needs none", async () => {
    const none = await deploySwarm("fwnone", {
      managers: [cloudNode("a", "10.0.0.1")],
      workers: [cloudNode("b", "10.0.0.2", { kind: FirewallKind.None })],
    });
    assert.deepEqual(none.rules, []);
    const alone = await deploySwarm("fwalone", {
      managers: [cloudNode("a", "10.0.0.1", awsFw("sg-a"))],
    });
    assert.deepEqual(alone.rules, []);
  });

  it("adding a worker adds its address: new rules for it, the others' rules unchanged (aws) or updated (digitalocean)", async () => {
    const before = await deploySwarm("fwgrow1", {
      managers: [cloudNode("a", "10.0.0.1", awsFw("sg-a"))],
      workers: [cloudNode("b", "10.0.0.2", doFw("102"))],
    });
    const after = await deploySwarm("fwgrow2", {
      managers: [cloudNode("a", "10.0.0.1", awsFw("sg-a"))],
      workers: [cloudNode("b", "10.0.0.2", doFw("102")), cloudNode("c", "10.0.0.3", awsFw("sg-c"))],
    });
    const byName = (d: typeof before, swarm: string) =>
      Object.fromEntries(d.rules.map((r) => [r.name.replace(`${swarm}-`, ""), r.inputs]));
    const was = byName(before, "fwgrow1");
    const is = byName(after, "fwgrow2");
    const ports = SWARM_PORTS.map((p) => `${String(p.port)}-${p.protocol}`);
    assert.deepEqual(
      Object.keys(is).sort(),
      [
        ...Object.keys(was),
        ...ports.map((p) => `a-from-c-${p}`),
        ...ports.map((p) => `c-from-a-${p}`),
        ...ports.map((p) => `c-from-b-${p}`),
      ].sort(),
    );
    for (const p of ports) {
      const strip = (x: unknown) => JSON.stringify(x).replace(/fwgrow[12]/g, "SWARM");
      assert.equal(
        strip(is[`a-from-b-${p}`]),
        strip(was[`a-from-b-${p}`]),
        `a-from-b-${p} unchanged`,
      );
    }
    assert.equal(is["a-from-c-2377-tcp"]?.cidrIpv4, "10.0.0.3/32");
    const sources = (x: Record<string, unknown> | undefined) =>
      (x?.inboundRules as { sourceAddresses: string[] }[] | undefined)?.[0]?.sourceAddresses;
    assert.deepEqual(sources(was["b-firewall"]), ["10.0.0.1/32"]);
    assert.deepEqual(sources(is["b-firewall"]), ["10.0.0.1/32", "10.0.0.3/32"]);
  });

  it("takes a DockerHost's firewall output as it is", async () => {
    const aws = new DockerHost("fwhosta", {
      aws: { region: "us-east-2" },
      allowedCidrs: ["198.51.100.0/24"],
      engine: { liveRestore: false },
    });
    const existing = new DockerHost("fwhostb", {
      existing: { host: "10.0.9.2", privateKey: fakeKey("ssh-fwhostb"), hostKey: HOST_KEY },
      engine: { installMethod: EngineInstallMethod.Distro, liveRestore: false },
    });
    // A DockerHost is a host as it is (checked by the compiler)...
    const asNode: SwarmNodeArgs = aws;
    assert.equal(asNode.firewall?.kind, FirewallKind.Aws);
    assert.equal(existing.firewall.kind, FirewallKind.None);
    assert.equal(await valueOf(aws.firewall.securityGroupId), "fwhosta-firewall-id");
    assert.equal(await valueOf(aws.firewall.region), "us-east-2");
    assert.equal(await valueOf(aws.firewall.dropletId), "");
    assert.equal(await valueOf(existing.firewall.securityGroupId), "");
    const droplet = new DockerHost("fwhostc", {
      digitalocean: {},
      allowedCidrs: ["198.51.100.0/24"],
      engine: { liveRestore: false },
    });
    assert.equal(droplet.firewall.kind, FirewallKind.DigitalOcean);
    assert.equal(await valueOf(droplet.firewall.dropletId), "4242");
    // ...but the mocked cloud host key is no valid key: pin a real-looking one, keep the other outputs.
    const node = (host: DockerHost, name: string): SwarmNodeArgs => ({
      name,
      dockerHost: host.dockerHost,
      address: host.address,
      privateIp: host.privateIp,
      sshUser: host.sshUser,
      sshPrivateKey: host.sshPrivateKey,
      sshHostKey: HOST_KEY,
      firewall: host.firewall,
    });
    const d = await deploySwarm("fwh", {
      managers: [node(aws, "a")],
      workers: [node(existing, "b")],
    });
    assert.deepEqual(d.rules.map(awsRule).sort(), [
      "2377/tcp from 10.0.9.2/32 into fwhosta-firewall-id",
      "4789/udp from 10.0.9.2/32 into fwhosta-firewall-id",
      "7946/tcp from 10.0.9.2/32 into fwhosta-firewall-id",
      "7946/udp from 10.0.9.2/32 into fwhosta-firewall-id",
    ]);
    assert.equal(d.byName("a-from-b-2377-tcp").inputs.region, "us-east-2");
  });

  // Every kind a machine source has, then none (machines/firewall.ts).
  const KINDS = Object.values(FirewallKind).join(", ");
  const bad: [string, DockerSwarmArgs, string][] = [
    [
      "an unknown firewall kind",
      { managers: [cloudNode("a", "10.0.0.1", unsafe({ kind: "openstack" }))] },
      `managers[0].firewall.kind must be one of ${KINDS}, known when the program runs, got "openstack"`,
    ],
    [
      "a firewall kind from an output",
      { managers: [cloudNode("a", "10.0.0.1", unsafe({ kind: pulumi.output("aws") }))] },
      `managers[0].firewall.kind must be one of ${KINDS}, known when the program runs, got an output`,
    ],
    [
      "an aws firewall without its security group",
      { managers: [cloudNode("a", "10.0.0.1", unsafe({ kind: "aws" }))] },
      "managers[0].firewall.securityGroupId is required for a firewall of kind aws",
    ],
    [
      "an azure firewall without its group name",
      {
        managers: [cloudNode("a", "10.0.0.1", unsafe({ kind: "azure", resourceGroupName: "rg" }))],
      },
      "managers[0].firewall.networkSecurityGroupName is required for a firewall of kind azure",
    ],
  ];
  bad.forEach(([label, args, message], i) => {
    it(`rejects ${label} before any resource exists`, async () => {
      const name = `fwbad${String(i)}`;
      assert.throws(() => new DockerSwarm(name, args), {
        message: `DockerSwarm "${name}": ${message}`,
      });
      await settle();
      assert.deepEqual(registeredUnder(name).mine, []);
    });
  });

  const later: [string, DockerSwarmArgs, string][] = [
    [
      "a member advertising an interface name",
      {
        managers: [cloudNode("a", "10.0.0.1", awsFw("sg-a"))],
        workers: [cloudNode("b", "10.0.0.2")],
        advertiseAddress: { b: "eth1" },
      },
      "host b advertises \"eth1\", not an IP address: the members' cloud firewalls admit the swarm ports from the members' advertise addresses, so set advertiseAddress.b to the IP address it advertises",
    ],
    [
      "two members advertising one address",
      {
        managers: [cloudNode("a", "10.0.0.4", azFw("nsg-a"))],
        workers: [cloudNode("b", "10.0.0.4", azFw("nsg-b"))],
      },
      "hosts a and b both advertise 10.0.0.4: each member needs an address the others reach it on (cloud DockerHosts that each have a network of their own may share a private address: advertise their publicIp)",
    ],
    [
      "a Droplet ID that is not a number",
      {
        managers: [
          cloudNode(
            "a",
            "10.0.0.1",
            unsafe({ kind: "digitalocean", dropletId: pulumi.output("") }),
          ),
          cloudNode("b", "10.0.0.2"),
        ],
      },
      'managers[0].firewall.dropletId must be a Droplet ID (digits), got ""',
    ],
  ];
  later.forEach(([label, args, message], i) => {
    it(`fails the deployment, naming the host, for ${label}`, async () => {
      const name = `fwlater${String(i)}`;
      const swarm = new DockerSwarm(name, args);
      const outcome = (swarm.nodes as unknown as { promise(): Promise<unknown> }).promise();
      const expected = `DockerSwarm "${name}": ${message}`;
      await assert.rejects(outcome, (e: Error) => {
        assert.ok(e.message.endsWith(expected), e.message);
        return true;
      });
    });
  });
});
