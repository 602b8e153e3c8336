/** The ports Swarm mode needs between its members, and what each carries. */
export const SWARM_PORTS: readonly { port: number; protocol: "tcp" | "udp"; what: string }[] = [
  { port: 2377, protocol: "tcp", what: "cluster management" },
  { port: 7946, protocol: "tcp", what: "node gossip" },
  { port: 7946, protocol: "udp", what: "node gossip" },
  { port: 4789, protocol: "udp", what: "overlay network data (VXLAN)" },
];

/** A rule's description: which swarm, what it carries, from whom. */
export function swarmRuleDescription(swarmKey: string, what: string, from: string): string {
  return `DockerSwarm ${swarmKey}: ${what} from ${from}`;
}
