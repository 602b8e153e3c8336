import * as pulumi from "@pulumi/pulumi";
import { digitalOceanSdk } from "./sdk";
import { SwarmMembers, SwarmRules } from "../source";
import { SWARM_PORTS } from "../swarmPorts";

/**
 * A Droplet takes several cloud firewalls: the swarm gives each member one of its own, SWARM-HOST-firewall,
 * naming its Droplet, with one inbound rule per swarm port from the other members. It concerns every member.
 */
export function admitDigitalOceanSwarm(swarm: SwarmMembers): SwarmRules[] {
  const digitalocean = digitalOceanSdk(`DockerSwarm "${swarm.swarmName}": the members' firewalls`);
  const names = swarm.everyone.map((m) => m.name);
  return swarm.members.map((member) => {
    const sources = pulumi.all(
      swarm.everyone.filter((peer) => peer.name !== member.name).map((peer) => peer.range),
    );
    const firewall = new digitalocean.Firewall(
      `${swarm.swarmName}-${member.name}-firewall`,
      {
        dropletIds: [pulumi.output(member.firewall.dropletId ?? "").apply(Number)],
        inboundRules: SWARM_PORTS.map(({ port, protocol }) => ({
          protocol,
          portRange: String(port),
          sourceAddresses: sources,
        })),
      },
      { parent: swarm.parent },
    );
    return { rules: [firewall], members: names };
  });
}
