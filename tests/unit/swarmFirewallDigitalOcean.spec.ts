import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { DockerHost, DockerSwarm, DockerSwarmArgs } from "../../components";
import { SWARM_PORTS } from "../../components/machines/swarmPorts";
import { seenOptions } from "./helpers/cloud";
import { registeredUnder, settle, valueOf } from "./helpers/mocks";
import {
  assertOnlyMembers,
  cloudNode,
  deploySwarm,
  doFw,
  FIREWALL_TYPES,
  swarmError,
  installSwarmMocks,
} from "./helpers/swarmRules";

// DockerSwarm on digitalocean members: by default a firewall of the swarm's per member, on its Droplet; with
// `firewallTags.digitalocean`, one firewall for the whole swarm on a tag the members' Droplets carry, which no
// member joining or leaving changes (issue 17's constant admission on DigitalOcean).

const unsafe = (value: unknown) => value as never; // what a YAML or Python caller can send
const FIREWALL = "digitalocean:index/firewall:Firewall";
const TAG = "swarm-prod";
/** N DigitalOcean members carrying the tag, the first three managers. */
function members(n: number): Pick<DockerSwarmArgs, "managers" | "workers"> {
  const nodes = Array.from({ length: n }, (_, i) =>
    cloudNode(
      `m${String(i)}`,
      `10.108.2.${String(i + 1)}`,
      doFw(String(700 + i), `docker-host,${TAG},docker-host:m${String(i)}`),
    ),
  );
  return { managers: nodes.slice(0, 3), workers: nodes.slice(3) };
}

describe("DockerSwarm: one firewall on a tag the digitalocean members carry (mocks)", () => {
  before(installSwarmMocks);

  it("one firewall applied to the tag, the four swarm ports from the tag and from members of another kind only", async () => {
    const d = await deploySwarm(
      "fwdot",
      {
        managers: [cloudNode("a", "10.108.0.1", doFw("101", `docker-host,${TAG}`))],
        workers: [cloudNode("b", "10.108.0.2", doFw("102")), cloudNode("c", "10.108.0.3")],
        firewallTags: { digitalocean: TAG },
      },
      [FIREWALL],
    );
    assert.deepEqual(
      d.rules.map((r) => r.name),
      ["fwdot-firewall"],
    );
    const firewall = d.rules[0]?.inputs ?? {};
    assert.deepEqual(firewall.tags, [TAG]);
    assert.equal(firewall.dropletIds, undefined, "applied by the tag, not by ID");
    assert.deepEqual(
      firewall.inboundRules,
      SWARM_PORTS.map(({ port, protocol }) => ({
        protocol,
        portRange: String(port),
        sourceTags: [TAG],
        sourceAddresses: ["10.108.0.3/32"],
      })),
    );
    assert.equal(firewall.outboundRules, undefined, "outbound stays DockerHost's");
    assert.match(seenOptions.get("fwdot-firewall")?.urn ?? "", /::docker-host:index:DockerSwarm\$/);
    for (const host of ["a", "b", "c"]) {
      assert.ok(
        d.dependencies(`${host}-join`).includes("fwdot-firewall"),
        `${host} joins after it`,
      );
    }
  });

  it("the same single firewall whatever N: a member joining or leaving changes no firewall", async function () {
    // Swarms of up to 40 members under mocks: slow on a loaded machine, not a measure of anything.
    this.timeout(120000);
    const seen: unknown[] = [];
    for (const n of [2, 5, 6, 40]) {
      const d = await deploySwarm(
        `fwdotn${String(n)}`,
        { ...members(n), firewallTags: { digitalocean: TAG } },
        [FIREWALL],
      );
      assert.equal(d.rules.length, 1, `one firewall for ${String(n)} members`);
      seen.push(d.rules[0]?.inputs);
    }
    for (const inputs of seen.slice(1)) assert.deepEqual(inputs, seen[0]);
  });

  it("without firewallTags, the firewall of the swarm's per member as before", async () => {
    const d = await deploySwarm("fwdoper", members(4), [FIREWALL]);
    assert.equal(d.rules.length, 4);
  });

  it("a member whose Droplet lacks the tag fails the deployment, naming it and where to add the tag", async () => {
    const swarm = new DockerSwarm("fwdomiss", {
      managers: [cloudNode("a", "10.108.0.1", doFw("101", `docker-host,${TAG}`))],
      workers: [cloudNode("b", "10.108.0.2", doFw("102", "docker-host,docker-host:b"))],
      firewallTags: { digitalocean: TAG },
    });
    const e = await swarmError(swarm);
    assert.ok(
      e.message.endsWith(
        `DockerSwarm "fwdomiss": host b's Droplet does not carry the tag "${TAG}" of firewallTags.digitalocean (it carries docker-host, docker-host:b), so the swarm's firewall would not admit it: add "${TAG}" to its DockerHost's digitalocean.tags`,
      ),
      e.message,
    );
    await settle();
    assert.deepEqual(
      registeredUnder("fwdomiss").mine.filter((r) => r.type === FIREWALL),
      [],
      "no firewall is created",
    );
  });

  const refused: [string, unknown, string][] = [
    [
      "a kind that takes no tag",
      { aws: TAG },
      'firewallTags names "aws": only digitalocean, azure can hold a swarm\'s firewall on a tag',
    ],
    [
      "a tag DigitalOcean refuses",
      { digitalocean: "swarm prod" },
      "firewallTags.digitalocean must be a Droplet tag (letters, digits, ':', '-', '_', at most 255), known when the program runs, got \"swarm prod\"",
    ],
    [
      "a tag known only later",
      { digitalocean: pulumi.output(TAG) },
      "firewallTags.digitalocean must be a Droplet tag (letters, digits, ':', '-', '_', at most 255), known when the program runs, got an output",
    ],
    [
      "a list",
      [TAG],
      'firewallTags must be a map from a firewall kind to a tag, known when the program runs, got ["swarm-prod"]',
    ],
  ];
  for (const [label, firewallTags, message] of refused) {
    it(`refuses ${label} before any resource`, () => {
      const name = `fwdobad${String(refused.findIndex(([l]) => l === label))}`;
      assert.throws(
        () => new DockerSwarm(name, { ...members(2), firewallTags: unsafe(firewallTags) }),
        (e: Error) => {
          assert.ok(e.message.endsWith(`DockerSwarm "${name}": ${message}`), e.message);
          return true;
        },
      );
      assert.equal(registeredUnder(name).mine.length, 0);
    });
  }

  it("a DigitalOcean DockerHost's firewall output lists its Droplet's tags, the user's among them", async () => {
    const host = new DockerHost("fwdotags", {
      digitalocean: { tags: [TAG, "team:web"] },
      allowedCidrs: ["198.51.100.0/24"],
      engine: { liveRestore: false },
    });
    const tags = (await valueOf(host.firewall.dropletTags)).split(",");
    await settle();
    assert.ok(
      tags.includes(TAG) && tags.includes("team:web") && tags.includes("docker-host"),
      tags.join(),
    );
    const droplet = registeredUnder("fwdotags").byName("vm").inputs;
    assert.deepEqual(droplet.tags, tags, "the tags the Droplet is given");
  });
});

describe("DockerSwarm: a firewall of the swarm's per digitalocean member (mocks)", () => {
  before(installSwarmMocks);

  it("digitalocean: a firewall of the swarm's per member, on its Droplet, the ports from the other members' Droplets", async () => {
    const d = await deploySwarm(
      "fwdo",
      {
        managers: [cloudNode("a", "10.108.0.1", doFw("101"))],
        workers: [cloudNode("b", "10.108.0.2", doFw("102")), cloudNode("c", "10.108.0.3")],
      },
      FIREWALL_TYPES,
    );
    assert.deepEqual(d.rules.map((r) => r.name).sort(), ["fwdo-a-firewall", "fwdo-b-firewall"]);
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
    assertOnlyMembers(d.rules, { ranges: ["10.108.0.3/32"], droplets: [101, 102] });
    // Every join reaches the managers: a manager's firewall concerns everyone, a worker's only its worker.
    assert.deepEqual(d.dependencies("c-join"), ["fwdo-a-firewall", "fwdo-a-join", "fwdo-c-remove"]);
    assert.deepEqual(d.dependencies("b-join"), [
      "fwdo-a-firewall",
      "fwdo-a-join",
      "fwdo-b-firewall",
      "fwdo-b-remove",
    ]);
  });

  it("digitalocean: four rules on every firewall whatever N; sources only the other members", async function () {
    // Swarms of up to 40 members under mocks: slow on a loaded machine, not a measure of anything.
    this.timeout(120000);
    for (const n of [2, 5, 12, 40]) {
      const nodes = Array.from({ length: n }, (_, i) =>
        cloudNode(`m${String(i)}`, `10.108.1.${String(i + 1)}`, doFw(String(500 + i))),
      );
      const d = await deploySwarm(
        `fwdon${String(n)}`,
        {
          managers: nodes.slice(0, 3),
          workers: nodes.slice(3),
        },
        FIREWALL_TYPES,
      );
      assert.equal(d.rules.length, n, "one firewall per member");
      const ids = nodes.map((_, i) => 500 + i);
      for (const [i, f] of d.rules.entries()) {
        const inbound = f.inputs.inboundRules as { sourceDropletIds: number[] }[];
        assert.equal(inbound.length, 4);
        for (const r of inbound) {
          assert.deepEqual(
            r.sourceDropletIds,
            ids.filter((id) => id !== 500 + i),
          );
        }
      }
      assertOnlyMembers(d.rules, { ranges: [], droplets: ids });
    }
  });
});
