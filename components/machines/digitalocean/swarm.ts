import * as pulumi from "@pulumi/pulumi";
import { InputError } from "../../inputs";
import { digitalOceanSdk } from "./sdk";
import { membersOfOtherKinds, SwarmMembers, SwarmRules } from "../source";
import { SWARM_PORTS } from "../swarmPorts";

/** How many Droplets a DigitalOcean firewall applies to by ID. */
export const DROPLETS_PER_FIREWALL = 10;

/**
 * Without a tag: one firewall for the swarm, SWARM-firewall, applied to the members' Droplets by ID, whose four
 * inbound rules (one per swarm port) admit those same Droplets (`sourceDropletIds`) and the advertise addresses of
 * members of another kind. A member joining or leaving changes that one firewall and no other resource. A firewall
 * applies to at most 10 Droplets by ID (`DROPLETS_PER_FIREWALL`; the swarm is refused beyond it, the source's
 * `memberLimit`), and the swarm cannot tag a Droplet (the Droplet and its tags are DockerHost's): a larger swarm
 * names a tag its members carry (`admitDigitalOceanSwarmByTag`). The name is the tagged shape's, so adding a tag
 * later updates the firewall in place.
 */
export function admitDigitalOceanSwarm(swarm: SwarmMembers): SwarmRules[] {
  const digitalocean = digitalOceanSdk(`DockerSwarm "${swarm.swarmName}": the swarm's firewall`);
  const { others, ranges: addresses } = membersOfOtherKinds(swarm);
  const droplets = pulumi.all(
    swarm.members.map((m) => pulumi.output(m.firewall.dropletId ?? "").apply(Number)),
  );
  const firewall = new digitalocean.Firewall(
    `${swarm.swarmName}-firewall`,
    {
      dropletIds: droplets,
      inboundRules: SWARM_PORTS.map(({ port, protocol }) => ({
        protocol,
        portRange: String(port),
        sourceDropletIds: droplets,
        // Only the kinds of sources there are: an empty list is no source.
        ...(others.length > 0 ? { sourceAddresses: addresses } : {}),
      })),
    },
    { parent: swarm.parent },
  );
  // Every member's join waits for the one firewall.
  return [{ rules: [firewall], members: swarm.everyone.map((m) => m.name) }];
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
