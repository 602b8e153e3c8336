// The component provider's entry: every export here is part of the public contract (and of the schema).
export { DockerHost } from "./dockerHost";
export {
  AwsMachineArgs,
  AzureMachineArgs,
  DigitalOceanMachineArgs,
  DockerHostArgs,
  EngineArgs,
  EngineInstallMethod,
  ExistingMachineArgs,
  TlsAlgorithm,
  TimeoutsArgs,
  TlsArgs,
} from "./args";
export { FirewallKind, HostFirewall } from "./firewall";
export { DockerSwarm } from "./swarm/dockerSwarm";
export { DockerSwarmArgs, SwarmNodeArgs, SwarmNodeInfo } from "./swarm/args";
