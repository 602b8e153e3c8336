import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { DockerHost, DockerSwarm, FirewallKind, SwarmNodeArgs } from "../../components";
import { gceName } from "../../components/machines/gcp/names";
import { seenOptions } from "./helpers/cloud";
import { GCP_PROJECT, gcpNetworkLink } from "./helpers/cloudMocks";
import { registeredUnder, settle, valueOf } from "./helpers/mocks";
import {
  cloudNode,
  deploySwarm,
  swarmError,
  installSwarmMocks,
  hostNode,
} from "./helpers/swarmRules";

const unsafe = (value: unknown) => value as never; // what a YAML or Python caller can send
const FIREWALL = "gcp:compute/firewall:Firewall";
const gcpFw = (tag: string, network = "default", project = "p-123456") => ({
  kind: FirewallKind.Gcp,
  project,
  network,
  targetTag: tag,
});

describe("DockerSwarm: the swarm ports on gcp members (mocks)", () => {
  before(installSwarmMocks);

  it("one rule for the whole swarm: the swarm ports from every member, aimed at the gcp members' tags", async () => {
    const d = await deploySwarm(
      "fwgce",
      {
        managers: [cloudNode("a", "10.128.0.1", gcpFw("tag-a"))],
        workers: [cloudNode("b", "10.128.0.2", gcpFw("tag-b")), cloudNode("c", "10.128.0.3")],
      },
      [FIREWALL],
    );
    assert.deepEqual(
      d.rules.map((r) => r.name),
      ["fwgce-gcp-swarm"],
    );
    const rule = d.byName("gcp-swarm").inputs;
    assert.deepEqual(
      [rule.name, rule.project, rule.network, rule.direction, rule.priority],
      [`${gceName("fwgce", "project/stack/fwgce")}-swarm`, "p-123456", "default", "INGRESS", 1000],
    );
    assert.deepEqual(rule.sourceRanges, ["10.128.0.1/32", "10.128.0.2/32", "10.128.0.3/32"]);
    assert.deepEqual(rule.targetTags, ["tag-a", "tag-b"], "only the gcp members' own tags");
    assert.deepEqual(rule.allows, [
      { protocol: "tcp", ports: ["2377", "7946"] },
      { protocol: "udp", ports: ["7946", "4789"] },
    ]);
    assert.equal(rule.denies, undefined);
    assert.equal(
      rule.description,
      "DockerSwarm project/stack/fwgce: 2377/tcp, 7946/tcp, 7946/udp, 4789/udp from its members",
    );
    assert.match(
      seenOptions.get("fwgce-gcp-swarm")?.urn ?? "",
      /::docker-host:index:DockerSwarm\$gcp:compute/,
    );
    for (const host of ["a", "b", "c"]) {
      assert.ok(
        d.dependencies(`${host}-join`).includes("fwgce-gcp-swarm"),
        `${host} joins after it`,
      );
    }
  });

  it("stays one rule as the swarm grows: a new member updates its sources and tags", async () => {
    const small = await deploySwarm(
      "fwgce-s",
      {
        managers: [cloudNode("a", "10.128.0.1", gcpFw("tag-a"))],
        workers: [cloudNode("b", "10.128.0.2", gcpFw("tag-b"))],
      },
      [FIREWALL],
    );
    const big = await deploySwarm(
      "fwgce-b",
      {
        managers: [cloudNode("a", "10.128.0.1", gcpFw("tag-a"))],
        workers: ["b", "c", "d", "e"].map((h, i) =>
          cloudNode(h, `10.128.0.${String(i + 2)}`, gcpFw(`tag-${h}`)),
        ),
      },
      [FIREWALL],
    );
    assert.equal(small.rules.length, 1);
    assert.equal(big.rules.length, 1, "constant per swarm, whatever its size");
    assert.deepEqual(big.byName("gcp-swarm").inputs.targetTags, [
      "tag-a",
      "tag-b",
      "tag-c",
      "tag-d",
      "tag-e",
    ]);
    assert.equal((big.byName("gcp-swarm").inputs.sourceRanges as string[]).length, 5);
  });

  it("takes a gcp DockerHost's firewall output as it is", async () => {
    const host = new DockerHost("fwgcehost", {
      gcp: {},
      allowedCidrs: ["198.51.100.0/24"],
      engine: { liveRestore: false },
    });
    assert.equal(host.firewall.kind, FirewallKind.Gcp);
    const node = (name: string): SwarmNodeArgs => hostNode(host, name);
    const d = await deploySwarm(
      "fwgceh",
      { managers: [node("a")], workers: [cloudNode("b", "10.128.0.9")] },
      [FIREWALL],
    );
    const rule = d.byName("gcp-swarm").inputs;
    const tag = gceName("fwgcehost", "project/stack/fwgcehost");
    assert.deepEqual(
      [rule.project, rule.network, rule.targetTags],
      [GCP_PROJECT, gcpNetworkLink(GCP_PROJECT, "default"), [tag]],
    );
    assert.equal(await valueOf(host.firewall.targetTag), tag);
  });

  const later: [string, () => DockerSwarm, string][] = [
    [
      "gcp members in different networks",
      () =>
        new DockerSwarm("fwgcelater0", {
          managers: [cloudNode("a", "10.128.0.1", gcpFw("tag-a", "default"))],
          workers: [
            cloudNode("b", "10.128.0.2", gcpFw("tag-b", "projects/p-123456/global/networks/prod")),
          ],
        }),
      "hosts a and b are in different GCE networks (p-123456/default, p-123456/prod): the swarm's firewall rule lives in one network, so every gcp member needs the same gcp.network",
    ],
    [
      "members advertising IPv4 and IPv6",
      () =>
        new DockerSwarm("fwgcelater1", {
          managers: [cloudNode("a", "10.128.0.1", gcpFw("tag-a"))],
          workers: [cloudNode("b", "10.128.0.2")],
          advertiseAddress: { b: "2001:db8::2" },
        }),
      "host b advertises 2001:db8::2 and host a 10.128.0.1: a GCE firewall rule holds one address family, so the members of a swarm with gcp hosts must all advertise IPv4 or all IPv6 addresses",
    ],
    [
      "a target tag GCE would refuse",
      () =>
        new DockerSwarm("fwgcelater2", {
          managers: [
            cloudNode(
              "a",
              "10.128.0.1",
              unsafe({ ...gcpFw("x"), targetTag: pulumi.output("Web_1") }),
            ),
          ],
          workers: [cloudNode("b", "10.128.0.2")],
        }),
      `managers[0].firewall.targetTag must be a network tag (lowercase letters, digits and inner '-', starting with a letter), got "Web_1"`,
    ],
  ];
  later.forEach(([label, make, message], i) => {
    it(`fails the deployment, naming the hosts, for ${label}`, async () => {
      const error = await swarmError(make());
      const expected = `DockerSwarm "fwgcelater${String(i)}": ${message}`;
      assert.ok(error.message.endsWith(expected), error.message);
    });
  });

  it("rejects a gcp firewall without its tag before any resource exists", async () => {
    assert.throws(
      () =>
        new DockerSwarm("fwgcebad", {
          managers: [
            cloudNode(
              "a",
              "10.0.0.1",
              unsafe({ kind: "gcp", project: "p-123456", network: "default" }),
            ),
          ],
        }),
      {
        message:
          'DockerSwarm "fwgcebad": managers[0].firewall.targetTag is required for a firewall of kind gcp',
      },
    );
    await settle();
    assert.deepEqual(registeredUnder("fwgcebad").mine, []);
  });
});
