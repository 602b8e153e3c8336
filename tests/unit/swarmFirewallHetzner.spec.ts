import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { DockerHost, DockerSwarm, FirewallKind } from "../../components";
import { hetznerName } from "../../components/machines/hetzner/names";
import { seenOptions } from "./helpers/cloud";
import { registeredUnder, settle, valueOf } from "./helpers/mocks";
import {
  cloudNode,
  deploySwarm,
  swarmError,
  installSwarmMocks,
  hostNode,
} from "./helpers/swarmRules";

const unsafe = (value: unknown) => value as never; // what a YAML or Python caller can send
const FIREWALL = "hcloud:index/firewall:Firewall";
const ATTACHMENT = "hcloud:index/firewallAttachment:FirewallAttachment";
const hzFw = (id: string) => ({ kind: FirewallKind.Hetzner, serverId: id });
/** The mocks' id of a Hetzner firewall (helpers/cloudMocks.ts). */
const FIREWALL_ID = 5151;

describe("DockerSwarm: the swarm ports on hetzner members (mocks)", () => {
  before(installSwarmMocks);

  it("one firewall for the whole swarm, the ports from every member, applied to the hetzner members' servers", async () => {
    const d = await deploySwarm(
      "fwhz",
      {
        managers: [cloudNode("a", "10.0.1.1", hzFw("101"))],
        workers: [cloudNode("b", "10.0.1.2", hzFw("102")), cloudNode("c", "10.0.1.3")],
      },
      [FIREWALL, ATTACHMENT],
    );
    assert.deepEqual(d.rules.map((r) => r.name).sort(), [
      "fwhz-hetzner-swarm",
      "fwhz-hetzner-swarm-attachment",
    ]);
    const firewall = d.byName("hetzner-swarm").inputs;
    assert.equal(firewall.name, `${hetznerName("fwhz", "project/stack/fwhz")}-swarm`);
    assert.deepEqual(firewall.labels, { "docker-swarm": "fwhz", "managed-by": "pulumi" });
    assert.equal(firewall.applyTos, undefined, "applied by the attachment");
    const from = ["10.0.1.1/32", "10.0.1.2/32", "10.0.1.3/32"];
    const rules = firewall.rules as Record<string, unknown>[];
    assert.deepEqual(
      rules.map((r) => [r.direction, r.protocol, r.port, r.sourceIps]),
      [
        ["in", "tcp", "2377", from],
        ["in", "tcp", "7946", from],
        ["in", "udp", "7946", from],
        ["in", "udp", "4789", from],
      ],
    );
    assert.equal(
      rules[0]?.description,
      "DockerSwarm project/stack/fwhz: cluster management from its members",
    );
    assert.ok(!JSON.stringify(rules).includes('"out"'), "no outbound rule: outbound stays open");
    assert.deepEqual(d.byName("hetzner-swarm-attachment").inputs, {
      firewallId: FIREWALL_ID,
      serverIds: [101, 102],
    });
    for (const r of d.rules) {
      assert.match(seenOptions.get(r.name)?.urn ?? "", /::docker-host:index:DockerSwarm\$hcloud:/);
    }
    for (const host of ["a", "b", "c"]) {
      const deps = d.dependencies(`${host}-join`);
      assert.ok(deps.includes("fwhz-hetzner-swarm"), `${host} joins after the firewall`);
      assert.ok(
        deps.includes("fwhz-hetzner-swarm-attachment"),
        `${host} joins after the attachment`,
      );
    }
  });

  it("stays one firewall and one attachment as the swarm grows", async () => {
    const big = await deploySwarm(
      "fwhz-b",
      {
        managers: [cloudNode("a", "10.0.1.1", hzFw("101"))],
        workers: ["2", "3", "4", "5"].map((n) => cloudNode(`w${n}`, `10.0.1.${n}`, hzFw(`10${n}`))),
      },
      [FIREWALL, ATTACHMENT],
    );
    assert.equal(big.rules.length, 2, "constant per swarm, whatever its size");
    assert.deepEqual(
      big.byName("hetzner-swarm-attachment").inputs.serverIds,
      [101, 102, 103, 104, 105],
    );
  });

  it("takes a hetzner DockerHost's firewall output as it is; IPv6 advertise addresses are /128", async () => {
    const host = new DockerHost("fwhzhost", {
      hetzner: {},
      allowedCidrs: ["198.51.100.0/24"],
      engine: { liveRestore: false },
    });
    assert.equal(host.firewall.kind, FirewallKind.Hetzner);
    assert.equal(await valueOf(host.firewall.serverId), "4343");
    const node = hostNode(host, "a");
    const d = await deploySwarm(
      "fwhzh",
      {
        managers: [node],
        workers: [cloudNode("b", "10.0.1.9")],
        advertiseAddress: { b: "2001:db8::9" },
      },
      [FIREWALL, ATTACHMENT],
    );
    assert.deepEqual(d.byName("hetzner-swarm-attachment").inputs.serverIds, [4343]);
    const rules = d.byName("hetzner-swarm").inputs.rules as { sourceIps: string[] }[];
    assert.ok(rules[0]?.sourceIps.includes("2001:db8::9/128"));
  });

  it("rejects a hetzner firewall without its server before any resource exists", async () => {
    assert.throws(
      () =>
        new DockerSwarm("fwhzbad", {
          managers: [cloudNode("a", "10.0.0.1", unsafe({ kind: "hetzner" }))],
        }),
      {
        message:
          'DockerSwarm "fwhzbad": managers[0].firewall.serverId is required for a firewall of kind hetzner',
      },
    );
    await settle();
    assert.deepEqual(registeredUnder("fwhzbad").mine, []);
  });

  it("fails the deployment, naming the host, for a server ID that is not a number", async () => {
    const swarm = new DockerSwarm("fwhzlater", {
      managers: [
        cloudNode("a", "10.0.1.1", unsafe({ kind: "hetzner", serverId: pulumi.output("web") })),
      ],
      workers: [cloudNode("b", "10.0.1.2")],
    });
    const error = await swarmError(swarm);
    const expected =
      'DockerSwarm "fwhzlater": managers[0].firewall.serverId must be a Hetzner server ID (digits), got "web"';
    assert.ok(error.message.endsWith(expected), error.message);
  });
});
