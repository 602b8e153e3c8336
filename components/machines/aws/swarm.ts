import * as pulumi from "@pulumi/pulumi";
import { InputError } from "../../inputs";
import { awsSdk } from "./sdk";
import { membersOfOtherKinds, SwarmMembers, SwarmRules } from "../source";
import { SWARM_PORTS, swarmRuleDescription } from "../swarmPorts";

/** Where the AWS members are: their one VPC, and their one region (undefined: the provider's). */
export interface AwsPlacement {
  vpcId: string;
  region: string | undefined;
}

/**
 * The one VPC and region of a swarm's AWS members, or an InputError naming the hosts in each: a security group
 * that admits its own members works within one VPC, and a VPC is in one region. An empty region is the AWS
 * provider's and goes with any other.
 */
export function awsPlacement(
  swarmName: string,
  members: { name: string; where: string; vpcId: string; region: string }[],
): AwsPlacement {
  const groups = (key: "vpcId" | "region") => {
    const by = new Map<string, string[]>();
    for (const m of members) {
      const value = m[key].trim();
      if (key === "region" && value === "") continue;
      by.set(value, [...(by.get(value) ?? []), m.name]);
    }
    return by;
  };
  for (const [key, what, why] of [
    ["region", "region", "a VPC, and so the swarm's security group, is in one region"],
    [
      "vpcId",
      "VPC",
      "the swarm's security group admits its members from itself, which works within one VPC",
    ],
  ] as const) {
    const by = groups(key);
    if (by.size > 1) {
      const [first] = by.keys();
      const odd = members.find((m) => m[key].trim() !== "" && m[key].trim() !== first);
      const list = [...by].map(([value, names]) => `${names.join(", ")} in ${value}`).join("; ");
      throw new InputError(
        `${odd?.where ?? "managers[0]"}.firewall.${key}`,
        `DockerSwarm "${swarmName}": the AWS members must share one ${what} (${why}): ${list}`,
      );
    }
  }
  const region = [...groups("region").keys()][0];
  return { vpcId: members[0]?.vpcId.trim() ?? "", region };
}

/**
 * The address an AWS member advertises must be its private IPv4 address (when the swarm knows it): a rule that
 * admits a security group matches the private addresses of its members' network interfaces only, never a public
 * or Elastic IP.
 */
export function checkAwsAdvertise(
  swarmName: string,
  member: string,
  range: string,
  privateIp: string,
): void {
  const address = range.replace(/\/\d+$/, "");
  if (privateIp.trim() === "" || address.includes(":") || address === privateIp.trim()) return;
  throw new InputError(
    `advertiseAddress.${member}`,
    `DockerSwarm "${swarmName}": host ${member} advertises ${address}, not its private IP ${privateIp.trim()}: the AWS members admit each other through the swarm's security group, which matches their private addresses only; advertise the private IP (the default: leave advertiseAddress.${member} unset)`,
  );
}

/**
 * One security group for the swarm, SWARM-swarm-group, in the members' VPC: one ingress rule per swarm port that
 * admits the group itself (SWARM-swarm-group-PORT-PROTO, `referencedSecurityGroupId`), and for each member of
 * another kind (an existing host, another cloud) one rule per port from its advertise address
 * (SWARM-swarm-group-from-HOST-PORT-PROTO). Each AWS member's primary network interface gets the group
 * (SWARM-HOST-swarm-group, a `NetworkInterfaceSecurityGroupAttachment`) beside the host's own group. Whatever N,
 * each member has one attachment and the group four self-referencing rules: a member joining or leaving adds or
 * removes its attachment (or, for a member of another kind, its four rules) and changes nothing else.
 */
export function admitAwsSwarm(swarm: SwarmMembers): SwarmRules[] {
  const aws = awsSdk(`DockerSwarm "${swarm.swarmName}": the swarm's security group`);
  const prefix = `${swarm.swarmName}-swarm-group`;
  const tags = { "docker-swarm": swarm.swarmKey, "managed-by": "pulumi" };
  const placement = pulumi
    .all(
      swarm.members.map((m) =>
        pulumi
          .all([m.firewall.vpcId ?? "", m.firewall.region ?? ""])
          .apply(([vpcId, region]) => ({ name: m.name, where: m.where, vpcId, region })),
      ),
    )
    .apply((members) => awsPlacement(swarm.swarmName, members));
  const region = placement.apply((p) => p.region);
  const group = new aws.ec2.SecurityGroup(
    prefix,
    {
      description: `DockerSwarm ${swarm.swarmKey}: the swarm ports between its members`,
      vpcId: placement.apply((p) => p.vpcId),
      tags: { ...tags, Name: prefix },
      region,
    },
    { parent: swarm.parent },
  );
  const ingress = (
    name: string,
    port: (typeof SWARM_PORTS)[number],
    from: string,
    source: { referencedSecurityGroupId: pulumi.Input<string> } | { range: pulumi.Output<string> },
  ) =>
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-${String(port.port)}-${port.protocol}`,
      {
        securityGroupId: group.id,
        ipProtocol: port.protocol,
        fromPort: port.port,
        toPort: port.port,
        ...("range" in source
          ? {
              // The family is known once the address resolves; the other property stays unset.
              cidrIpv4: source.range.apply((c) => (c.includes(":") ? undefined : c)),
              cidrIpv6: source.range.apply((c) => (c.includes(":") ? c : undefined)),
            }
          : { referencedSecurityGroupId: source.referencedSecurityGroupId }),
        description: swarmRuleDescription(
          swarm.swarmKey,
          `${port.what} (${String(port.port)}/${port.protocol})`,
          from,
        ),
        tags,
        region,
      },
      { parent: swarm.parent },
    );

  const names = swarm.members.map((m) => m.name);
  // AWS takes a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$* in descriptions: no apostrophe.
  const own = SWARM_PORTS.map((port) =>
    ingress(prefix, port, "the members (this group)", { referencedSecurityGroupId: group.id }),
  );
  const { others } = membersOfOtherKinds(swarm);
  return [
    { rules: [group, ...own], members: names },
    ...swarm.members.map((member) => ({
      members: [member.name],
      rules: [
        new aws.ec2.NetworkInterfaceSecurityGroupAttachment(
          `${swarm.swarmName}-${member.name}-swarm-group`,
          {
            securityGroupId: group.id,
            networkInterfaceId: pulumi
              .all([member.firewall.networkInterfaceId ?? "", member.range, member.privateIp])
              .apply(([eni, range, privateIp]) => {
                checkAwsAdvertise(swarm.swarmName, member.name, range, privateIp);
                return eni;
              }),
            region,
          },
          { parent: swarm.parent },
        ),
      ],
    })),
    ...others.map((peer) => ({
      members: [peer.name],
      rules: SWARM_PORTS.map((port) =>
        ingress(`${prefix}-from-${peer.name}`, port, `host ${peer.name}`, { range: peer.range }),
      ),
    })),
  ];
}
