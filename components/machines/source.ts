import * as pulumi from "@pulumi/pulumi";
import { Checker } from "../inputs";
import { FirewallIdField, FirewallKind, SwarmFirewallArgs } from "./firewall";
import { Machine } from "./machine";

// The seam between DockerHost and where its machine comes from (libmachine's Driver interface): each module of
// machines/ exports one MachineSource, registry.ts lists them, and nothing outside machines/ learns more about a
// source than this interface says.

/** What DockerHost hands a source besides the source's own inputs, once every input is checked. */
export interface MachineContext {
  /** The DockerHost's name: every child's name starts with it. */
  name: string;
  /** The only ranges admitted on SSH and the engine port (canonical); empty for a source without a firewall. */
  allowedCidrs: string[];
  /** The engine API's TCP port. */
  enginePort: pulumi.Output<number>;
  /** The DockerHost: the parent of every resource the source creates. */
  parent: pulumi.Resource;
}

/** A source's inputs, checked and with defaults filled in: all that is left is to create the machine. */
export interface CheckedMachine {
  /** The SSH port DockerHost connects to (the engine port must differ from it). */
  sshPort: pulumi.Input<number>;
  /** Creates (or adopts) the machine: its resources, addresses and SSH access with the pinned host key. */
  create(ctx: MachineContext): Machine;
}

/** One member's firewall, and the other members a swarm admits on it. */
export interface SwarmPeers {
  /** The DockerSwarm's name, for messages. */
  swarmName: string;
  /** The swarm's identity (`project/stack/name`): in rule descriptions and tags. */
  swarmKey: string;
  /** This member's name in the swarm. */
  member: string;
  /** The start of the names of this member's rules: `SWARM-HOST`. */
  prefix: string;
  /** The member's firewall, its ids as the swarm was given them (those of `ids` present). */
  firewall: SwarmFirewallArgs;
  /** The other members: their names, and each one's single-address range (`/32`, `/128`) for rules on this member. */
  peers: { name: string; range: pulumi.Output<string> }[];
  /** The DockerSwarm: the parent of the rules. */
  parent: pulumi.Resource;
}

/** Rules a swarm added, and the members (by name) whose join waits for them and who leave before they go. */
export interface SwarmRules {
  rules: pulumi.Resource[];
  members: string[];
}

/** A source's cloud firewall, as other components see it. */
export interface SourceFirewall {
  /** Its kind: the `kind` of DockerHost's `firewall` output for this source. */
  kind: FirewallKind;
  /** The id fields this kind needs (present in a swarm's `firewall` input). */
  ids: readonly FirewallIdField[];
  /** Opens the swarm ports on one member's firewall to the other members only. */
  admitSwarmPeers: (peers: SwarmPeers) => SwarmRules[];
}

/**
 * Where a DockerHost's machine comes from: its inputs' checks, the machine, and its firewall. `Args` is the type
 * of the DockerHost input that selects it.
 */
export interface MachineSource<Args> {
  /** Whether the source creates the machine in a cloud and owns its firewall (then `allowedCidrs` is required). */
  readonly createsMachine: boolean;
  /** The firewall DockerHost creates for the machine; undefined when it manages none (an existing machine). */
  readonly firewall?: SourceFirewall;
  /**
   * Checks the source's inputs (known values now, Outputs when they resolve; paths start with the input's name)
   * and fills in defaults. Registers no resource.
   */
  check(args: Args, check: Checker): CheckedMachine;
}
