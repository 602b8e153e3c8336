import * as assert from "node:assert/strict";
import { azurePriority } from "../../components/machines/azure/swarm";

import {
  assertOnlyMembers,
  azFw,
  cloudNode,
  deploySwarm,
  FIREWALL_TYPES,
  installSwarmMocks,
} from "./helpers/swarmRules";

// DockerSwarm on azure members: two rules in each member's network security group, admitting the other members.

describe("DockerSwarm: the swarm ports on azure members (mocks)", () => {
  before(installSwarmMocks);

  it("azure: two rules in each member's group (TCP 2377+7946, UDP 7946+4789), priorities clear of DockerHost's", async () => {
    const d = await deploySwarm(
      "fwaz",
      {
        managers: [cloudNode("a", "10.1.0.4", azFw("nsg-a"))],
        workers: [cloudNode("b", "10.2.0.4", azFw("nsg-b"))],
        advertiseAddress: { a: "203.0.113.4", b: "198.51.100.4" },
      },
      FIREWALL_TYPES,
    );
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
    // One change at a time per group: the UDP rule waits for the TCP rule.
    assert.ok(d.dependencies("a-swarm-udp").includes("fwaz-a-swarm-tcp"));
    assertOnlyMembers(d.rules, { ranges: ["203.0.113.4/32", "198.51.100.4/32"] });
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

  it("azure: two rules per member's group whatever N, each listing the other members' addresses", async function () {
    // Swarms of up to 40 members under mocks: slow on a loaded machine, not a measure of anything.
    this.timeout(120000);
    for (const n of [2, 5, 12, 40]) {
      const nodes = Array.from({ length: n }, (_, i) =>
        cloudNode(`m${String(i)}`, "10.0.0.4", azFw(`nsg-${String(i)}`)),
      );
      const ranges = nodes.map((_, i) => `198.51.100.${String(i + 1)}/32`);
      const d = await deploySwarm(
        `fwazn${String(n)}`,
        {
          managers: nodes.slice(0, 3),
          workers: nodes.slice(3),
          advertiseAddress: Object.fromEntries(
            nodes.map((node, i) => [node.name ?? "", ranges[i]?.replace("/32", "") ?? ""]),
          ),
        },
        FIREWALL_TYPES,
      );
      assert.equal(d.rules.length, 2 * n);
      for (const [i] of nodes.entries()) {
        const rules = d.rules.filter(
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
      assertOnlyMembers(d.rules, { ranges });
    }
  });
});
