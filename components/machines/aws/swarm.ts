import * as pulumi from "@pulumi/pulumi";
import { awsSdk } from "./sdk";
import { SwarmMembers, SwarmRules } from "../source";
import { SWARM_PORTS, swarmRuleDescription } from "../swarmPorts";

/**
 * Each member's security group admits each other member on every swarm port: one
 * `aws.vpc.SecurityGroupIngressRule` per member, other member and port (an AWS rule takes a single range), named
 * SWARM-HOST-from-OTHER-PORT-PROTO. Each concerns the two members it connects.
 */
export function admitAwsSwarm(swarm: SwarmMembers): SwarmRules[] {
  const aws = awsSdk(`DockerSwarm "${swarm.swarmName}": the members' security groups`);
  const ipv6 = (c: string) => c.includes(":");
  return swarm.members.flatMap((member) => {
    const prefix = `${swarm.swarmName}-${member.name}`;
    const region = pulumi
      .output(member.firewall.region ?? "")
      .apply((r) => (r.trim() === "" ? undefined : r.trim()));
    return swarm.everyone
      .filter((peer) => peer.name !== member.name)
      .map((peer) => ({
        members: [member.name, peer.name],
        rules: SWARM_PORTS.map(
          ({ port, protocol, what }) =>
            new aws.vpc.SecurityGroupIngressRule(
              `${prefix}-from-${peer.name}-${String(port)}-${protocol}`,
              {
                securityGroupId: member.firewall.securityGroupId ?? "",
                ipProtocol: protocol,
                fromPort: port,
                toPort: port,
                // The family is known once the address resolves; the other property stays unset.
                cidrIpv4: peer.range.apply((c) => (ipv6(c) ? undefined : c)),
                cidrIpv6: peer.range.apply((c) => (ipv6(c) ? c : undefined)),
                description: swarmRuleDescription(
                  swarm.swarmKey,
                  `${what} (${String(port)}/${protocol})`,
                  `host ${peer.name}`,
                ),
                tags: { "docker-swarm": swarm.swarmKey, "managed-by": "pulumi" },
                region,
              },
              { parent: swarm.parent },
            ),
        ),
      }));
  });
}
