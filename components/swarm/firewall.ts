import * as pulumi from "@pulumi/pulumi";
import { isIP } from "node:net";
import { InputError } from "../inputs";
import { firewallOfKind } from "../machines/registry";
import { NodePlan, SwarmPlan } from "./plan";

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
 * machine source says (its `admitSwarmPeers`).
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

  /** The source range of `source` in a rule on `target` (two hosts advertising one address is an error). */
  const range = (target: NodePlan, source: NodePlan) =>
    pulumi.all([target.advertise, source.advertise]).apply(([own, theirs]) => {
      if (own === theirs) {
        throw new InputError(
          `advertiseAddress.${source.name}`,
          `DockerSwarm "${swarmName}": hosts ${target.name} and ${source.name} both advertise ${own}: each member needs an address the others reach it on (cloud DockerHosts that each have a network of their own may share a private address: advertise their publicIp)`,
        );
      }
      return sourceRange(swarmName, source.name, theirs);
    });

  for (const target of plan.nodes) {
    if (target.firewall === undefined) continue;
    const admit = firewallOfKind(target.firewall.kind)?.admitSwarmPeers;
    if (admit === undefined) continue;
    const added = admit({
      swarmName,
      swarmKey,
      member: target.name,
      prefix: `${swarmName}-${target.name}`,
      firewall: target.firewall,
      peers: plan.nodes
        .filter((n) => n !== target)
        .map((peer) => ({ name: peer.name, range: range(target, peer) })),
      parent,
    });
    for (const { rules, members } of added) {
      for (const name of members) concerning.get(name)?.push(...rules);
    }
  }
  return concerning;
}
