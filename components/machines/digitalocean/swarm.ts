import * as pulumi from "@pulumi/pulumi";
import { InputError } from "../../inputs";
import { digitalOceanSdk } from "./sdk";
import { membersOfOtherKinds, SwarmMembers, SwarmRules } from "../source";
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
  const { others, ranges: addresses } = membersOfOtherKinds(swarm);
  // Each list is built once and filtered per member: N firewalls, not N^2 outputs.
  const ids = pulumi.all(swarm.members.map((m) => dropletId(m.firewall.dropletId)));
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

/**
 * With a tag every member's Droplet carries (DockerSwarm's `firewallTags.digitalocean`, set in each member
 * DockerHost's `digitalocean.tags`): one firewall for the swarm, SWARM-firewall, applied to the tag, whose four
 * rules admit the tag (and the advertise addresses of members of another kind). A DigitalOcean member joining or
 * leaving changes no firewall: it carries the tag or not. Each member's tags are checked to hold it first: the
 * firewall waits for the check, so a member without the tag fails the deployment with its name before the
 * firewall exists.
 */
export function admitDigitalOceanSwarmByTag(swarm: SwarmMembers, tag: string): SwarmRules[] {
  const digitalocean = digitalOceanSdk(`DockerSwarm "${swarm.swarmName}": the swarm's firewall`);
  const { others, ranges: addresses } = membersOfOtherKinds(swarm);
  const tagged = pulumi.all(
    swarm.members.map((member) =>
      pulumi.output(member.firewall.dropletTags ?? "").apply((tags: string | null) => {
        const carried = (tags ?? "").split(",").filter((t) => t !== "");
        // A member given as data without its tags is taken at its word.
        if (carried.length === 0 || carried.includes(tag)) return;
        throw new InputError(
          `${member.where}.firewall.dropletTags`,
          `DockerSwarm "${swarm.swarmName}": host ${member.name}'s Droplet does not carry the tag "${tag}" of firewallTags.digitalocean (it carries ${carried.join(", ")}), so the swarm's firewall would not admit it: add "${tag}" to its DockerHost's digitalocean.tags`,
        );
      }),
    ),
  );
  const firewall = new digitalocean.Firewall(
    `${swarm.swarmName}-firewall`,
    {
      tags: tagged.apply(() => [tag]),
      inboundRules: SWARM_PORTS.map(({ port, protocol }) => ({
        protocol,
        portRange: String(port),
        sourceTags: [tag],
        // Only the kinds of sources there are: an empty list is no source.
        ...(others.length > 0 ? { sourceAddresses: addresses } : {}),
      })),
    },
    { parent: swarm.parent },
  );
  // Every member's join waits for the one firewall.
  return [{ rules: [firewall], members: swarm.everyone.map((m) => m.name) }];
}
