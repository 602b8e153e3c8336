import { DockerHostArgs, PowerState } from "../args";
import { Checker } from "../inputs";
import { awsSource } from "./aws";
import { azureSource } from "./azure";
import { digitalOceanSource } from "./digitalocean";
import { existingSource } from "./existing";
import { FirewallKind } from "./firewall";
import { gcpSource } from "./gcp";
import { hetznerSource } from "./hetzner";
import { CheckedMachine, MachineSource, PowerControl, SourceFirewall } from "./source";

/**
 * Every machine source, by the DockerHost input that selects it (that input's type is the source's arguments).
 * DockerHost, its checks, its firewall output and DockerSwarm learn the sources and their behaviour from here
 * only. Adding a source: a module exporting its MachineSource, a line here, its field in DockerHostArgs.
 */
const REGISTRY = {
  existing: existingSource,
  aws: awsSource,
  digitalocean: digitalOceanSource,
  azure: azureSource,
  gcp: gcpSource,
  hetzner: hetznerSource,
} satisfies { [K in keyof DockerHostArgs]?: MachineSource<NonNullable<DockerHostArgs[K]>> };

/** The name of a machine source: the DockerHost input that selects it. */
export type SourceName = keyof typeof REGISTRY;

/** Every source, in the order the messages list them. */
export const SOURCE_NAMES = Object.keys(REGISTRY) as SourceName[];

/** The sources that create their machine in a cloud (`allowedCidrs` required). */
export const CLOUD_SOURCE_NAMES = SOURCE_NAMES.filter((s) => REGISTRY[s].createsMachine);

/** Which sources a DockerHost's inputs set. */
export function sourcesSet(args: DockerHostArgs): SourceName[] {
  // Other languages may send null for an absent input.
  return SOURCE_NAMES.filter((s) => (args[s] as unknown) != null);
}

/** Checks the inputs of source `name` as given in the DockerHost's `args`, for the checked `power`. */
export function checkSource(
  name: SourceName,
  args: DockerHostArgs,
  check: Checker,
  power: PowerState,
): CheckedMachine {
  // Each entry's argument type is the type of its own input (the `satisfies` above): the cast only erases which.
  const source = REGISTRY[name] as MachineSource<unknown>;
  return source.check(args[name], check, power);
}

/** The firewall of a kind, as its source defines it; undefined for `none`. */
export function firewallOfKind(kind: FirewallKind): SourceFirewall | undefined {
  for (const name of SOURCE_NAMES) {
    const firewall = (REGISTRY[name] as MachineSource<unknown>).firewall;
    if (firewall?.kind === kind) return firewall;
  }
  return undefined;
}

/** Whether source `name` holds its machine's power state, or why not and what to do instead. */
export function powerControlOf(name: SourceName): PowerControl {
  return (REGISTRY[name] as MachineSource<unknown>).power;
}
