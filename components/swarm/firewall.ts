import type * as Network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { isIP } from "node:net";
import { FirewallKind } from "../firewall";
import { InputError } from "../inputs";
import { awsSdk, azureNetworkSdk, digitalOceanSdk } from "../machines/sdk";
import { SwarmFirewallArgs } from "./args";
import { NodePlan, SwarmPlan } from "./plan";

/** The ports Swarm mode needs between its members, and what each carries. */
export const SWARM_PORTS: readonly { port: number; protocol: "tcp" | "udp"; what: string }[] = [
  { port: 2377, protocol: "tcp", what: "cluster management" },
  { port: 7946, protocol: "tcp", what: "node gossip" },
  { port: 7946, protocol: "udp", what: "node gossip" },
  { port: 4789, protocol: "udp", what: "overlay network data (VXLAN)" },
];

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
  const digest = parseInt(createHash("sha256").update(swarmKey).digest("hex").slice(0, 8), 16);
  return AZURE_PRIORITY_MIN + 2 * (digest % slots);
}

/** A host's advertise address as a single-address range (/32, /128); anything else cannot be a firewall source. */
export function sourceRange(swarmName: string, host: string, advertise: string): string {
  const family = isIP(advertise);
  if (family === 0) {
    throw new InputError(
      `DockerSwarm "${swarmName}": host ${host} advertises "${advertise}", not an IP address: the members' cloud firewalls admit the swarm ports from the members' advertise addresses, so set advertiseAddress.${host} to the IP address it advertises`,
    );
  }
  return `${advertise}/${family === 4 ? 32 : 128}`;
}

/**
 * DockerSwarm's rules in the members' cloud firewalls: each member with a firewall admits the swarm ports from
 * the other members' advertise addresses, each as a single address, never a wider range:
 *
 *   aws           one `aws.vpc.SecurityGroupIngressRule` per other member and port: NAME-HOST-from-OTHER-PORT-PROTO
 *   digitalocean  one `digitalocean.Firewall` per member, naming its Droplet (a Droplet takes several firewalls):
 *                 NAME-HOST-firewall, one inbound rule per port from the other members
 *   azure         two `SecurityRule`s in the member's group (TCP 2377+7946, UDP 7946+4789): NAME-HOST-swarm-tcp/udp
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
  const concern = (names: string[], rules: pulumi.Resource[]) => {
    for (const name of names) concerning.get(name)?.push(...rules);
  };
  // A single member has no one to admit: no rule at all.
  if (plan.nodes.length < 2) return concerning;

  /** The source range of `source` in a rule on `target` (two hosts advertising one address is an error). */
  const range = (target: NodePlan, source: NodePlan) =>
    pulumi.all([target.advertise, source.advertise]).apply(([own, theirs]) => {
      if (own === theirs) {
        throw new InputError(
          `DockerSwarm "${swarmName}": hosts ${target.name} and ${source.name} both advertise ${own}: each member needs an address the others reach it on (Azure DockerHosts each have their own network 10.0.0.0/16: advertise their publicIp)`,
        );
      }
      return sourceRange(swarmName, source.name, theirs);
    });
  const description = (what: string, from: string) =>
    `DockerSwarm ${swarmKey}: ${what} from ${from}`;

  for (const target of plan.nodes) {
    const firewall = target.firewall;
    if (firewall === undefined) continue;
    const others = plan.nodes.filter((n) => n !== target);
    const prefix = `${swarmName}-${target.name}`;
    switch (firewall.kind) {
      case FirewallKind.Aws:
        for (const source of others) {
          concern(
            [target.name, source.name],
            awsRules(prefix, firewall, source, range(target, source)),
          );
        }
        break;
      case FirewallKind.DigitalOcean: {
        const sources = pulumi.all(others.map((source) => range(target, source)));
        const digitalocean = digitalOceanSdk(
          `DockerSwarm "${swarmName}": host ${target.name}'s firewall`,
        );
        const rule = new digitalocean.Firewall(
          `${prefix}-firewall`,
          {
            dropletIds: [pulumi.output(firewall.dropletId ?? "").apply(Number)],
            inboundRules: SWARM_PORTS.map(({ port, protocol }) => ({
              protocol,
              portRange: String(port),
              sourceAddresses: sources,
            })),
          },
          { parent },
        );
        concern([target.name, ...others.map((n) => n.name)], [rule]);
        break;
      }
      case FirewallKind.Azure: {
        const sources = pulumi.all(others.map((source) => range(target, source)));
        const first = azurePriority(swarmKey);
        const protocols = [
          { protocol: "Tcp", ports: ["2377", "7946"] },
          { protocol: "Udp", ports: ["7946", "4789"] },
        ];
        const network = azureNetworkSdk(
          `DockerSwarm "${swarmName}": host ${target.name}'s firewall`,
        );
        const rules: Network.SecurityRule[] = [];
        protocols.forEach(({ protocol, ports }, i) => {
          const previous = rules[rules.length - 1];
          rules.push(
            new network.SecurityRule(
              `${prefix}-swarm-${protocol.toLowerCase()}`,
              {
                resourceGroupName: firewall.resourceGroupName ?? "",
                networkSecurityGroupName: firewall.networkSecurityGroupName ?? "",
                priority: first + i,
                direction: "Inbound",
                access: "Allow",
                protocol,
                sourceAddressPrefixes: sources,
                sourcePortRange: "*",
                destinationAddressPrefix: "*",
                destinationPortRanges: ports,
                description: description(
                  `swarm ports ${ports.join(", ")}/${protocol}`,
                  "the other members",
                ),
              },
              // Azure changes a group's rules one at a time (AnotherOperationInProgress otherwise).
              { parent, dependsOn: previous !== undefined ? [previous] : [] },
            ),
          );
        });
        concern([target.name, ...others.map((n) => n.name)], rules);
        break;
      }
      case FirewallKind.None:
        break;
    }
  }
  return concerning;

  /** One ingress rule per swarm port from one other member (an AWS rule takes a single range). */
  function awsRules(
    prefix: string,
    firewall: SwarmFirewallArgs,
    source: NodePlan,
    cidr: pulumi.Output<string>,
  ): pulumi.Resource[] {
    const aws = awsSdk(`DockerSwarm "${swarmName}": the firewall of ${prefix}`);
    const ipv6 = (c: string) => c.includes(":");
    const region = pulumi
      .output(firewall.region ?? "")
      .apply((r) => (r.trim() === "" ? undefined : r.trim()));
    return SWARM_PORTS.map(
      ({ port, protocol, what }) =>
        new aws.vpc.SecurityGroupIngressRule(
          `${prefix}-from-${source.name}-${String(port)}-${protocol}`,
          {
            securityGroupId: firewall.securityGroupId ?? "",
            ipProtocol: protocol,
            fromPort: port,
            toPort: port,
            // The family is known once the address resolves; the other property stays unset.
            cidrIpv4: cidr.apply((c) => (ipv6(c) ? undefined : c)),
            cidrIpv6: cidr.apply((c) => (ipv6(c) ? c : undefined)),
            description: description(
              `${what} (${String(port)}/${protocol})`,
              `host ${source.name}`,
            ),
            tags: { "docker-swarm": swarmKey, "managed-by": "pulumi" },
            region,
          },
          { parent },
        ),
    );
  }
}
