import * as pulumi from "@pulumi/pulumi";
import { Checker, checker, InputError } from "../inputs";
import { checkPort, checkPrivateKey } from "../checks";
import { FirewallKind, SwarmFirewallArgs } from "../machines/firewall";
import { firewallOfKind } from "../machines/registry";
import { DockerSwarmArgs, SwarmNodeArgs } from "./args";
import { SshConnectionInputs } from "../remote/connection";
import {
  checkAdvertiseAddress,
  checkFirewall,
  checkFirewallId,
  checkFirewallKinds,
  checkFirewallTags,
  checkHostKeys,
  checkNodeFields,
  checkNodeLabels,
  checkNodeName,
  checkSshHostKey,
} from "./validate";

export type SwarmRole = "manager" | "worker";

/** One host of the swarm, checked, with its role and settings. */
export interface NodePlan {
  /** The host's name in the swarm (resource suffix, label, key of the per-host maps). */
  name: string;
  role: SwarmRole;
  /** The first manager: initialises the swarm and runs the swarm-wide commands. */
  first: boolean;
  /** Where the host was listed, e.g. `workers[1]`, for messages. */
  where: string;
  /** The host's engine endpoint: the host's steps wait for it. */
  dockerHost: pulumi.Input<string>;
  /** How to reach the host over SSH (port, host key and private key checked when they resolve). */
  ssh: SshConnectionInputs;
  /** The address it advertises (checked when it resolves). */
  advertise: pulumi.Output<string>;
  /** Its private IPv4 address as given (a DockerHost's `privateIp`), trimmed; empty when not given. */
  privateIp: pulumi.Output<string>;
  /** Its node labels (checked when they resolve). */
  labels: pulumi.Output<Record<string, string>>;
  /** Its cloud firewall (ids checked when they resolve), or undefined when the swarm adds no rule for it. */
  firewall?: SwarmFirewallArgs;
}

/** DockerSwarm's inputs, checked: the hosts in order, the first manager first. */
export interface SwarmPlan {
  nodes: NodePlan[];
  first: NodePlan;
  /** Per firewall kind, the tag its members carry, for one firewall of the swarm's on it (`firewallTags`). */
  firewallTags: Partial<Record<FirewallKind, string>>;
  /** A warning to log on every run, when there is one (an even number of managers). */
  warning?: string;
}

/**
 * The name of a host: its own `name`, else the name a DockerHost was given in the program (the SDK's public
 * `resourceName`). A host that is neither named nor a resource gets an error asking for a name.
 */
export function hostName(node: SwarmNodeArgs, where: string): string {
  if (node.name !== undefined) return checkNodeName(where, node.name);
  const own = pulumi.Resource.isInstance(node) ? givenName(node) : undefined;
  if (own !== undefined) return checkNodeName(where, own);
  throw new InputError(
    `${where}.name`,
    `${where}.name is required for a host that is not a DockerHost`,
  );
}

/** The name a resource was constructed with; undefined for an instance of an SDK too old to record it. */
function givenName(resource: pulumi.Resource): string | undefined {
  try {
    return pulumi.resourceName(resource);
  } catch {
    return undefined;
  }
}

/** Why a count of managers is risky, or undefined when it is odd. */
export function quorumWarning(managers: number): string | undefined {
  if (managers % 2 !== 0) return undefined;
  const tolerated = Math.floor((managers - 1) / 2);
  return `${managers} managers: Raft needs a majority of them, so ${managers} tolerate the loss of ${tolerated} manager${tolerated === 1 ? "" : "s"}, no more than ${managers - 1} would; use an odd number (3 tolerate 1, 5 tolerate 2)`;
}

/**
 * Checks the inputs and orders the hosts. Everything that decides which resources exist (the lists, the names,
 * the keys of the per-host maps) is checked now, before any resource is registered; values that are Outputs
 * are checked when they resolve, failing the steps that consume them with the same message.
 */
export function planSwarm(swarmName: string, args: DockerSwarmArgs): SwarmPlan {
  const check: Checker = checker(`DockerSwarm "${swarmName}": `);
  const listed: { name: string; role: SwarmRole; where: string; node: SwarmNodeArgs }[] = [];
  let firewallTags: Partial<Record<FirewallKind, string>> = {};
  check(null, () => {
    firewallTags = checkFirewallTags(args.firewallTags);
    listed.push(...listHosts(args));
    const names = listed.map((n) => n.name);
    checkHostKeys("advertiseAddress", args.advertiseAddress, names);
    checkHostKeys("labels", args.labels, names);
  });

  const nodes = listed.map(({ name, role, where, node }, i): NodePlan => {
    const own = args.advertiseAddress?.[name];
    return {
      name,
      role,
      first: i === 0,
      where,
      dockerHost: node.dockerHost,
      ssh: {
        host: node.address,
        port: check(node.sshPort ?? 22, (v) => {
          checkPort(`${where}.sshPort`, v);
        }),
        user: node.sshUser,
        privateKey: check(node.sshPrivateKey, (v) => {
          checkPrivateKey(`${where}.sshPrivateKey`, v);
        }),
        hostKey: check(node.sshHostKey, (v) => {
          checkSshHostKey(`${where}.sshHostKey`, v);
        }),
      },
      advertise: pulumi
        .output(
          own !== undefined
            ? check(own, (v) => {
                checkAdvertiseAddress(`advertiseAddress.${name}`, v);
              })
            : pulumi
                .all([node.privateIp ?? "", node.address])
                .apply(([privateIp, address]) => (privateIp !== "" ? privateIp : address)),
        )
        .apply((a) => a.trim()),
      // Other languages may send null for an absent output.
      privateIp: pulumi
        .output(node.privateIp ?? "")
        .apply((ip: string | null | undefined) => (ip ?? "").trim()),
      labels: pulumi
        .output(
          check(args.labels?.[name], (v) => {
            checkNodeLabels(`labels.${name}`, v);
          }),
        )
        .apply((l) => (l ?? {}) as Record<string, string>),
      ...planFirewall(check, where, node.firewall),
    };
  });

  check(null, () => {
    checkFirewallKinds(nodes, firewallTags);
  });

  const first = nodes[0];
  // Unreachable: listHosts guarantees a first manager.
  if (first === undefined) throw new InputError("managers", "managers must list at least one host");
  const warning = quorumWarning(nodes.filter((n) => n.role === "manager").length);
  return { nodes, first, firewallTags, ...(warning !== undefined ? { warning } : {}) };
}

/** A host's firewall, its kind checked now and the ids its kind uses checked when they resolve; {} for none. */
function planFirewall(
  check: Checker,
  where: string,
  value: unknown,
): { firewall?: SwarmFirewallArgs } {
  let firewall: SwarmFirewallArgs | undefined;
  check(null, () => {
    firewall = checkFirewall(where, value);
  });
  if (firewall === undefined) return {};
  const planned: SwarmFirewallArgs = { kind: firewall.kind };
  const source = firewallOfKind(firewall.kind);
  // Only the ids of its kind: a DockerHost's firewall output has every id, empty where its kind has none.
  for (const id of source?.ids ?? []) {
    planned[id] = check(firewall[id], (v) => {
      checkFirewallId(`${where}.firewall.${id}`, v, source?.idFormats?.[id]);
    });
  }
  if (firewall.region !== undefined) planned.region = firewall.region;
  // The member's tags and the other fields a swarm on a tag checks (optional: a host given as data may leave them
  // out).
  const sharedTag = source?.sharedTag;
  const optional = sharedTag ? [sharedTag.tagsField, ...(sharedTag.checkedFields ?? [])] : [];
  for (const field of optional) {
    if (firewall[field] != null) planned[field] = firewall[field];
  }
  return { firewall: planned };
}

/** The hosts of both lists in order, named; a host listed twice (in one list or both) is an error. */
function listHosts(
  args: DockerSwarmArgs,
): { name: string; role: SwarmRole; where: string; node: SwarmNodeArgs }[] {
  const lists = [
    { role: "manager" as const, key: "managers", hosts: args.managers as unknown },
    { role: "worker" as const, key: "workers", hosts: (args.workers ?? []) as unknown },
  ];
  for (const { key, hosts } of lists) {
    if (!Array.isArray(hosts)) {
      throw new InputError(key, `${key} must be a list of hosts known when the program runs`);
    }
  }
  if ((args.managers as unknown[]).length === 0) {
    throw new InputError(
      "managers",
      "managers must list at least one host: the first initialises the swarm",
    );
  }
  const seen = new Map<string, string>();
  const out: { name: string; role: SwarmRole; where: string; node: SwarmNodeArgs }[] = [];
  for (const { role, key, hosts } of lists) {
    (hosts as unknown[]).forEach((host, i) => {
      const where = `${key}[${String(i)}]`;
      checkNodeFields(where, host);
      const node = host as SwarmNodeArgs;
      const name = hostName(node, where);
      const before = seen.get(name);
      if (before !== undefined) {
        const how = before.startsWith(key) ? `twice in ${key}` : "in both managers and workers";
        throw new InputError(
          `${where}.name`,
          `host "${name}" is listed ${how} (${before} and ${where}): list each host once, in the list of its role`,
        );
      }
      seen.set(name, where);
      out.push({ name, role, where, node });
    });
  }
  return out;
}
