import * as pulumi from "@pulumi/pulumi";
import { PowerState } from "../args";
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
  /**
   * The power state the program asks for. `Stopped` reaches only a source whose `power` is declarative; such a
   * source returns the resource that holds the state as `Machine.powerState`.
   */
  power: PowerState;
  /**
   * Resolves to the last engine step once DockerHost has built it: a source whose power state is a resource of its
   * own stops the machine only after it (`dependsOn`), so a host deployed `Stopped` is provisioned first.
   */
  provisioned: Promise<pulumi.Resource[]>;
}

/** A source's inputs, checked and with defaults filled in: all that is left is to create the machine. */
export interface CheckedMachine {
  /** The SSH port DockerHost connects to (the engine port must differ from it). */
  sshPort: pulumi.Input<number>;
  /** Creates (or adopts) the machine: its resources, addresses and SSH access with the pinned host key. */
  create(ctx: MachineContext): Machine;
}

/** A member of a swarm, as its firewall rules see it. */
export interface SwarmMember {
  /** Its name in the swarm. */
  name: string;
  /** Where it was listed, e.g. `workers[1]`: the start of the path of an error about its inputs. */
  where: string;
  /** Its role: every member's join reaches the managers, so the rules on a manager concern every member. */
  role: "manager" | "worker";
  /** Its advertise address as a single-address range (`/32`, `/128`): the source other members' rules admit. */
  range: pulumi.Output<string>;
  /**
   * Its advertise address, trimmed, as given or defaulted (its own alone: unlike `range`, not checked against the
   * other members' addresses, so rules built from it do not wait for every member).
   */
  advertise: pulumi.Output<string>;
  /** Its private IPv4 address as the swarm was given it (a DockerHost's `privateIp`); empty when unknown. */
  privateIp: pulumi.Output<string>;
  /** Its firewall, the ids its kind needs present; undefined when the swarm adds no rule for it. */
  firewall?: SwarmFirewallArgs;
}

/** A swarm, for the rules one firewall kind needs. */
export interface SwarmMembers {
  /** The DockerSwarm's name, for messages; with a dash, the start of the names of its rules. */
  swarmName: string;
  /** The swarm's identity (`project/stack/name`): in rule descriptions and tags. */
  swarmKey: string;
  /** The members whose firewall is of this kind (at least one), in the swarm's order. */
  members: (SwarmMember & { firewall: SwarmFirewallArgs })[];
  /** Every member of the swarm, in its order (those with a firewall of this kind among them). */
  everyone: SwarmMember[];
  /** The DockerSwarm: the parent of the rules. */
  parent: pulumi.Resource;
}

/**
 * The members of a swarm whose firewall is of another kind (or none), and their advertise ranges as one output:
 * the sources a kind's rules admit besides its own members, which it reaches by group, tag or ID.
 */
export function membersOfOtherKinds(swarm: SwarmMembers): {
  others: SwarmMember[];
  ranges: pulumi.Output<string[]>;
} {
  const isMember = new Set(swarm.members.map((m) => m.name));
  const others = swarm.everyone.filter((m) => !isMember.has(m.name));
  return { others, ranges: pulumi.all(others.map((peer) => peer.range)) };
}

/** Rules a swarm added, and the members (by name) whose join waits for them and who leave before they go. */
export interface SwarmRules {
  rules: pulumi.Resource[];
  members: string[];
}

/** The form an id must have beyond a non-empty string, e.g. digits for a Droplet ID. */
export interface IdFormat {
  pattern: RegExp;
  /** What the id is, for the message when it does not match, e.g. `a Droplet ID (digits)`. */
  what: string;
}

/** A source's cloud firewall, as other components see it. */
export interface SourceFirewall {
  /** Its kind: the `kind` of DockerHost's `firewall` output for this source. */
  kind: FirewallKind;
  /** The id fields this kind needs (present in a swarm's `firewall` input). */
  ids: readonly FirewallIdField[];
  /** The ids among them that have a form of their own, checked when a swarm's input resolves. */
  idFormats?: Partial<Record<FirewallIdField, IdFormat>>;
  /**
   * Opens the swarm ports on the firewalls of this kind to the swarm's other members only (called once per swarm
   * with at least two members). Each returned group names the members whose join waits for its rules and who
   * leave before they go.
   */
  admitSwarm: (swarm: SwarmMembers) => SwarmRules[];
  /**
   * Where the kind's cloud can put one firewall on every member carrying a tag the user chose (DockerSwarm's
   * `firewallTags`), the firewall that applies to and admits that tag: no join or leave changes it.
   */
  sharedTag?: SharedTagFirewall;
  /**
   * Where the kind's own way (`admitSwarm`) holds at most so many members: the limit, and the sentence that says
   * why and what to do instead. A swarm with more members of the kind and no `firewallTags` entry for it is
   * refused before any resource.
   */
  memberLimit?: { count: number; why: string };
}

/** A firewall for the whole swarm on a tag its members carry (the kind's `sharedTag`). */
export interface SharedTagFirewall {
  /** The form of a tag, and what it is for the message when a tag does not match. */
  format: IdFormat;
  /**
   * The id field of DockerHost's `firewall` output that lists the machine's tags (comma-separated), checked to
   * hold the tag; a member given as data without it is not checked.
   */
  tagsField: FirewallIdField;
  /**
   * More id fields of DockerHost's `firewall` output that `admitSwarm` reads, for checks of its own (Azure: the
   * subnet, for one virtual network); optional like `tagsField`: a member given as data without them is not checked.
   */
  checkedFields?: readonly FirewallIdField[];
  /**
   * Why every member of a swarm on this kind's tag must be of this kind, when it must (Azure: the group matches
   * private addresses of one virtual network); DockerSwarm then refuses other members before any resource exists.
   */
  onlyKind?: string;
  /** Opens the swarm ports among the members carrying `tag`, on one firewall of the swarm's. */
  admitSwarm: (swarm: SwarmMembers, tag: string) => SwarmRules[];
}

/**
 * Whether a source's provider holds its machine's power state, so that DockerHost's `power` input can stop and
 * start the machine declaratively; when it cannot, why not and what to do instead (DockerHost refuses
 * `power: Stopped` with both, and `docker-host stop` / `start` print them).
 */
export type PowerControl =
  | { readonly declarative: true }
  | {
      readonly declarative: false;
      /** Why not, naming the source, e.g. `the DigitalOcean provider cannot hold a Droplet's power state`. */
      readonly why: string;
      /** What the user can do instead, in one sentence. */
      readonly alternative: string;
    };

/**
 * Where a DockerHost's machine comes from: its inputs' checks, the machine, and its firewall. `Args` is the type
 * of the DockerHost input that selects it.
 */
export interface MachineSource<Args> {
  /** Whether the source creates the machine in a cloud and owns its firewall (then `allowedCidrs` is required). */
  readonly createsMachine: boolean;
  /** Whether `power: Stopped` can park the machine (and the CLI's `stop`/`start` advice). */
  readonly power: PowerControl;
  /** The firewall DockerHost creates for the machine; undefined when it manages none (an existing machine). */
  readonly firewall?: SourceFirewall;
  /**
   * Checks the source's inputs (known values now, Outputs when they resolve; paths start with the input's name)
   * and fills in defaults. Registers no resource. `power` is the checked `power` input, already refused for a
   * source whose `power` is not declarative; a source rejects the inputs that cannot be stopped (AWS: one-time
   * Spot instances).
   */
  check(args: Args, check: Checker, power: PowerState): CheckedMachine;
}
