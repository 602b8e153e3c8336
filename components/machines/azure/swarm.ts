import type * as Network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { azureNetworkSdk, azureOptions } from "./sdk";
import { SwarmMember, SwarmMembers, SwarmRules } from "../source";
import { SwarmFirewallArgs } from "../firewall";
import { swarmRuleDescription } from "../swarmPorts";
import { identityDigest } from "../cidrs";

/** Azure rules of one swarm on a host's group take two priorities from here: far above DockerHost's (100 to 130). */
export const AZURE_PRIORITY_MIN = 1000;
export const AZURE_PRIORITY_MAX = 3999;
/** The swarm ports in Azure's terms: one rule per protocol (2377/tcp, 7946/tcp+udp, 4789/udp). */
const AZURE_SWARM_PROTOCOLS = [
  { protocol: "Tcp", ports: ["2377", "7946"] },
  { protocol: "Udp", ports: ["7946", "4789"] },
];

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
 * The default, for members that each have a virtual network of their own and reach each other on public
 * addresses: the rules per group stay two whatever N, but their source lists hold N-1 addresses (Azure: at most
 * 4000 addresses per group and direction), and a member joining or leaving updates every other member's rules.
 * Members in one virtual network whose NICs join an application security group can be admitted by the group
 * instead (DockerSwarm's `firewallTags.azure`: swarmGroup.ts), which no join or leave changes.
 */
export function admitAzureSwarm(swarm: SwarmMembers): SwarmRules[] {
  const network = azureNetworkSdk(`DockerSwarm "${swarm.swarmName}": the members' firewalls`);
  const everyone = swarm.everyone.map((m) => m.name);
  // The list is built once and filtered per member: 2N rules, not N^2 outputs.
  const ranges = pulumi.all(swarm.everyone.map((peer) => peer.range));
  return swarm.members.map((member) => {
    const own = swarm.everyone.findIndex((peer) => peer.name === member.name);
    const sourceAddressPrefixes = ranges.apply((all) => all.filter((_, j) => j !== own));
    const rules = memberRules(network, swarm, member, {
      source: { sourceAddressPrefixes },
      from: "the other members",
    });
    return { rules, members: member.role === "manager" ? everyone : [member.name] };
  });
}

/** A member's two rules: one per protocol, the UDP rule after the TCP rule; `gate` resolves before either. */
export function memberRules(
  network: ReturnType<typeof azureNetworkSdk>,
  swarm: SwarmMembers,
  member: SwarmMember & { firewall: SwarmFirewallArgs },
  how: { source: Partial<Network.SecurityRuleArgs>; from: string; gate?: pulumi.Output<unknown> },
): Network.SecurityRule[] {
  const first = azurePriority(swarm.swarmKey);
  const groupName = pulumi.output(member.firewall.networkSecurityGroupName ?? "");
  const rules: Network.SecurityRule[] = [];
  AZURE_SWARM_PROTOCOLS.forEach(({ protocol, ports }, i) => {
    const previous = rules[rules.length - 1];
    rules.push(
      new network.SecurityRule(
        `${swarm.swarmName}-${member.name}-swarm-${protocol.toLowerCase()}`,
        {
          resourceGroupName: member.firewall.resourceGroupName ?? "",
          networkSecurityGroupName:
            how.gate !== undefined
              ? pulumi.all([groupName, how.gate]).apply(([name]) => name)
              : groupName,
          priority: first + i,
          direction: "Inbound",
          access: "Allow",
          protocol,
          ...how.source,
          sourcePortRange: "*",
          destinationAddressPrefix: "*",
          destinationPortRanges: ports,
          description: swarmRuleDescription(
            swarm.swarmKey,
            `swarm ports ${ports.join(", ")}/${protocol}`,
            how.from,
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
  return rules;
}
