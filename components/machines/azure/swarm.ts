import type * as Network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { azureNetworkSdk, azureOptions } from "./sdk";
import { SwarmMembers, SwarmRules } from "../source";
import { swarmRuleDescription } from "../swarmPorts";
import { identityDigest } from "../cidrs";

/** Azure rules of one swarm on a host's group take two priorities from here: far above DockerHost's (100 to 130). */
export const AZURE_PRIORITY_MIN = 1000;
export const AZURE_PRIORITY_MAX = 3999;

/**
 * The priority of a swarm's first Azure rule (TCP; UDP takes the next): spread by the swarm's identity, so that a
 * renamed swarm, whose new rules are created before the old ones are deleted, most likely takes other priorities
 * (Azure refuses two inbound rules of one group with the same priority).
 */
export function azurePriority(swarmKey: string): number {
  const slots = (AZURE_PRIORITY_MAX + 1 - AZURE_PRIORITY_MIN) / 2;
  const digest = parseInt(identityDigest(swarmKey, 8), 16);
  return AZURE_PRIORITY_MIN + 2 * (digest % slots);
}

/**
 * Two `SecurityRule`s in each member's network security group (TCP 2377+7946, UDP 7946+4789), SWARM-HOST-swarm-tcp
 * and -udp, admitting the other members' advertise addresses. A manager's rules concern every member (each join
 * reaches the managers), a worker's its worker.
 *
 * Not an application security group: a NIC joins one only through its own ipConfigurations (azure-native has no
 * association resource, and a swarm that rewrote DockerHost's NIC would be undone by DockerHost's next update), an
 * ASG's NICs must all be in one virtual network while every Azure DockerHost has a network of its own, and an ASG
 * matches private addresses inside that network, not the public addresses these members reach each other on.
 * So the rules per group stay two whatever N, and their source lists hold N-1 addresses (Azure: at most 4000
 * addresses per group and direction).
 */
export function admitAzureSwarm(swarm: SwarmMembers): SwarmRules[] {
  const network = azureNetworkSdk(`DockerSwarm "${swarm.swarmName}": the members' firewalls`);
  const first = azurePriority(swarm.swarmKey);
  const everyone = swarm.everyone.map((m) => m.name);
  const protocols = [
    { protocol: "Tcp", ports: ["2377", "7946"] },
    { protocol: "Udp", ports: ["7946", "4789"] },
  ];
  // The list is built once and filtered per member: 2N rules, not N^2 outputs.
  const ranges = pulumi.all(swarm.everyone.map((peer) => peer.range));
  return swarm.members.map((member) => {
    const own = swarm.everyone.findIndex((peer) => peer.name === member.name);
    const sources = ranges.apply((all) => all.filter((_, j) => j !== own));
    const rules: Network.SecurityRule[] = [];
    protocols.forEach(({ protocol, ports }, i) => {
      const previous = rules[rules.length - 1];
      rules.push(
        new network.SecurityRule(
          `${swarm.swarmName}-${member.name}-swarm-${protocol.toLowerCase()}`,
          {
            resourceGroupName: member.firewall.resourceGroupName ?? "",
            networkSecurityGroupName: member.firewall.networkSecurityGroupName ?? "",
            priority: first + i,
            direction: "Inbound",
            access: "Allow",
            protocol,
            sourceAddressPrefixes: sources,
            sourcePortRange: "*",
            destinationAddressPrefix: "*",
            destinationPortRanges: ports,
            description: swarmRuleDescription(
              swarm.swarmKey,
              `swarm ports ${ports.join(", ")}/${protocol}`,
              "the other members",
            ),
          },
          // Azure changes a group's rules one at a time (AnotherOperationInProgress otherwise).
          azureOptions({
            parent: swarm.parent,
            dependsOn: previous !== undefined ? [previous] : [],
          }),
        ),
      );
    });
    return { rules, members: member.role === "manager" ? everyone : [member.name] };
  });
}
