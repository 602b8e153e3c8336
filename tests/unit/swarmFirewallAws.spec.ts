import * as assert from "node:assert/strict";
import { DockerSwarmArgs } from "../../components";
import { awsPlacement, checkAwsAdvertise } from "../../components/machines/aws/swarm";
import { seenOptions } from "./helpers/cloud";

import {
  assertOnlyMembers,
  AWS_ATTACHMENT,
  AWS_GROUP,
  AWS_RULE,
  awsFw,
  awsRule,
  cloudNode,
  deploySwarm,
  FIREWALL_TYPES,
  PORTS,
  installSwarmMocks,
} from "./helpers/swarmRules";

// DockerSwarm on aws members: one security group for the swarm admitting itself, attached to each member's
// network interface, and the members' one VPC and region.

/** N AWS members as data (3 managers at most), in one VPC. */
const awsMembers = (n: number): DockerSwarmArgs => {
  const nodes = Array.from({ length: n }, (_, i) =>
    cloudNode(`m${String(i)}`, `172.31.1.${String(i + 1)}`, awsFw(`m${String(i)}`)),
  );
  return { managers: nodes.slice(0, Math.min(3, n)), workers: nodes.slice(3) };
};

describe("DockerSwarm: the swarm ports on aws members (mocks)", () => {
  before(installSwarmMocks);

  it("aws: one security group for the swarm, its four rules admitting the group itself, attached to each member's interface", async () => {
    const d = await deploySwarm(
      "fwaws",
      {
        managers: [cloudNode("a", "172.31.0.1", awsFw("a"))],
        workers: [cloudNode("b", "172.31.0.2", awsFw("b")), cloudNode("c", "172.31.0.3")],
      },
      FIREWALL_TYPES,
    );
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
    assert.ok(!JSON.stringify(d.rules.map((r) => r.inputs)).includes('"sg-'));
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

  it("aws: the same four rules and one attachment per member whatever N: 2, 5, 12 and 40 members", async function () {
    // Swarms of up to 40 members under mocks: slow on a loaded machine, not a measure of anything.
    this.timeout(120000);
    const shapes: string[] = [];
    for (const n of [2, 5, 12, 40]) {
      const d = await deploySwarm(`fwawsn${String(n)}`, awsMembers(n), FIREWALL_TYPES);
      const rules = d.ofType(AWS_RULE);
      assert.equal(rules.length, 4, `N=${String(n)}: four rules in all`);
      assert.equal(d.ofType(AWS_GROUP).length, 1);
      assert.equal(d.ofType(AWS_ATTACHMENT).length, n);
      assert.equal(d.rules.length, n + 5, "N attachments, one group, four rules");
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
    const d = await deploySwarm(
      "fwaws6",
      {
        managers: [cloudNode("a", "172.31.0.1", awsFw("a"))],
        workers: [cloudNode("b", "172.31.0.2")],
        advertiseAddress: { b: "2001:db8::2" },
      },
      FIREWALL_TYPES,
    );
    const rule = d.byName("swarm-group-from-b-4789-udp").inputs;
    assert.deepEqual([rule.cidrIpv4, rule.cidrIpv6], [undefined, "2001:db8::2/128"]);
  });

  it("aws: a member joining or leaving adds or removes its attachment only; nothing else changes", async () => {
    const strip = (x: unknown) => JSON.stringify(x).replace(/fwawsgrow[12]/g, "SWARM");
    const byName = (d: Awaited<ReturnType<typeof deploySwarm>>, swarm: string) =>
      Object.fromEntries(d.rules.map((r) => [r.name.replace(`${swarm}-`, ""), strip(r.inputs)]));
    const before = byName(
      await deploySwarm("fwawsgrow1", awsMembers(4), FIREWALL_TYPES),
      "fwawsgrow1",
    );
    const after = byName(
      await deploySwarm("fwawsgrow2", awsMembers(5), FIREWALL_TYPES),
      "fwawsgrow2",
    );
    const added = Object.keys(after).filter((k) => !(k in before));
    assert.deepEqual(added, ["m4-swarm-group"]);
    for (const [k, v] of Object.entries(before)) assert.equal(after[k], v, `${k} unchanged`);
    // Read backwards, the same two programs are m4 leaving: its attachment goes, nothing else changes.
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
});
