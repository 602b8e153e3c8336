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

// DockerSwarm on digitalocean members: one firewall for the whole swarm (issue 17's constant admission on
// DigitalOcean), applied to up to 10 members' Droplets by ID, or with `firewallTags.digitalocean` to a tag the
// members' Droplets carry, which no member joining or leaving changes.

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

  it("without firewallTags, one firewall by Droplet ID under the same name: adding the tag updates it in place", async () => {
    const d = await deploySwarm("fwdoper", members(4), [FIREWALL]);
    assert.deepEqual(
      d.rules.map((r) => r.name),
      ["fwdoper-firewall"],
    );
    assert.deepEqual(d.rules[0]?.inputs.dropletIds, [700, 701, 702, 703]);
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

describe("DockerSwarm: one firewall by Droplet ID for up to 10 digitalocean members (mocks)", () => {
  before(installSwarmMocks);

  it("one firewall on the members' Droplets, the four swarm ports from those Droplets and from members of another kind only", async () => {
    const d = await deploySwarm(
      "fwdo",
      {
        managers: [cloudNode("a", "10.108.0.1", doFw("101"))],
        workers: [cloudNode("b", "10.108.0.2", doFw("102")), cloudNode("c", "10.108.0.3")],
      },
      FIREWALL_TYPES,
    );
    assert.deepEqual(
      d.rules.map((r) => r.name),
      ["fwdo-firewall"],
    );
    const firewall = d.byName("firewall").inputs;
    assert.deepEqual(firewall.dropletIds, [101, 102]);
    assert.equal(firewall.tags, undefined, "applied by ID, not by a tag");
    assert.deepEqual(
      firewall.inboundRules,
      SWARM_PORTS.map(({ port, protocol }) => ({
        protocol,
        portRange: String(port),
        sourceDropletIds: [101, 102],
        sourceAddresses: ["10.108.0.3/32"],
      })),
    );
    assertOnlyMembers(d.rules, { ranges: ["10.108.0.3/32"], droplets: [101, 102] });
    for (const host of ["a", "b", "c"]) {
      assert.ok(d.dependencies(`${host}-join`).includes("fwdo-firewall"), `${host} joins after it`);
    }
  });

  it("one firewall of four rules whatever N up to 10: a member joining changes that firewall and no other resource", async function () {
    // Swarms of up to 10 members under mocks: slow on a loaded machine, not a measure of anything.
    this.timeout(120000);
    const swarmOf = (n: number) => {
      const nodes = Array.from({ length: n }, (_, i) =>
        cloudNode(`m${String(i)}`, `10.108.1.${String(i + 1)}`, doFw(String(500 + i))),
      );
      return { managers: nodes.slice(0, 3), workers: nodes.slice(3) };
    };
    for (const n of [2, 5, 9]) {
      const before = await deploySwarm(`fwdon${String(n)}`, swarmOf(n), FIREWALL_TYPES);
      const after = await deploySwarm(`fwdon${String(n)}j`, swarmOf(n + 1), FIREWALL_TYPES);
      for (const [d, size] of [
        [before, n],
        [after, n + 1],
      ] as const) {
        assert.equal(d.rules.length, 1, `one firewall for ${String(size)} members`);
        const ids = Array.from({ length: size }, (_, i) => 500 + i);
        const firewall = d.rules[0]?.inputs ?? {};
        assert.deepEqual(firewall.dropletIds, ids);
        const inbound = firewall.inboundRules as { sourceDropletIds: number[] }[];
        assert.equal(inbound.length, 4);
        for (const r of inbound) assert.deepEqual(r.sourceDropletIds, ids);
        assertOnlyMembers(d.rules, { ranges: [], droplets: ids });
      }
      assert.deepEqual(
        after.rules.map((r) => r.name.replace(/^fwdon\d+j?-/, "")),
        before.rules.map((r) => r.name.replace(/^fwdon\d+j?-/, "")),
        "the same one firewall, updated in place",
      );
    }
  });

  it("refuses more than 10 members without firewallTags.digitalocean, before any resource, saying what to do", () => {
    const nodes = Array.from({ length: 11 }, (_, i) =>
      cloudNode(`m${String(i)}`, `10.108.3.${String(i + 1)}`, doFw(String(900 + i))),
    );
    assert.throws(
      () => new DockerSwarm("fwdo11", { managers: nodes.slice(0, 3), workers: nodes.slice(3) }),
      (e: Error) => {
        assert.ok(
          e.message.endsWith(
            `DockerSwarm "fwdo11": 11 members have a digitalocean firewall, more than the 10 the swarm can admit without firewallTags.digitalocean: a DigitalOcean firewall applies to at most 10 Droplets by ID: add one tag to each member DockerHost's digitalocean.tags and name it in firewallTags.digitalocean`,
          ),
          e.message,
        );
        return true;
      },
    );
    assert.equal(registeredUnder("fwdo11").mine.length, 0);
  });
});
