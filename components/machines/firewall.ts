import * as pulumi from "@pulumi/pulumi";

// The public shapes of a machine's cloud firewall: DockerHost's `firewall` output and the same fields as
// DockerSwarm's input. They are schema types, so each cloud's ids are fields of their own; what each kind needs,
// and how a swarm admits its members, the kind's machine source says (registry.ts).

/** Which cloud firewall protects a DockerHost's machine. */
export enum FirewallKind {
  /**
   * An AWS security group of the host's own (`securityGroupId`, in `region`) on the instance's primary network
   * interface (`networkInterfaceId`, in `vpcId`).
   */
  Aws = "aws",
  /** A DigitalOcean Droplet, which takes several cloud firewalls: `dropletId` (and its tags: `dropletTags`). */
  DigitalOcean = "digitalocean",
  /**
   * An Azure network security group on the VM's NIC: `networkSecurityGroupName` in `resourceGroupName` (and, for a
   * host in a given subnet, the subnet, `subnetId`, and the application security groups its NIC joins,
   * `applicationSecurityGroupIds`).
   */
  Azure = "azure",
  /**
   * Google Compute Engine firewall rules in the instance's VPC network, aimed at a network tag only the host
   * carries: `targetTag`, in `network` of `project`.
   */
  Gcp = "gcp",
  /** A Hetzner Cloud server, which takes several firewalls: `serverId`. */
  Hetzner = "hetzner",
  /** No firewall DockerHost manages (an existing machine): whoever runs the machine opens its ports. */
  None = "none",
}

/**
 * The cloud firewall DockerHost created for its machine, so that other components can add rules to it (DockerSwarm
 * admits its members on the swarm ports). `kind` is known when the program runs; the ids of the other kinds are
 * empty strings.
 */
export interface HostFirewall {
  /** Which firewall: `aws`, `digitalocean`, `azure`, `gcp`, `hetzner`, or `none` for an existing machine. */
  kind: FirewallKind;
  /** `aws`: the ID of the host's security group (`sg-...`); else empty. */
  securityGroupId: pulumi.Output<string>;
  /** `aws`: the region of the security group, e.g. `us-east-1`; else empty. */
  region: pulumi.Output<string>;
  // Swarm at scale (issue 17): what a DockerSwarm attaches its one security group to.
  /** `aws`: the ID of the instance's primary network interface (`eni-...`); else empty. */
  networkInterfaceId: pulumi.Output<string>;
  /** `aws`: the ID of the instance's VPC (`vpc-...`); else empty. */
  vpcId: pulumi.Output<string>;
  /** `digitalocean`: the Droplet's ID, a number in a string; else empty. */
  dropletId: pulumi.Output<string>;
  /**
   * `digitalocean`: the Droplet's tags, comma-separated (DockerHost's own and `digitalocean.tags`), so that a
   * DockerSwarm with `firewallTags` can check that each member carries the swarm's tag; else empty.
   */
  dropletTags: pulumi.Output<string>;
  /** `azure`: the resource group of the network security group; else empty. */
  resourceGroupName: pulumi.Output<string>;
  /** `azure`: the name of the network security group on the VM's NIC; else empty. */
  networkSecurityGroupName: pulumi.Output<string>;
  /**
   * `azure`: the resource id of the subnet the VM's NIC is in when `azure.subnetId` is set; else empty (a host in
   * a network of its own), so that a DockerSwarm with `firewallTags.azure` can check that its members share one
   * virtual network.
   */
  subnetId: pulumi.Output<string>;
  /**
   * `azure`: the resource ids of the application security groups the VM's NIC joins, comma-separated (the
   * DockerHost's `applicationSecurityGroupIds`), so that a DockerSwarm with `firewallTags.azure` can check that
   * each member is in the swarm's group; else empty.
   */
  applicationSecurityGroupIds: pulumi.Output<string>;
  /** `gcp`: the project of the instance and its firewall rules; else empty. */
  project: pulumi.Output<string>;
  /** `gcp`: the VPC network of the instance and its firewall rules (its self link); else empty. */
  network: pulumi.Output<string>;
  /** `gcp`: the network tag only this instance carries, which its firewall rules target; else empty. */
  targetTag: pulumi.Output<string>;
  /** `hetzner`: the server's ID, a number in a string; else empty. */
  serverId: pulumi.Output<string>;
}

/**
 * A host's cloud firewall, where DockerSwarm admits the other members on the swarm ports: a DockerHost's `firewall`
 * output, or the same fields as data. `kind` is known when the program runs (it decides which rules exist); the
 * ids may be outputs.
 */
export interface SwarmFirewallArgs {
  /** Which firewall: `aws`, `digitalocean`, `azure`, `gcp`, `hetzner`, or `none` (no rule, like an absent `firewall`). */
  kind: FirewallKind;
  /** `aws`: the host's own security group (`sg-...`); DockerSwarm leaves it as it is (not needed). */
  securityGroupId?: pulumi.Input<string>;
  /** `aws`: the host's region; empty or absent means the AWS provider's region. All AWS members share one. */
  region?: pulumi.Input<string>;
  // Swarm at scale (issue 17): the swarm's one security group goes onto this interface, in this VPC.
  /**
   * `aws` (required): the instance's primary network interface (`eni-...`), to which DockerSwarm attaches the
   * swarm's security group (the host keeps its own).
   */
  networkInterfaceId?: pulumi.Input<string>;
  /** `aws` (required): the instance's VPC, where the swarm's security group is created. All AWS members share one. */
  vpcId?: pulumi.Input<string>;
  /** `digitalocean` (required): the Droplet's ID; the swarm's own cloud firewall for this host names it. */
  dropletId?: pulumi.Input<string>;
  /**
   * `digitalocean` (optional): the Droplet's tags, comma-separated. With DockerSwarm's `firewallTags`, a member
   * whose tags lack the swarm's tag is an error; without this field the member is not checked.
   */
  dropletTags?: pulumi.Input<string>;
  /** `azure` (required): the resource group of the network security group. */
  resourceGroupName?: pulumi.Input<string>;
  /** `azure` (required): the network security group on the VM's NIC that gets the swarm's rules. */
  networkSecurityGroupName?: pulumi.Input<string>;
  /**
   * `azure` (optional): the resource id of the subnet of the VM's NIC. With DockerSwarm's `firewallTags.azure`,
   * members whose subnets are in different virtual networks are an error; without this field (or empty) the
   * member is not checked.
   */
  subnetId?: pulumi.Input<string>;
  /**
   * `azure` (optional): the application security groups the VM's NIC joins, resource ids, comma-separated. With
   * DockerSwarm's `firewallTags.azure`, a member whose list lacks the swarm's group is an error; without this
   * field the member is not checked.
   */
  applicationSecurityGroupIds?: pulumi.Input<string>;
  /** `gcp` (required): the project of the members' VPC network, where the swarm's firewall rule goes. */
  project?: pulumi.Input<string>;
  /** `gcp` (required): the VPC network of the instance (name or self link); every GCP member must share it. */
  network?: pulumi.Input<string>;
  /** `gcp` (required): the network tag only this instance carries; the swarm's rule targets it. */
  targetTag?: pulumi.Input<string>;
  /** `hetzner` (required): the server's ID; the swarm's own firewall is applied to it. */
  serverId?: pulumi.Input<string>;
}

/** The id fields of a firewall (every field but its kind). */
export type FirewallIdField = Exclude<keyof HostFirewall, "kind">;

/** What a machine source knows about its firewall: the kind, and the ids that kind has. */
export type MachineFirewall = { kind: FirewallKind } & Partial<
  Record<FirewallIdField, pulumi.Output<string>>
>;

/** The public shape of a machine's firewall: every id present, empty where the kind has none. */
export function hostFirewall(firewall: MachineFirewall | undefined): HostFirewall {
  const id = (value: pulumi.Output<string> | undefined) => value ?? pulumi.output("");
  return {
    kind: firewall?.kind ?? FirewallKind.None,
    securityGroupId: id(firewall?.securityGroupId),
    region: id(firewall?.region),
    networkInterfaceId: id(firewall?.networkInterfaceId),
    vpcId: id(firewall?.vpcId),
    dropletId: id(firewall?.dropletId),
    dropletTags: id(firewall?.dropletTags),
    resourceGroupName: id(firewall?.resourceGroupName),
    networkSecurityGroupName: id(firewall?.networkSecurityGroupName),
    subnetId: id(firewall?.subnetId),
    applicationSecurityGroupIds: id(firewall?.applicationSecurityGroupIds),
    project: id(firewall?.project),
    network: id(firewall?.network),
    targetTag: id(firewall?.targetTag),
    serverId: id(firewall?.serverId),
  };
}
