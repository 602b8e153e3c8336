// The component provider's entry: every export here is part of the public contract (and of the schema).
export { DockerHost } from "./dockerHost";
// Every input type and enum of DockerHost (one per machine source among them).
export * from "./args";
export { ClientIdentity, ClientIdentityArgs } from "./clients";
export { FirewallKind, HostFirewall } from "./machines/firewall";
export { DockerSwarm } from "./swarm/dockerSwarm";
export { DockerSwarmArgs, SwarmNodeArgs, SwarmNodeInfo } from "./swarm/args";
