import * as pulumi from "@pulumi/pulumi";
import { isIP } from "node:net";
import { InputError } from "../inputs";
import { firewallOfKind } from "../machines/registry";
import { SwarmFirewallArgs } from "../machines/firewall";
import { SwarmMember, SwarmMembers } from "../machines/source";
import { SwarmPlan } from "./plan";

/** A host's advertise address as a single-address range (/32, /128); anything else cannot be a firewall source. */
export function sourceRange(swarmName: string, host: string, advertise: string): string {
  const family = isIP(advertise);
  if (family === 0) {
    throw new InputError(
      `advertiseAddress.${host}`,
      `DockerSwarm "${swarmName}": host ${host} advertises "${advertise}", not an IP address: the members' cloud firewalls admit the swarm ports from the members' advertise addresses, so set advertiseAddress.${host} to the IP address it advertises`,
    );
  }
  return `${advertise}/${family === 4 ? 32 : 128}`;
}

/**
 * DockerSwarm's rules in the members' cloud firewalls: each member with a firewall admits the swarm ports from the
 * other members' advertise addresses, each as a single address, never a wider range. How, each firewall kind's
 * machine source says (its `admitSwarm`, called once per kind present).
 *
 * Returns, per host name, the rules that concern it (on it, or admitting it): its join step waits for them, and
 * when the host is taken out of the program they are deleted after it left.
 */
export function swarmFirewallRules(
  swarmName: string,
  swarmKey: string,
  plan: SwarmPlan,
  parent: pulumi.Resource,
): Map<string, pulumi.Resource[]> {
  const concerning = new Map<string, pulumi.Resource[]>(plan.nodes.map((n) => [n.name, []]));
  // A single member has no one to admit: no rule at all.
  if (plan.nodes.length < 2) return concerning;

  const advertised = pulumi.all(plan.nodes.map((n) => n.advertise));
  const everyone: SwarmMember[] = plan.nodes.map((node, i) => ({
    name: node.name,
    where: node.where,
    role: node.role,
    advertise: node.advertise,
    privateIp: node.privateIp,
    // Two members advertising one address cannot tell each other apart in a rule: an error naming both.
    range: advertised.apply((all) => {
      const own = all[i] as string;
      const j = all.findIndex((address, k) => k !== i && address === own);
      const other = plan.nodes[j];
      if (other !== undefined) {
        throw new InputError(
          `advertiseAddress.${node.name}`,
          `DockerSwarm "${swarmName}": hosts ${i < j ? `${node.name} and ${other.name}` : `${other.name} and ${node.name}`} both advertise ${own}: each member needs an address the others reach it on (cloud DockerHosts that each have a network of their own may share a private address: advertise their publicIp)`,
        );
      }
      return sourceRange(swarmName, node.name, own);
    }),
    ...(node.firewall !== undefined ? { firewall: node.firewall } : {}),
  }));

  const kinds = [...new Set(plan.nodes.flatMap((n) => (n.firewall ? [n.firewall.kind] : [])))];
  for (const kind of kinds) {
    const source = firewallOfKind(kind);
    if (source === undefined) continue;
    // One firewall on the members' shared tag where the user gave one and the kind takes it; else the kind's way.
    const tag = plan.firewallTags[kind];
    const sharedTag = source.sharedTag;
    const admit =
      tag !== undefined && sharedTag !== undefined
        ? (swarm: SwarmMembers) => sharedTag.admitSwarm(swarm, tag)
        : source.admitSwarm;
    const members = everyone.filter(
      (m): m is SwarmMember & { firewall: SwarmFirewallArgs } => m.firewall?.kind === kind,
    );
    for (const { rules, members: names } of admit({
      swarmName,
      swarmKey,
      members,
      everyone,
      parent,
    })) {
      for (const name of names) concerning.get(name)?.push(...rules);
    }
  }
  return concerning;
}
