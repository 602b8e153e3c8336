import * as pulumi from "@pulumi/pulumi";
import { digitalOceanSdk } from "../sdk";
import { SwarmPeers, SwarmRules } from "../source";
import { SWARM_PORTS } from "../swarmPorts";

/**
 * A Droplet takes several cloud firewalls: the swarm gives each member one of its own, SWARM-HOST-firewall,
 * naming its Droplet, with one inbound rule per swarm port from the other members. It concerns every member.
 */
export function admitDigitalOceanSwarmPeers(p: SwarmPeers): SwarmRules[] {
  const digitalocean = digitalOceanSdk(`DockerSwarm "${p.swarmName}": host ${p.member}'s firewall`);
  const sources = pulumi.all(p.peers.map((peer) => peer.range));
  const firewall = new digitalocean.Firewall(
    `${p.prefix}-firewall`,
    {
      dropletIds: [pulumi.output(p.firewall.dropletId ?? "").apply(Number)],
      inboundRules: SWARM_PORTS.map(({ port, protocol }) => ({
        protocol,
        portRange: String(port),
        sourceAddresses: sources,
      })),
    },
    { parent: p.parent },
  );
  return [{ rules: [firewall], members: [p.member, ...p.peers.map((peer) => peer.name)] }];
}
