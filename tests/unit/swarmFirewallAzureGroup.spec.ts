import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { DockerHost, DockerSwarm, DockerSwarmArgs, FirewallKind } from "../../components";
import { azurePriority } from "../../components/machines/azure/swarm";
import { Registered, registeredUnder, settle } from "./helpers/mocks";
import {
  AZ_RULE,
  azFw,
  cloudNode,
  deploySwarm,
  doFw,
  hostNode,
  installSwarmMocks,
  PORTS,
  swarmError,
} from "./helpers/swarmRules";

// DockerSwarm on azure members with `firewallTags.azure`: an application security group every member's NIC joins
// is the source of the two rules in each member's network security group, so a member joining or leaving adds or
// removes its own two rules and changes no other member's (issue 17's constant admission on Azure).

const unsafe = (value: unknown) => value as never; // what a YAML or Python caller can send
const NET = "/subscriptions/0000-1111/resourceGroups/net-rg/providers/Microsoft.Network";
const SUBNET = `${NET}/virtualNetworks/swarm-vnet/subnets/hosts`;
const ASG = `${NET}/applicationSecurityGroups/swarm-asg`;
const OTHER = `${NET}/applicationSecurityGroups/web`;

/** An Azure member's firewall as data, its NIC in `groups` (comma-separated) and `subnet`. */
const asgFw = (nsg: string, groups = ASG, subnet = SUBNET) => ({
  ...azFw(nsg),
  applicationSecurityGroupIds: groups,
  subnetId: subnet,
});
/** N Azure members in the group, the first three managers (one below three), each advertising its private IP (the default). */
function members(n: number): Pick<DockerSwarmArgs, "managers" | "workers"> {
  const nodes = Array.from({ length: n }, (_, i) =>
    cloudNode(
      `m${String(i)}`,
      `10.1.${String(Math.floor(i / 200))}.${String((i % 200) + 4)}`,
      asgFw(`nsg-${String(i)}`),
    ),
  );
  const managers = n >= 3 ? 3 : 1;
  return { managers: nodes.slice(0, managers), workers: nodes.slice(managers) };
}
/** A rule's inputs without what only the swarm's identity decides (its description and priority). */
const own = (r: Registered) =>
  Object.fromEntries(
    Object.entries(r.inputs).filter(([key]) => key !== "description" && key !== "priority"),
  );

describe("DockerSwarm: azure members admitted by an application security group (mocks)", () => {
  before(installSwarmMocks);

  it("two rules in each member's group, the same names and priorities as without the group, the group their only source", async () => {
    const d = await deploySwarm(
      "fwazg",
      {
        managers: [cloudNode("a", "10.1.0.4", asgFw("nsg-a"))],
        workers: [
          cloudNode("b", "10.1.0.5", asgFw("nsg-b", `${OTHER},${ASG}`)),
          cloudNode("c", "10.1.0.6", asgFw("nsg-c", ASG.toLowerCase())),
        ],
        firewallTags: { azure: ASG },
      },
      [AZ_RULE],
    );
    assert.deepEqual(d.rules.map((r) => r.name).sort(), [
      "fwazg-a-swarm-tcp",
      "fwazg-a-swarm-udp",
      "fwazg-b-swarm-tcp",
      "fwazg-b-swarm-udp",
      "fwazg-c-swarm-tcp",
      "fwazg-c-swarm-udp",
    ]);
    const first = azurePriority("project/stack/fwazg");
    for (const host of ["a", "b", "c"]) {
      const tcp = d.byName(`${host}-swarm-tcp`).inputs;
      const udp = d.byName(`${host}-swarm-udp`).inputs;
      assert.deepEqual(
        [tcp.resourceGroupName, tcp.networkSecurityGroupName, tcp.priority, udp.priority],
        [`nsg-${host}-rg`, `nsg-${host}`, first, first + 1],
      );
      assert.deepEqual([tcp.protocol, tcp.destinationPortRanges], ["Tcp", ["2377", "7946"]]);
      assert.deepEqual([udp.protocol, udp.destinationPortRanges], ["Udp", ["7946", "4789"]]);
      assert.ok(d.dependencies(`${host}-swarm-udp`).includes(`fwazg-${host}-swarm-tcp`));
    }
    assertOnlyTheGroup(d.rules);
    assert.equal(
      d.byName("a-swarm-tcp").inputs.description,
      "DockerSwarm project/stack/fwazg: swarm ports 2377, 7946/Tcp from the members' application security group",
    );
    // As without the group: a manager's rules concern everyone, a worker's only its worker.
    assert.deepEqual(d.dependencies("b-join"), [
      "fwazg-a-join",
      "fwazg-a-swarm-tcp",
      "fwazg-a-swarm-udp",
      "fwazg-b-remove",
      "fwazg-b-swarm-tcp",
      "fwazg-b-swarm-udp",
    ]);
  });

  it("two rules per member whatever N, and a member joining leaves every other member's rules as they were", async function () {
    // Swarms of up to 41 members under mocks: slow on a loaded machine, not a measure of anything.
    this.timeout(240000);
    for (const n of [2, 5, 40]) {
      const before = await deploySwarm(
        `fwazgn${String(n)}`,
        { ...members(n), firewallTags: { azure: ASG } },
        [AZ_RULE],
      );
      const after = await deploySwarm(
        `fwazgj${String(n)}`,
        { ...members(n + 1), firewallTags: { azure: ASG } },
        [AZ_RULE],
      );
      assert.equal(before.rules.length, 2 * n, `two rules per member of ${String(n)}`);
      assert.equal(after.rules.length, 2 * (n + 1), "the new member adds its own two");
      assertOnlyTheGroup(after.rules);
      for (let i = 0; i < n; i++) {
        for (const protocol of ["tcp", "udp"]) {
          const suffix = `m${String(i)}-swarm-${protocol}`;
          assert.deepEqual(
            own(after.byName(suffix)),
            own(before.byName(suffix)),
            `${suffix} unchanged`,
          );
        }
      }
    }
  });

  it("a member's rules wait for nothing of the other members: they exist while a joining member is still unknown", async function () {
    this.timeout(120000);
    // The joining member's outputs never resolve, as a new DockerHost's are unknown in a preview.
    const [pending] = pulumi.deferredOutput<string>();
    const joining = {
      ...cloudNode("new", "10.1.0.99", {
        ...azFw("nsg-new"),
        applicationSecurityGroupIds: pending,
        subnetId: pending,
      }),
      privateIp: pending,
    };
    const { managers, workers = [] } = members(3);
    new DockerSwarm("fwazgp", {
      managers,
      workers: [...workers, joining],
      firewallTags: { azure: ASG },
    });
    const rulesOf = () => registeredUnder("fwazgp").mine.filter((r) => r.type === AZ_RULE);
    for (let i = 0; i < 600 && rulesOf().length < 6; i++)
      await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(
      rulesOf()
        .map((r) => r.name)
        .sort(),
      [
        "fwazgp-m0-swarm-tcp",
        "fwazgp-m0-swarm-udp",
        "fwazgp-m1-swarm-tcp",
        "fwazgp-m1-swarm-udp",
        "fwazgp-m2-swarm-tcp",
        "fwazgp-m2-swarm-udp",
      ],
    );
    assertOnlyTheGroup(rulesOf());
  });

  it("takes DockerHosts in one subnet and the group as they are: their private IPs, their NICs' groups", async () => {
    const host = (name: string) =>
      new DockerHost(name, {
        azure: { subnetId: SUBNET, applicationSecurityGroupIds: [ASG] },
        allowedCidrs: ["198.51.100.0/24"],
        engine: { liveRestore: false },
      });
    const [x, y] = [host("fwazgh1"), host("fwazgh2")];
    assert.equal(x.firewall.kind, FirewallKind.Azure);
    const d = await deploySwarm(
      "fwazgh",
      { managers: [hostNode(x, "x")], workers: [hostNode(y, "y")], firewallTags: { azure: ASG } },
      [AZ_RULE],
    );
    assert.equal(d.rules.length, 4);
    assert.equal(d.byName("x-swarm-tcp").inputs.networkSecurityGroupName, "fwazgh1-firewall-name");
    assertOnlyTheGroup(d.rules);
  });

  const failing: [string, DockerSwarmArgs, string, string][] = [
    [
      "a member whose NIC is not in the group",
      {
        managers: [cloudNode("a", "10.1.0.4", asgFw("nsg-a"))],
        workers: [cloudNode("b", "10.1.0.5", asgFw("nsg-b", OTHER))],
        firewallTags: { azure: ASG },
      },
      "b",
      `host b's NIC is not in the application security group of firewallTags.azure (it is in ${OTHER}), so the swarm's rules would not admit it: add "${ASG}" to its DockerHost's azure.applicationSecurityGroupIds (with azure.subnetId)`,
    ],
    [
      "a member in no group (a DockerHost's empty list)",
      {
        managers: [cloudNode("a", "10.1.0.4", asgFw("nsg-a"))],
        workers: [cloudNode("b", "10.1.0.5", asgFw("nsg-b", ""))],
        firewallTags: { azure: ASG },
      },
      "b",
      `host b's NIC is not in the application security group of firewallTags.azure (it is in none), so the swarm's rules would not admit it: add "${ASG}" to its DockerHost's azure.applicationSecurityGroupIds (with azure.subnetId)`,
    ],
    [
      "a member in another virtual network",
      {
        managers: [cloudNode("a", "10.1.0.4", asgFw("nsg-a"))],
        workers: [
          cloudNode(
            "b",
            "10.2.0.4",
            asgFw("nsg-b", ASG, `${NET}/virtualNetworks/other/subnets/hosts`),
          ),
        ],
        firewallTags: { azure: ASG },
      },
      "b",
      `host b is in virtual network ${NET.toLowerCase()}/virtualnetworks/other, host a in ${NET.toLowerCase()}/virtualnetworks/swarm-vnet: an application security group matches the NICs of one virtual network only, so give every member of the swarm a subnet of one virtual network (azure.subnetId)`,
    ],
    [
      "a member advertising another address than its private IP",
      {
        managers: [cloudNode("a", "10.1.0.4", asgFw("nsg-a"))],
        workers: [cloudNode("b", "10.1.0.5", asgFw("nsg-b"))],
        advertiseAddress: { b: "203.0.113.5" },
        firewallTags: { azure: ASG },
      },
      "b",
      "host b advertises 203.0.113.5, not its private IP 10.1.0.5: the application security group of firewallTags.azure matches only its members' private addresses, so the member must advertise its private IP (leave advertiseAddress.b unset for a DockerHost, or set it to 10.1.0.5)",
    ],
  ];
  failing.forEach(([label, args, host, message], i) => {
    it(`fails the deployment for ${label}, naming it, before its rules exist`, async () => {
      const name = `fwazgbad${String(i)}`;
      const e = await swarmError(new DockerSwarm(name, args));
      assert.ok(e.message.endsWith(`DockerSwarm "${name}": ${message}`), e.message);
      await settle();
      assert.deepEqual(
        registeredUnder(name).mine.filter(
          (r) => r.type === AZ_RULE && r.name.startsWith(`${name}-${host}-`),
        ),
        [],
        "the member's rules are not created",
      );
    });
  });

  const refused: [string, Partial<DockerSwarmArgs>, string][] = [
    [
      "a member of another cloud",
      {
        managers: [cloudNode("a", "10.1.0.4", asgFw("nsg-a"))],
        workers: [cloudNode("b", "10.108.0.2", doFw("102"))],
      },
      "workers[0].firewall: firewallTags.azure needs every member to be of kind azure (an application security group matches the private addresses of NICs in one Azure virtual network, which members elsewhere cannot reach), but host b has a digitalocean firewall: leave out firewallTags.azure, or make the swarm of azure hosts only",
    ],
    [
      "a member without a firewall",
      {
        managers: [cloudNode("a", "10.1.0.4", asgFw("nsg-a"))],
        workers: [cloudNode("b", "10.1.0.5")],
      },
      "workers[0].firewall: firewallTags.azure needs every member to be of kind azure (an application security group matches the private addresses of NICs in one Azure virtual network, which members elsewhere cannot reach), but host b has no firewall: leave out firewallTags.azure, or make the swarm of azure hosts only",
    ],
    [
      "a group id that is not one",
      { ...members(2), firewallTags: { azure: "swarm-asg" } },
      'firewallTags.azure: firewallTags.azure must be an application security group\'s resource id (/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.Network/applicationSecurityGroups/NAME), known when the program runs, got "swarm-asg"',
    ],
    [
      "a group id known only later",
      { ...members(2), firewallTags: unsafe({ azure: pulumi.output(ASG) }) },
      "firewallTags.azure: firewallTags.azure must be an application security group's resource id (/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.Network/applicationSecurityGroups/NAME), known when the program runs, got an output",
    ],
  ];
  refused.forEach(([label, args, message], i) => {
    it(`refuses ${label} before any resource`, async () => {
      const name = `fwazgno${String(i)}`;
      const [path, ...rest] = message.split(": ");
      assert.throws(
        () => new DockerSwarm(name, { firewallTags: { azure: ASG }, ...args } as DockerSwarmArgs),
        (e: Error & { propertyPath?: string }) => {
          assert.ok(e.message.endsWith(`DockerSwarm "${name}": ${rest.join(": ")}`), e.message);
          assert.equal(e.propertyPath, path);
          return true;
        },
      );
      await settle();
      assert.equal(registeredUnder(name).mine.length, 0);
    });
  });
});

/** Every rule admits the swarm's group alone (no address, no catch-all), on the swarm ports alone. */
function assertOnlyTheGroup(rules: Registered[]): void {
  assert.ok(rules.length > 0);
  const ports: string[] = [];
  for (const { inputs: i } of rules) {
    assert.deepEqual(i.sourceApplicationSecurityGroups, [{ id: ASG }], "the group, nothing else");
    assert.equal(i.sourceAddressPrefixes, undefined, "no address list");
    assert.equal(i.sourceAddressPrefix, undefined, "no catch-all source");
    assert.equal(i.destinationPortRange, undefined, "no port wildcard");
    assert.deepEqual([i.direction, i.access, i.sourcePortRange], ["Inbound", "Allow", "*"]);
    for (const port of i.destinationPortRanges as string[]) {
      ports.push(`${port}/${String(i.protocol).toLowerCase()}`);
    }
  }
  assert.deepEqual([...new Set(ports)].sort(), PORTS);
  assert.equal(ports.length, rules.length * 2, "two ports a rule");
}
