import { SwarmRole } from "./plan";
import { SwarmScript } from "./scripts";

// The swarm's remote steps as data: which host runs which step after which, with which parameters. A pure
// function of the hosts' names and roles in order, so the order the swarm changes in is tested without Pulumi;
// steps.ts renders each planned step as a `command.remote.Command`.

/** The three steps of every host (see swarmSteps in steps.ts for what each does on create and on delete). */
export type SwarmStepKind = "remove" | "join" | "member";

/** The `key: value` lines the join steps print (components/remote/output.ts) that other steps read. */
export type JoinOutputKey = "node-id" | "manager-address" | "cluster-id";

/** Where a step parameter's value comes from. */
export type ParamSource =
  /** Known when the program runs. */
  | { known: string }
  /** A field of the host the step is about, known when it resolves (`labels` rendered as `KEY=VALUE` lines). */
  | { host: "address" | "advertise" | "labels" }
  /** A value the earlier step `step` (an id) printed on stdout. */
  | { step: string; key: JoinOutputKey };

/** One remote step of the swarm, as data. */
export interface PlannedStep {
  /** The step's id, `HOST-KIND` (e.g. `b-join`): its resource is named `SWARM-HOST-KIND`. */
  id: string;
  /** Which of the host's three steps it is. */
  kind: SwarmStepKind;
  /** The host the step is about. */
  host: string;
  /** The host whose SSH connection runs it: the host itself, or the first manager. */
  runsOn: string;
  /**
   * The earlier steps (ids) it runs after, and is deleted before; it also follows every step whose output it
   * reads (its `params` and `token`).
   */
  after: string[];
  /** Whether it also runs after the cloud firewall rules that concern its host (and is deleted before them). */
  afterFirewall: boolean;
  /** The script it runs on create; none for a step that only acts when deleted. */
  create?: SwarmScript;
  /** The script it runs on delete. */
  delete: SwarmScript;
  /** Its parameters, in the order of its command text. */
  params: Record<string, ParamSource>;
  /** The join token its script reads on stdin after itself: the token of `role` that the step `from` printed. */
  token?: { role: SwarmRole; from: string };
  /** Whether its stdout is kept secret in the state: a join's (the first manager's holds the join tokens). */
  secretOutput: boolean;
}

/** The id of a host's step. */
export function stepId(host: string, kind: SwarmStepKind): string {
  return `${host}-${kind}`;
}

/**
 * The swarm's steps, three per host in the order of `hosts` (the first is the first manager), so that a host
 * taken out of the program is drained (member), then leaves (join), then is removed (remove), since Pulumi
 * deletes dependents first:
 *
 *   HOST-remove  on the first manager, after the first manager's join (it leaves last); on delete, removes the
 *                host's node
 *   HOST-join    on the host, after its remove step, the previous manager's join for a manager (Raft adds one
 *                member at a time) and its firewall rules; initialises the swarm (the first manager) or joins it
 *                with the first manager's address, identity and the token of its role; on delete, leaves
 *   HOST-member  on the first manager, after the host's join, whose node ID it reads: role and labels; on
 *                delete, drains (and demotes) the node
 */
export function planSwarmSteps(
  swarmKey: string,
  hosts: readonly { name: string; role: SwarmRole }[],
): PlannedStep[] {
  const first = hosts[0];
  if (first === undefined) throw new Error("DockerSwarm: no first manager"); // planSwarm guarantees one
  const firstJoin = stepId(first.name, "join");
  return hosts.flatMap(({ name, role }, i): PlannedStep[] => {
    const isFirst = i === 0;
    const previousManager = hosts
      .slice(0, i)
      .filter((h) => h.role === "manager")
      .at(-1);
    const own = (kind: SwarmStepKind) => stepId(name, kind);
    // Removal finds the node by name: the role and address do not matter, so a promotion leaves it alone.
    const identity: Record<string, ParamSource> = {
      DH_SWARM_KEY: { known: swarmKey },
      DH_NODE_NAME: { known: name },
      DH_NODE_ADDRESS: { host: "address" },
    };
    const base: Record<string, ParamSource> = {
      ...identity,
      DH_ROLE: { known: role },
      DH_ADVERTISE: { host: "advertise" },
    };
    // Where the host joins: the first manager's address and identity; the first manager initialises instead.
    const target: Record<string, ParamSource> = isFirst
      ? { DH_FIRST: { known: "1" } }
      : {
          DH_MANAGER_ADDR: { step: firstJoin, key: "manager-address" },
          DH_CLUSTER_ID: { step: firstJoin, key: "cluster-id" },
          DH_MANAGER_NODE_ID: { step: firstJoin, key: "node-id" },
        };
    return [
      {
        id: own("remove"),
        kind: "remove",
        host: name,
        runsOn: first.name,
        after: isFirst ? [] : [firstJoin],
        afterFirewall: false,
        delete: SwarmScript.Remove,
        params: identity,
        secretOutput: false,
      },
      {
        id: own("join"),
        kind: "join",
        host: name,
        runsOn: name,
        after: [
          own("remove"),
          ...(role === "manager" && previousManager !== undefined
            ? [stepId(previousManager.name, "join")]
            : []),
        ],
        afterFirewall: true,
        create: SwarmScript.Join,
        delete: SwarmScript.Leave,
        params: { ...base, ...target },
        ...(isFirst ? {} : { token: { role, from: firstJoin } }),
        secretOutput: true,
      },
      {
        id: own("member"),
        kind: "member",
        host: name,
        runsOn: first.name,
        after: [own("join")],
        afterFirewall: false,
        create: SwarmScript.Member,
        delete: SwarmScript.Drain,
        params: {
          ...base,
          DH_NODE_ID: { step: own("join"), key: "node-id" },
          DH_LABELS: { host: "labels" },
        },
        secretOutput: false,
      },
    ];
  });
}
