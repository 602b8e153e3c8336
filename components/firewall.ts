import * as pulumi from "@pulumi/pulumi";

/** Which cloud firewall protects a DockerHost's machine. */
export enum FirewallKind {
  /** An AWS security group of the host's own: `securityGroupId` (in `region`). */
  Aws = "aws",
  /** A DigitalOcean Droplet, which takes several cloud firewalls: `dropletId`. */
  DigitalOcean = "digitalocean",
  /** An Azure network security group on the VM's NIC: `networkSecurityGroupName` in `resourceGroupName`. */
  Azure = "azure",
  /** No firewall DockerHost manages (an existing machine): whoever runs the machine opens its ports. */
  None = "none",
}

/**
 * The cloud firewall DockerHost created for its machine, so that other components can add rules to it (DockerSwarm
 * admits its members on the swarm ports). `kind` is known when the program runs; the ids of the other kinds are
 * empty strings.
 */
export interface HostFirewall {
  /** Which firewall: `aws`, `digitalocean`, `azure`, or `none` for an existing machine. */
  kind: FirewallKind;
  /** `aws`: the ID of the host's security group (`sg-...`); else empty. */
  securityGroupId: pulumi.Output<string>;
  /** `aws`: the region of the security group, e.g. `us-east-1`; else empty. */
  region: pulumi.Output<string>;
  /** `digitalocean`: the Droplet's ID, a number in a string; else empty. */
  dropletId: pulumi.Output<string>;
  /** `azure`: the resource group of the network security group; else empty. */
  resourceGroupName: pulumi.Output<string>;
  /** `azure`: the name of the network security group on the VM's NIC; else empty. */
  networkSecurityGroupName: pulumi.Output<string>;
}

/** What a machine source knows about its firewall: the kind, and the ids that kind has. */
export type MachineFirewall = { kind: FirewallKind } & Partial<
  Record<Exclude<keyof HostFirewall, "kind">, pulumi.Output<string>>
>;

/** The public shape of a machine's firewall: every id present, empty where the kind has none. */
export function hostFirewall(firewall: MachineFirewall | undefined): HostFirewall {
  const id = (value: pulumi.Output<string> | undefined) => value ?? pulumi.output("");
  return {
    kind: firewall?.kind ?? FirewallKind.None,
    securityGroupId: id(firewall?.securityGroupId),
    region: id(firewall?.region),
    dropletId: id(firewall?.dropletId),
    resourceGroupName: id(firewall?.resourceGroupName),
    networkSecurityGroupName: id(firewall?.networkSecurityGroupName),
  };
}
