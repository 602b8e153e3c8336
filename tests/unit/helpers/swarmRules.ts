import * as assert from "node:assert/strict";
import {
  DockerHost,
  DockerSwarm,
  DockerSwarmArgs,
  FirewallKind,
  SwarmNodeArgs,
} from "../../../components";
import { SWARM_PORTS } from "../../../components/machines/swarmPorts";
import { installCloudMocks, seenOptions } from "./cloud";
import { Registered, registeredUnder, settle, stepStdout, valueOf } from "./mocks";
import { dataNode, HOST_KEY } from "./swarmNodes";

// What the swarm-rule suites of the cloud sources share: a member given as data with a cloud firewall, and a
// DockerSwarm deployed under mocks with the rules of given types and each resource's dependencies; and for the
// aws, digitalocean and azure suites, their firewalls as data, their rule types and a check that the rules admit
// only the members.

/** A host given as data, its public address derived from its private one, with a cloud firewall as data. */
export const cloudNode = (name: string, privateIp: string, firewall?: SwarmNodeArgs["firewall"]) =>
  dataNode(name, `203.0.113.${privateIp.split(".").pop() ?? "1"}`, privateIp, firewall);

/** An AWS member's firewall as data: its group and interface named after the host. */
export const awsFw = (host: string, vpcId = "vpc-1", region = "eu-west-1") => ({
  kind: FirewallKind.Aws,
  securityGroupId: `sg-${host}`,
  networkInterfaceId: `eni-${host}`,
  vpcId,
  region,
});
/** A DigitalOcean member's firewall as data: its Droplet, and the tags it carries if given. */
export const doFw = (id: string, tags?: string) => ({
  kind: FirewallKind.DigitalOcean,
  dropletId: id,
  ...(tags !== undefined ? { dropletTags: tags } : {}),
});
/** An Azure member's firewall as data: its network security group, in a resource group named after it. */
export const azFw = (nsg: string) => ({
  kind: FirewallKind.Azure,
  resourceGroupName: `${nsg}-rg`,
  networkSecurityGroupName: nsg,
});

export const AWS_GROUP = "aws:ec2/securityGroup:SecurityGroup";
export const AWS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
export const AWS_ATTACHMENT =
  "aws:ec2/networkInterfaceSecurityGroupAttachment:NetworkInterfaceSecurityGroupAttachment";
export const DO_FIREWALL = "digitalocean:index/firewall:Firewall";
export const AZ_RULE = "azure-native:network:SecurityRule";
/** The types of what a swarm adds to its aws, digitalocean and azure members' firewalls. */
export const FIREWALL_TYPES = [AWS_GROUP, AWS_RULE, AWS_ATTACHMENT, DO_FIREWALL, AZ_RULE];
/** The swarm's four port/protocol pairs, as `PORT/PROTO`, sorted. */
export const PORTS = SWARM_PORTS.map((p) => `${String(p.port)}/${p.protocol}`).sort();

/** Deploys a DockerSwarm under mocks: its resources, those of `ruleTypes`, and a resource's dependencies. */
export async function deploySwarm(name: string, args: DockerSwarmArgs, ruleTypes: string[]) {
  const swarm = new DockerSwarm(name, args);
  await valueOf(swarm.nodes);
  await settle();
  const { mine, byName } = registeredUnder(name);
  const rules = mine.filter((r) => ruleTypes.includes(r.type));
  /** Its resources of one type. */
  const ofType = (type: string) => mine.filter((r) => r.type === type);
  /** The names of what `NAME-suffix` depends on, sorted. */
  const dependencies = (suffix: string) => {
    const seen = seenOptions.get(`${name}-${suffix}`);
    assert.ok(seen, `options of ${name}-${suffix} were seen`);
    return seen.dependencies.map((urn) => urn.slice(urn.lastIndexOf("::") + 2)).sort();
  };
  return { swarm, mine, byName, rules, ofType, dependencies };
}

/** The error a swarm's deployment fails with (its nodes output rejects). */
export async function swarmError(swarm: DockerSwarm): Promise<Error> {
  try {
    await (swarm.nodes as unknown as { promise(): Promise<unknown> }).promise();
  } catch (e) {
    return e as Error;
  }
  assert.fail("the deployment succeeded");
}

/** An AWS rule as `PORT/PROTO from SOURCE into GROUP` (SOURCE: a range, or `group G`). */
export const awsRule = (r: Registered) => {
  const i = r.inputs;
  const from =
    i.referencedSecurityGroupId !== undefined
      ? `group ${i.referencedSecurityGroupId as string}`
      : String(i.cidrIpv4 ?? i.cidrIpv6);
  return `${String(i.fromPort)}/${String(i.ipProtocol)} from ${from} into ${String(i.securityGroupId)}`;
};

/**
 * Nothing the swarm adds admits anything but its members, on anything but the swarm's ports: every source is the
 * swarm's own group, a member's Droplet, or a member's advertise address as a single address.
 */
export function assertOnlyMembers(
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

/** The cloud mocks, with a join step that answers as a swarm's first manager does. */
export async function installSwarmMocks(): Promise<void> {
  await installCloudMocks();
  stepStdout.join =
    "cluster-id: c\nnode-id: n\nmanager-address: 10.0.0.1:2377\nworker-token: SWMTKN-1-x-w\nmanager-token: SWMTKN-1-x-m";
}

/** A DockerHost as a member by its outputs, its mocked host key (no valid key) replaced by a well-formed one. */
export const hostNode = (host: DockerHost, name: string): SwarmNodeArgs => ({
  name,
  dockerHost: host.dockerHost,
  address: host.address,
  privateIp: host.privateIp,
  sshUser: host.sshUser,
  sshPrivateKey: host.sshPrivateKey,
  sshHostKey: HOST_KEY,
  firewall: host.firewall,
});
