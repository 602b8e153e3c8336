import * as pulumi from "@pulumi/pulumi";
import { digitalOceanSdk } from "./sdk";
import { SwarmMembers, SwarmRules } from "../source";
import { SWARM_PORTS } from "../swarmPorts";

/**
 * A DigitalOcean firewall applies to at most 10 Droplets named by ID (and 5 tags), and the swarm cannot tag a
 * Droplet (the Droplet and its tags are DockerHost's; the provider has no resource that adds a tag to a Droplet),
 * so one firewall for the whole swarm would stop at 10 members. Each member gets a cloud firewall of the swarm's
 * instead, SWARM-HOST-firewall, on its Droplet by ID, with four inbound rules (one per swarm port) whose sources
 * are the other members' Droplets (`sourceDropletIds`) and the advertise addresses of members of another kind. The
 * rules per firewall stay four whatever N; their source lists grow with N (DigitalOcean takes up to 1000 entries).
 * A manager's firewall concerns every member (each join reaches the managers), a worker's its worker: each join
 * waits for (managers + 1) firewalls, not N.
 */
export function admitDigitalOceanSwarm(swarm: SwarmMembers): SwarmRules[] {
  const digitalocean = digitalOceanSdk(`DockerSwarm "${swarm.swarmName}": the members' firewalls`);
  const everyone = swarm.everyone.map((m) => m.name);
  const dropletId = (id: pulumi.Input<string> | undefined) => pulumi.output(id ?? "").apply(Number);
  const isMember = new Set(swarm.members.map((m) => m.name));
  const others = swarm.everyone.filter((m) => !isMember.has(m.name));
  // Each list is built once and filtered per member: N firewalls, not N^2 outputs.
  const ids = pulumi.all(swarm.members.map((m) => dropletId(m.firewall.dropletId)));
  const addresses = pulumi.all(others.map((peer) => peer.range));
  return swarm.members.map((member, i) => {
    const droplets = ids.apply((all) => all.filter((_, j) => j !== i));
    const firewall = new digitalocean.Firewall(
      `${swarm.swarmName}-${member.name}-firewall`,
      {
        dropletIds: [dropletId(member.firewall.dropletId)],
        inboundRules: SWARM_PORTS.map(({ port, protocol }) => ({
          protocol,
          portRange: String(port),
          // Only the kinds of sources there are: an empty list is no source.
          ...(swarm.members.length > 1 ? { sourceDropletIds: droplets } : {}),
          ...(others.length > 0 ? { sourceAddresses: addresses } : {}),
        })),
      },
      { parent: swarm.parent },
    );
    return { rules: [firewall], members: member.role === "manager" ? everyone : [member.name] };
  });
}
