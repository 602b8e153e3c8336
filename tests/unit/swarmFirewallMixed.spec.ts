import * as assert from "node:assert/strict";
import { DockerHost, EngineInstallMethod, FirewallKind, SwarmNodeArgs } from "../../components";
import { fakeKey, valueOf } from "./helpers/mocks";
import {
  AWS_RULE,
  awsFw,
  awsRule,
  cloudNode,
  deploySwarm,
  doFw,
  FIREWALL_TYPES,
  PORTS,
  installSwarmMocks,
  hostNode,
} from "./helpers/swarmRules";
import { HOST_KEY } from "./helpers/swarmNodes";

// DockerSwarm's firewall rules across kinds: members without a cloud firewall, a swarm mixing aws and
// digitalocean members as it grows, and a DockerHost's firewall output taken as a member's.

describe("DockerSwarm: the swarm ports in a mixed swarm's cloud firewalls (mocks)", () => {
  before(installSwarmMocks);

  it("existing hosts (no firewall, or kind none) get no rule; a single member needs none", async () => {
    const none = await deploySwarm(
      "fwnone",
      {
        managers: [cloudNode("a", "10.0.0.1")],
        workers: [cloudNode("b", "10.0.0.2", { kind: FirewallKind.None })],
      },
      FIREWALL_TYPES,
    );
    assert.deepEqual(none.rules, []);
    const alone = await deploySwarm(
      "fwalone",
      {
        managers: [cloudNode("a", "10.0.0.1", awsFw("a"))],
      },
      FIREWALL_TYPES,
    );
    assert.deepEqual(alone.rules, []);
  });

  it("adding members to a mixed swarm: aws adds attachments (or rules for another kind), digitalocean updates the swarm's one firewall", async () => {
    const before = await deploySwarm(
      "fwgrow1",
      {
        managers: [cloudNode("a", "10.0.0.1", awsFw("a"))],
        workers: [cloudNode("b", "10.0.0.2", doFw("102")), cloudNode("d", "10.0.0.4", doFw("104"))],
      },
      FIREWALL_TYPES,
    );
    const after = await deploySwarm(
      "fwgrow2",
      {
        managers: [cloudNode("a", "10.0.0.1", awsFw("a"))],
        workers: [
          cloudNode("b", "10.0.0.2", doFw("102")),
          cloudNode("d", "10.0.0.4", doFw("104")),
          cloudNode("c", "10.0.0.3", awsFw("c")),
          cloudNode("e", "10.0.0.5", doFw("105")),
        ],
      },
      FIREWALL_TYPES,
    );
    const strip = (x: unknown) => JSON.stringify(x).replace(/fwgrow[12]/g, "SWARM");
    const byName = (d: typeof before, swarm: string) =>
      Object.fromEntries(d.rules.map((r) => [r.name.replace(`${swarm}-`, ""), r.inputs]));
    const was = byName(before, "fwgrow1");
    const is = byName(after, "fwgrow2");
    // AWS: c's attachment, and e (of another kind) admitted on the swarm's group by four rules of its own.
    // DigitalOcean: the swarm's one firewall now also applies to and admits e's Droplet, and admits c's address.
    assert.deepEqual(
      Object.keys(is)
        .filter((k) => !(k in was))
        .sort(),
      ["c-swarm-group", ...PORTS.map((p) => `swarm-group-from-e-${p.replace("/", "-")}`)].sort(),
    );
    const changed = Object.keys(was).filter((k) => strip(is[k]) !== strip(was[k]));
    assert.deepEqual(changed, ["firewall"]);
    const sources = (x: Record<string, unknown> | undefined) =>
      (x?.inboundRules as Record<string, unknown>[] | undefined)?.[0];
    assert.deepEqual(sources(was.firewall), {
      protocol: "tcp",
      portRange: "2377",
      sourceDropletIds: [102, 104],
      sourceAddresses: ["10.0.0.1/32"],
    });
    assert.deepEqual(sources(is.firewall), {
      protocol: "tcp",
      portRange: "2377",
      sourceDropletIds: [102, 104, 105],
      sourceAddresses: ["10.0.0.1/32", "10.0.0.3/32"],
    });
    assert.deepEqual(is.firewall?.dropletIds, [102, 104, 105]);
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
    const node = hostNode;
    const d = await deploySwarm(
      "fwh",
      {
        managers: [node(aws, "a")],
        workers: [node(existing, "b")],
      },
      FIREWALL_TYPES,
    );
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
});
