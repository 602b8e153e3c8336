import * as pulumi from "@pulumi/pulumi";
import { SwarmMembers, SwarmRules } from "../source";
import { SWARM_PORTS, swarmRuleDescription } from "../swarmPorts";
import { hetznerName, labelValue } from "./names";
import { hcloudSdk } from "./sdk";

/**
 * ONE Hetzner firewall for the whole swarm, SWARM-hetzner-swarm: an inbound rule per swarm port (tcp 2377, 7946;
 * udp 7946, 4789) from every member's advertise address, applied to the Hetzner members' servers by ONE
 * `hcloud.FirewallAttachment` (Hetzner allows one per firewall). Adding a member updates both in place; the number
 * of resources stays two. Each member admits itself too, which opens nothing to anyone else. A server takes up
 * to five firewalls: its own and this one leave room. They concern every member.
 */
export function admitHetznerSwarm(swarm: SwarmMembers): SwarmRules[] {
  const hcloud = hcloudSdk(`DockerSwarm "${swarm.swarmName}": the members' firewall`);
  const sources = pulumi.all(swarm.everyone.map((m) => m.range));
  const firewall = new hcloud.Firewall(
    `${swarm.swarmName}-hetzner-swarm`,
    {
      name: `${hetznerName(swarm.swarmName, swarm.swarmKey)}-swarm`,
      labels: { "docker-swarm": labelValue(swarm.swarmName), "managed-by": "pulumi" },
      rules: SWARM_PORTS.map(({ port, protocol, what }) => ({
        direction: "in",
        protocol,
        port: String(port),
        sourceIps: sources,
        // Hetzner keeps 255 characters of a description: the swarm's key may be long.
        description: swarmRuleDescription(swarm.swarmKey, what, "its members").slice(0, 255),
      })),
    },
    { parent: swarm.parent },
  );
  const attachment = new hcloud.FirewallAttachment(
    `${swarm.swarmName}-hetzner-swarm-attachment`,
    {
      firewallId: firewall.id.apply(Number),
      serverIds: swarm.members.map((m) => pulumi.output(m.firewall.serverId ?? "").apply(Number)),
    },
    { parent: swarm.parent },
  );
  return [{ rules: [firewall, attachment], members: swarm.everyone.map((m) => m.name) }];
}
