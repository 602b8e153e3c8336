import * as pulumi from "@pulumi/pulumi";
import { awsSdk } from "../sdk";
import { SwarmPeers, SwarmRules } from "../source";
import { SWARM_PORTS, swarmRuleDescription } from "../swarmPorts";

/**
 * A swarm member's security group admits each other member on every swarm port: one
 * `aws.vpc.SecurityGroupIngressRule` per other member and port (an AWS rule takes a single range), named
 * SWARM-HOST-from-OTHER-PORT-PROTO. Each concerns the two members it connects.
 */
export function admitAwsSwarmPeers(p: SwarmPeers): SwarmRules[] {
  const aws = awsSdk(`DockerSwarm "${p.swarmName}": the firewall of ${p.prefix}`);
  const ipv6 = (c: string) => c.includes(":");
  const region = pulumi
    .output(p.firewall.region ?? "")
    .apply((r) => (r.trim() === "" ? undefined : r.trim()));
  return p.peers.map((peer) => ({
    members: [p.member, peer.name],
    rules: SWARM_PORTS.map(
      ({ port, protocol, what }) =>
        new aws.vpc.SecurityGroupIngressRule(
          `${p.prefix}-from-${peer.name}-${String(port)}-${protocol}`,
          {
            securityGroupId: p.firewall.securityGroupId ?? "",
            ipProtocol: protocol,
            fromPort: port,
            toPort: port,
            // The family is known once the address resolves; the other property stays unset.
            cidrIpv4: peer.range.apply((c) => (ipv6(c) ? undefined : c)),
            cidrIpv6: peer.range.apply((c) => (ipv6(c) ? c : undefined)),
            description: swarmRuleDescription(
              p.swarmKey,
              `${what} (${String(port)}/${protocol})`,
              `host ${peer.name}`,
            ),
            tags: { "docker-swarm": p.swarmKey, "managed-by": "pulumi" },
            region,
          },
          { parent: p.parent },
        ),
    ),
  }));
}
