import * as pulumi from "@pulumi/pulumi";
import { MachineFirewall } from "./firewall";
import type { SshConnection } from "../remote/connection";

/** How DockerHost reaches a machine over SSH: the one connection type of components/remote/connection.ts. */
export type { SshConnection };

/**
 * What every machine source yields, whatever the machine came from (libmachine's Driver seam): the engine
 * steps and the certificates use only this.
 */
export interface Machine {
  /** The address Docker clients use (public or static where the source has one). */
  address: pulumi.Output<string>;
  /** Every address of the machine; all become SANs of the server certificate. */
  addresses: pulumi.Output<string[]>;
  /** The SSH connection, a secret (it holds the private key). */
  connection: pulumi.Output<SshConnection>;
  /**
   * How many failed SSH dials the wait step accepts before it gives up (the plugin's `dialErrorLimit`). The SSH
   * library cannot tell a machine still booting from a wrong host key, so this stays finite: a wrong pinned key
   * then fails in minutes with "host key mismatch", not at the timeout with "context deadline exceeded".
   */
  sshDialAttempts: number;
  /** Resources the first SSH attempt must wait for (the VM, its firewall); empty for existing machines. */
  dependsOn: pulumi.Resource[];
  /** Whether `cleanupOnDelete` applies: undo DockerHost's changes when the DockerHost is deleted. */
  cleanupOnDelete: pulumi.Input<boolean>;
  /** The public IP as the source knows it (cloud VMs: the static address when there is one). */
  publicIp?: pulumi.Output<string>;
  /** The private IP inside the machine's network, where the source knows it. */
  privateIp?: pulumi.Output<string>;
  /** The cloud firewall the source created for the machine (other components add rules to it); none for existing machines. */
  firewall?: MachineFirewall;
  /**
   * The resource that holds the machine's power state, for a source whose `power` is declarative (it may be the
   * VM itself): the start check that ends every start depends on it. Undefined for the other sources.
   */
  powerState?: pulumi.Resource;
}
