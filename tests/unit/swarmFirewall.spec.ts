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
import { awsPlacement, checkAwsAdvertise } from "../../components/machines/aws/swarm";
import { azurePriority } from "../../components/machines/azure/swarm";
import { SWARM_PORTS } from "../../components/machines/swarmPorts";
import { installCloudMocks, seenOptions } from "./helpers/cloud";
import { dataNode, HOST_KEY } from "./helpers/swarmNodes";
import { fakeKey, Registered, registeredUnder, settle, stepStdout, valueOf } from "./helpers/mocks";

const unsafe = (value: unknown) => value as never; // what a YAML or Python caller can send

/** A host given as data with its public address derived from its private one, and a cloud firewall as data. */
const cloudNode = (name: string, privateIp: string, firewall?: SwarmNodeArgs["firewall"]) =>
  dataNode(name, `203.0.113.${privateIp.split(".").pop() ?? "1"}`, privateIp, firewall);
const awsFw = (host: string, vpcId = "vpc-1", region = "eu-west-1") => ({
  kind: FirewallKind.Aws,
  securityGroupId: `sg-${host}`,
  networkInterfaceId: `eni-${host}`,
  vpcId,
  region,
});
const doFw = (id: string) => ({ kind: FirewallKind.DigitalOcean, dropletId: id });
const azFw = (nsg: string) => ({
  kind: FirewallKind.Azure,
  resourceGroupName: `${nsg}-rg`,
  networkSecurityGroupName: nsg,
});

const AWS_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const AWS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const AWS_ATTACHMENT =
  "aws:ec2/networkInterfaceSecurityGroupAttachment:NetworkInterfaceSecurityGroupAttachment";
const DO_FIREWALL = "digitalocean:index/firewall:Firewall";
const AZ_RULE = "azure-native:network:SecurityRule";
const FIREWALL_TYPES = [AWS_GROUP, AWS_RULE, AWS_ATTACHMENT, DO_FIREWALL, AZ_RULE];
/** The swarm's four port/protocol pairs, as `PORT/PROTO`, sorted. */
const PORTS = SWARM_PORTS.map((p) => `${String(p.port)}/${p.protocol}`).sort();

async function deploySwarm(name: string, args: DockerSwarmArgs) {
  const swarm = new DockerSwarm(name, args);
  await valueOf(swarm.nodes);
  await settle();
  const { mine, byName } = registeredUnder(name);
  const firewall = mine.filter((r) => FIREWALL_TYPES.includes(r.type));
  const ofType = (type: string) => mine.filter((r) => r.type === type);
  const dependencies = (suffix: string) => {
    const seen = seenOptions.get(`${name}-${suffix}`);
    assert.ok(seen, `options of ${name}-${suffix} were seen`);
    return seen.dependencies.map((urn) => urn.slice(urn.lastIndexOf("::") + 2)).sort();
  };
  return { swarm, mine, byName, firewall, ofType, dependencies };
}

/** An AWS rule as `PORT/PROTO from SOURCE into GROUP` (SOURCE: a range, or `group G`). */
const awsRule = (r: Registered) => {
  const i = r.inputs;
  const from =
    i.referencedSecurityGroupId !== undefined
      ? `group ${i.referencedSecurityGroupId as string}`
      : String(i.cidrIpv4 ?? i.cidrIpv6);
  return `${String(i.fromPort)}/${String(i.ipProtocol)} from ${from} into ${String(i.securityGroupId)}`;
};

/** N AWS members as data (3 managers at most), in one VPC. */
const awsMembers = (n: number): DockerSwarmArgs => {
  const nodes = Array.from({ length: n }, (_, i) =>
    cloudNode(`m${String(i)}`, `172.31.1.${String(i + 1)}`, awsFw(`m${String(i)}`)),
  );
  return { managers: nodes.slice(0, Math.min(3, n)), workers: nodes.slice(3) };
};

/**
 * Nothing the swarm adds admits anything but its members, on anything but the swarm's ports: every source is the
 * swarm's own group, a member's Droplet, or a member's advertise address as a single address.
 */
function assertOnlyMembers(
  rules: Registered[],
  members: { ranges: string[]; droplets?: number[]; group?: string },
): void {
  const text = JSON.stringify(rules.map((r) => r.inputs));
  for (const world of ["0.0.0.0/0", "::/0", "Internet"]) {
    assert.ok(!text.includes(`"${world}"`), `no rule admits ${world}`);
  }
  assert.ok(rules.length > 0);
  for (const r of rules) {
    const i = r.inputs;
    if (r.type === AWS_RULE) {
      assert.ok(PORTS.includes(`${String(i.fromPort)}/${String(i.ipProtocol)}`), awsRule(r));
      assert.equal(i.fromPort, i.toPort, "one port, not a range");
      if (i.referencedSecurityGroupId !== undefined) {
        assert.equal(i.referencedSecurityGroupId, members.group, "only the swarm's own group");
        assert.equal(i.cidrIpv4 ?? i.cidrIpv6, undefined);
      } else {
        assert.ok(members.ranges.includes(String(i.cidrIpv4 ?? i.cidrIpv6)), awsRule(r));
      }
      assert.equal(i.prefixListId, undefined);
    } else if (r.type === DO_FIREWALL) {
      const inbound = i.inboundRules as Record<string, unknown>[];
      assert.deepEqual(
        inbound.map((x) => `${String(x.portRange)}/${String(x.protocol)}`).sort(),
        PORTS,
      );
      for (const x of inbound) {
        for (const id of (x.sourceDropletIds ?? []) as number[]) {
          assert.ok(members.droplets?.includes(id), `Droplet ${String(id)} is a member`);
        }
        for (const a of (x.sourceAddresses ?? []) as string[]) {
          assert.ok(members.ranges.includes(a), `${a} is a member's address`);
        }
        assert.equal(x.sourceTags, undefined, "no tag: tags are account-wide");
        assert.equal(x.sourceLoadBalancerUids, undefined);
        assert.equal(x.sourceKubernetesIds, undefined);
      }
      assert.equal(i.outboundRules, undefined, "outbound stays the host's own firewall's business");
    } else if (r.type === AZ_RULE) {
      assert.equal(i.sourceAddressPrefix, undefined, "no catch-all source");
      assert.equal(i.destinationPortRange, undefined, "no port wildcard");
      assert.equal(i.sourceApplicationSecurityGroups, undefined);
      for (const a of i.sourceAddressPrefixes as string[]) {
        assert.ok(members.ranges.includes(a), `${a} is a member's address`);
      }
    }
  }
}

describe("DockerSwarm: the swarm ports in the members' cloud firewalls (mocks)", () => {
  before(async () => {
    await installCloudMocks();
    stepStdout.join =
      "cluster-id: c\nnode-id: n\nmanager-address: 10.0.0.1:2377\nworker-token: SWMTKN-1-x-w\nmanager-token: SWMTKN-1-x-m";
  });

  it("aws: one security group for the swarm, its four rules admitting the group itself, attached to each member's interface", async () => {
    const d = await deploySwarm("fwaws", {
      managers: [cloudNode("a", "172.31.0.1", awsFw("a"))],
      workers: [cloudNode("b", "172.31.0.2", awsFw("b")), cloudNode("c", "172.31.0.3")],
    });
    const group = d.byName("swarm-group").inputs;
    assert.deepEqual(
      [group.vpcId, group.region, group.ingress, group.egress],
      ["vpc-1", "eu-west-1", undefined, undefined],
      "in the members' VPC and region; no inline rules",
    );
    assert.equal(
      group.description,
      "DockerSwarm project/stack/fwaws: the swarm ports between its members",
    );
    assert.deepEqual(group.tags, {
      "docker-swarm": "project/stack/fwaws",
      "managed-by": "pulumi",
      Name: "fwaws-swarm-group",
    });
    assert.deepEqual(
      d.ofType(AWS_RULE).map(awsRule).sort(),
      [
        // The members find each other through the group...
        ...PORTS.map((p) => `${p} from group fwaws-swarm-group-id into fwaws-swarm-group-id`),
        // ...and c, an existing host, by its advertise address.
        ...PORTS.map((p) => `${p} from 172.31.0.3/32 into fwaws-swarm-group-id`),
      ].sort(),
    );
    assert.deepEqual(
      d
        .ofType(AWS_ATTACHMENT)
        .map(
          (r) =>
            `${r.name}: ${String(r.inputs.securityGroupId)} onto ${String(r.inputs.networkInterfaceId)}`,
        ),
      [
        "fwaws-a-swarm-group: fwaws-swarm-group-id onto eni-a",
        "fwaws-b-swarm-group: fwaws-swarm-group-id onto eni-b",
      ],
    );
    for (const r of [...d.ofType(AWS_RULE), ...d.ofType(AWS_ATTACHMENT)]) {
      assert.equal(r.inputs.region, "eu-west-1");
      assert.match(seenOptions.get(r.name)?.urn ?? "", /::docker-host:index:DockerSwarm\$aws:/);
    }
    // The members' own groups are left alone: no rule names them.
    assert.ok(!JSON.stringify(d.firewall.map((r) => r.inputs)).includes('"sg-'));
    assert.equal(
      d.byName("swarm-group-2377-tcp").inputs.description,
      "DockerSwarm project/stack/fwaws: cluster management (2377/tcp) from the members (this group)",
    );
    assert.equal(
      d.byName("swarm-group-from-c-4789-udp").inputs.description,
      "DockerSwarm project/stack/fwaws: overlay network data (VXLAN) (4789/udp) from host c",
    );
    // AWS refuses other characters in a group's or a rule's description.
    for (const r of [...d.ofType(AWS_RULE), ...d.ofType(AWS_GROUP)]) {
      assert.match(String(r.inputs.description), /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/);
    }
    assertOnlyMembers(d.ofType(AWS_RULE), {
      ranges: ["172.31.0.3/32"],
      group: "fwaws-swarm-group-id",
    });
    // Each join waits for what concerns its host: the group and its rules and its own attachment (an AWS
    // member), or the rules admitting it (c).
    const own = PORTS.map((p) => `fwaws-swarm-group-${p.replace("/", "-")}`);
    const fromC = PORTS.map((p) => `fwaws-swarm-group-from-c-${p.replace("/", "-")}`);
    assert.deepEqual(
      d.dependencies("a-join"),
      ["fwaws-a-remove", "fwaws-a-swarm-group", "fwaws-swarm-group", ...own].sort(),
    );
    assert.deepEqual(
      d.dependencies("b-join"),
      ["fwaws-a-join", "fwaws-b-remove", "fwaws-b-swarm-group", "fwaws-swarm-group", ...own].sort(),
    );
    assert.deepEqual(d.dependencies("c-join"), ["fwaws-a-join", "fwaws-c-remove", ...fromC].sort());
  });

  it("aws: the same four rules and one attachment per member whatever N: 2, 5, 12 and 40 members", async () => {
    const shapes: string[] = [];
    for (const n of [2, 5, 12, 40]) {
      const d = await deploySwarm(`fwawsn${String(n)}`, awsMembers(n));
      const rules = d.ofType(AWS_RULE);
      assert.equal(rules.length, 4, `N=${String(n)}: four rules in all`);
      assert.equal(d.ofType(AWS_GROUP).length, 1);
      assert.equal(d.ofType(AWS_ATTACHMENT).length, n);
      assert.equal(d.firewall.length, n + 5, "N attachments, one group, four rules");
      assertOnlyMembers(rules, { ranges: [], group: `fwawsn${String(n)}-swarm-group-id` });
      shapes.push(
        rules
          .map(awsRule)
          .map((r) => r.replace(/fwawsn\d+/g, "SWARM"))
          .sort()
          .join("; "),
      );
    }
    assert.equal(new Set(shapes).size, 1, "the rules do not depend on N");
  });

  it("aws: an IPv6 advertise address of a member of another kind becomes cidrIpv6 /128", async () => {
    const d = await deploySwarm("fwaws6", {
      managers: [cloudNode("a", "172.31.0.1", awsFw("a"))],
      workers: [cloudNode("b", "172.31.0.2")],
      advertiseAddress: { b: "2001:db8::2" },
    });
    const rule = d.byName("swarm-group-from-b-4789-udp").inputs;
    assert.deepEqual([rule.cidrIpv4, rule.cidrIpv6], [undefined, "2001:db8::2/128"]);
  });

  it("aws: a member joining or leaving adds or removes its attachment only; nothing else changes", async () => {
    const strip = (x: unknown) => JSON.stringify(x).replace(/fwawsgrow[12]/g, "SWARM");
    const byName = (d: Awaited<ReturnType<typeof deploySwarm>>, swarm: string) =>
      Object.fromEntries(d.firewall.map((r) => [r.name.replace(`${swarm}-`, ""), strip(r.inputs)]));
    const before = byName(await deploySwarm("fwawsgrow1", awsMembers(4)), "fwawsgrow1");
    const after = byName(await deploySwarm("fwawsgrow2", awsMembers(5)), "fwawsgrow2");
    const added = Object.keys(after).filter((k) => !(k in before));
    assert.deepEqual(added, ["m4-swarm-group"]);
    for (const [k, v] of Object.entries(before)) assert.equal(after[k], v, `${k} unchanged`);
    // Read backwards, the same two programs are m4 leaving: its attachment goes, nothing else changes.
  });

  it("digitalocean: a firewall of the swarm's per member, on its Droplet, the ports from the other members' Droplets", async () => {
    const d = await deploySwarm("fwdo", {
      managers: [cloudNode("a", "10.108.0.1", doFw("101"))],
      workers: [cloudNode("b", "10.108.0.2", doFw("102")), cloudNode("c", "10.108.0.3")],
    });
    assert.deepEqual(d.firewall.map((r) => r.name).sort(), ["fwdo-a-firewall", "fwdo-b-firewall"]);
    const a = d.byName("a-firewall").inputs;
    assert.deepEqual(a.dropletIds, [101]);
    const inbound = (port: string, protocol: string, droplets: number[]) => ({
      protocol,
      portRange: port,
      sourceDropletIds: droplets,
      sourceAddresses: ["10.108.0.3/32"],
    });
    assert.deepEqual(a.inboundRules, [
      inbound("2377", "tcp", [102]),
      inbound("7946", "tcp", [102]),
      inbound("7946", "udp", [102]),
      inbound("4789", "udp", [102]),
    ]);
    assert.deepEqual(d.byName("b-firewall").inputs.dropletIds, [102]);
    assert.deepEqual(
      (d.byName("b-firewall").inputs.inboundRules as Record<string, unknown>[])[0]
        ?.sourceDropletIds,
      [101],
    );
    assertOnlyMembers(d.firewall, { ranges: ["10.108.0.3/32"], droplets: [101, 102] });
    // Every join reaches the managers: a manager's firewall concerns everyone, a worker's only its worker.
    assert.deepEqual(d.dependencies("c-join"), ["fwdo-a-firewall", "fwdo-a-join", "fwdo-c-remove"]);
    assert.deepEqual(d.dependencies("b-join"), [
      "fwdo-a-firewall",
      "fwdo-a-join",
      "fwdo-b-firewall",
      "fwdo-b-remove",
    ]);
  });

  it("digitalocean: four rules on every firewall whatever N; sources only the other members", async () => {
    for (const n of [2, 5, 12, 40]) {
      const nodes = Array.from({ length: n }, (_, i) =>
        cloudNode(`m${String(i)}`, `10.108.1.${String(i + 1)}`, doFw(String(500 + i))),
      );
      const d = await deploySwarm(`fwdon${String(n)}`, {
        managers: nodes.slice(0, 3),
        workers: nodes.slice(3),
      });
      assert.equal(d.firewall.length, n, "one firewall per member");
      const ids = nodes.map((_, i) => 500 + i);
      for (const [i, f] of d.firewall.entries()) {
        const inbound = f.inputs.inboundRules as { sourceDropletIds: number[] }[];
        assert.equal(inbound.length, 4);
        for (const r of inbound) {
          assert.deepEqual(
            r.sourceDropletIds,
            ids.filter((id) => id !== 500 + i),
          );
        }
      }
      assertOnlyMembers(d.firewall, { ranges: [], droplets: ids });
    }
  });

  it("azure: two rules in each member's group (TCP 2377+7946, UDP 7946+4789), priorities clear of DockerHost's", async () => {
    const d = await deploySwarm("fwaz", {
      managers: [cloudNode("a", "10.1.0.4", azFw("nsg-a"))],
      workers: [cloudNode("b", "10.2.0.4", azFw("nsg-b"))],
      advertiseAddress: { a: "203.0.113.4", b: "198.51.100.4" },
    });
    assert.deepEqual(d.firewall.map((r) => r.name).sort(), [
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
    // One change at a time per group: the UDP rule waits for the TCP rule.
    assert.ok(d.dependencies("a-swarm-udp").includes("fwaz-a-swarm-tcp"));
    assertOnlyMembers(d.firewall, { ranges: ["203.0.113.4/32", "198.51.100.4/32"] });
    // A manager's rules concern everyone, a worker's only its worker.
    assert.deepEqual(d.dependencies("b-join"), [
      "fwaz-a-join",
      "fwaz-a-swarm-tcp",
      "fwaz-a-swarm-udp",
      "fwaz-b-remove",
      "fwaz-b-swarm-tcp",
      "fwaz-b-swarm-udp",
    ]);
  });

  it("azure: two rules per member's group whatever N, each listing the other members' addresses", async () => {
    for (const n of [2, 5, 12, 40]) {
      const nodes = Array.from({ length: n }, (_, i) =>
        cloudNode(`m${String(i)}`, "10.0.0.4", azFw(`nsg-${String(i)}`)),
      );
      const ranges = nodes.map((_, i) => `198.51.100.${String(i + 1)}/32`);
      const d = await deploySwarm(`fwazn${String(n)}`, {
        managers: nodes.slice(0, 3),
        workers: nodes.slice(3),
        advertiseAddress: Object.fromEntries(
          nodes.map((node, i) => [node.name ?? "", ranges[i]?.replace("/32", "") ?? ""]),
        ),
      });
      assert.equal(d.firewall.length, 2 * n);
      for (const [i] of nodes.entries()) {
        const rules = d.firewall.filter(
          (r) => r.inputs.networkSecurityGroupName === `nsg-${String(i)}`,
        );
        assert.equal(rules.length, 2, "two rules per group");
        for (const r of rules) {
          assert.deepEqual(
            r.inputs.sourceAddressPrefixes,
            ranges.filter((_, j) => j !== i),
          );
        }
      }
      assertOnlyMembers(d.firewall, { ranges });
    }
  });

  it("existing hosts (no firewall, or kind none) get no rule; a single member needs none", async () => {
    const none = await deploySwarm("fwnone", {
      managers: [cloudNode("a", "10.0.0.1")],
      workers: [cloudNode("b", "10.0.0.2", { kind: FirewallKind.None })],
    });
    assert.deepEqual(none.firewall, []);
    const alone = await deploySwarm("fwalone", {
      managers: [cloudNode("a", "10.0.0.1", awsFw("a"))],
    });
    assert.deepEqual(alone.firewall, []);
  });

  it("adding members to a mixed swarm: aws adds attachments (or rules for another kind), digitalocean updates the others' sources", async () => {
    const before = await deploySwarm("fwgrow1", {
      managers: [cloudNode("a", "10.0.0.1", awsFw("a"))],
      workers: [cloudNode("b", "10.0.0.2", doFw("102")), cloudNode("d", "10.0.0.4", doFw("104"))],
    });
    const after = await deploySwarm("fwgrow2", {
      managers: [cloudNode("a", "10.0.0.1", awsFw("a"))],
      workers: [
        cloudNode("b", "10.0.0.2", doFw("102")),
        cloudNode("d", "10.0.0.4", doFw("104")),
        cloudNode("c", "10.0.0.3", awsFw("c")),
        cloudNode("e", "10.0.0.5", doFw("105")),
      ],
    });
    const strip = (x: unknown) => JSON.stringify(x).replace(/fwgrow[12]/g, "SWARM");
    const byName = (d: typeof before, swarm: string) =>
      Object.fromEntries(d.firewall.map((r) => [r.name.replace(`${swarm}-`, ""), r.inputs]));
    const was = byName(before, "fwgrow1");
    const is = byName(after, "fwgrow2");
    // AWS: c's attachment, and e (of another kind) admitted on the swarm's group by four rules of its own.
    // DigitalOcean: e's firewall, and each other member's firewall lists e's Droplet and c's address.
    assert.deepEqual(
      Object.keys(is)
        .filter((k) => !(k in was))
        .sort(),
      [
        "c-swarm-group",
        "e-firewall",
        ...PORTS.map((p) => `swarm-group-from-e-${p.replace("/", "-")}`),
      ].sort(),
    );
    const changed = Object.keys(was).filter((k) => strip(is[k]) !== strip(was[k]));
    assert.deepEqual(changed.sort(), ["b-firewall", "d-firewall"]);
    const sources = (x: Record<string, unknown> | undefined) =>
      (x?.inboundRules as Record<string, unknown>[] | undefined)?.[0];
    assert.deepEqual(sources(was["b-firewall"]), {
      protocol: "tcp",
      portRange: "2377",
      sourceDropletIds: [104],
      sourceAddresses: ["10.0.0.1/32"],
    });
    assert.deepEqual(sources(is["b-firewall"]), {
      protocol: "tcp",
      portRange: "2377",
      sourceDropletIds: [104, 105],
      sourceAddresses: ["10.0.0.1/32", "10.0.0.3/32"],
    });
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
    assert.equal(await valueOf(aws.firewall.networkInterfaceId), "eni-fwhosta-vm");
    assert.equal(await valueOf(aws.firewall.vpcId), "vpc-0de7a017de7a017de");
    assert.equal(await valueOf(aws.firewall.dropletId), "");
    assert.equal(await valueOf(existing.firewall.securityGroupId), "");
    assert.equal(await valueOf(existing.firewall.networkInterfaceId), "");
    const droplet = new DockerHost("fwhostc", {
      digitalocean: {},
      allowedCidrs: ["198.51.100.0/24"],
      engine: { liveRestore: false },
    });
    assert.equal(droplet.firewall.kind, FirewallKind.DigitalOcean);
    assert.equal(await valueOf(droplet.firewall.dropletId), "4242");
    assert.equal(await valueOf(droplet.firewall.vpcId), "");
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
    assert.deepEqual(
      d.ofType(AWS_RULE).map(awsRule).sort(),
      [
        ...PORTS.map((p) => `${p} from group fwh-swarm-group-id into fwh-swarm-group-id`),
        ...PORTS.map((p) => `${p} from 10.0.9.2/32 into fwh-swarm-group-id`),
      ].sort(),
    );
    const group = d.byName("swarm-group").inputs;
    assert.deepEqual([group.vpcId, group.region], ["vpc-0de7a017de7a017de", "us-east-2"]);
    const attachment = d.byName("a-swarm-group").inputs;
    assert.deepEqual(
      [attachment.networkInterfaceId, attachment.securityGroupId, attachment.region],
      ["eni-fwhosta-vm", "fwh-swarm-group-id", "us-east-2"],
    );
  });

  it("finds the AWS members' one VPC and region, or names the hosts in each", () => {
    const m = (name: string, vpcId: string, region: string, where = `workers[${name}]`) => ({
      name,
      where,
      vpcId,
      region,
    });
    assert.deepEqual(awsPlacement("s", [m("a", "vpc-1", ""), m("b", "vpc-1", "eu-west-1")]), {
      vpcId: "vpc-1",
      region: "eu-west-1",
    });
    assert.deepEqual(awsPlacement("s", [m("a", "vpc-1", "")]), {
      vpcId: "vpc-1",
      region: undefined,
    });
    assert.throws(
      () =>
        awsPlacement("s", [
          m("a", "vpc-1", ""),
          m("b", "vpc-1", ""),
          m("c", "vpc-2", "", "workers[1]"),
        ]),
      {
        name: "InputError",
        message:
          'DockerSwarm "s": the AWS members must share one VPC (the swarm\'s security group admits its members from itself, which works within one VPC): a, b in vpc-1; c in vpc-2',
        propertyPath: "workers[1].firewall.vpcId",
      },
    );
    assert.throws(
      () =>
        awsPlacement("s", [
          m("a", "vpc-1", "eu-west-1"),
          m("b", "vpc-2", "us-east-1", "managers[1]"),
        ]),
      {
        message:
          'DockerSwarm "s": the AWS members must share one region (a VPC, and so the swarm\'s security group, is in one region): a in eu-west-1; b in us-east-1',
        propertyPath: "managers[1].firewall.region",
      },
    );
    checkAwsAdvertise("s", "a", "172.31.0.1/32", "172.31.0.1");
    checkAwsAdvertise("s", "a", "172.31.0.1/32", "");
    checkAwsAdvertise("s", "a", "2001:db8::1/128", "172.31.0.1");
    assert.throws(
      () => {
        checkAwsAdvertise("s", "a", "203.0.113.1/32", "172.31.0.1");
      },
      {
        propertyPath: "advertiseAddress.a",
      },
    );
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
      "an aws firewall without its network interface",
      {
        managers: [
          cloudNode(
            "a",
            "10.0.0.1",
            unsafe({ kind: "aws", securityGroupId: "sg-a", vpcId: "vpc-1" }),
          ),
        ],
      },
      "managers[0].firewall.networkInterfaceId is required for a firewall of kind aws",
    ],
    [
      "an aws firewall without its VPC",
      {
        managers: [
          cloudNode("a", "10.0.0.1", unsafe({ kind: "aws", networkInterfaceId: "eni-a" })),
        ],
      },
      "managers[0].firewall.vpcId is required for a firewall of kind aws",
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
        managers: [cloudNode("a", "10.0.0.1", awsFw("a"))],
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
    [
      "AWS members in two VPCs",
      {
        managers: [cloudNode("a", "172.31.0.1", awsFw("a", "vpc-1"))],
        workers: [
          cloudNode("b", "172.31.0.2", awsFw("b", "vpc-1")),
          cloudNode("c", "172.31.0.3", awsFw("c", pulumi.output("vpc-2") as unknown as string)),
        ],
      },
      "the AWS members must share one VPC (the swarm's security group admits its members from itself, which works within one VPC): a, b in vpc-1; c in vpc-2",
    ],
    [
      "AWS members in two regions",
      {
        managers: [cloudNode("a", "172.31.0.1", awsFw("a", "vpc-1", "eu-west-1"))],
        workers: [cloudNode("b", "172.31.0.2", awsFw("b", "vpc-2", "us-east-1"))],
      },
      "the AWS members must share one region (a VPC, and so the swarm's security group, is in one region): a in eu-west-1; b in us-east-1",
    ],
    [
      "an AWS member advertising its public address",
      {
        managers: [cloudNode("a", "172.31.0.1", awsFw("a"))],
        workers: [cloudNode("b", "172.31.0.2", awsFw("b"))],
        advertiseAddress: { b: "203.0.113.2" },
      },
      "host b advertises 203.0.113.2, not its private IP 172.31.0.2: the AWS members admit each other through the swarm's security group, which matches their private addresses only; advertise the private IP (the default: leave advertiseAddress.b unset)",
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
