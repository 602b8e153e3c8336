import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { COMMAND_DEFAULTS } from "../remote/command";
import { connectionArgs } from "../remote/connection";
import { STEP_DIAL_ATTEMPTS } from "../remote/dial";
import { commandTimeouts, SWARM_STEP_TIMEOUT } from "../remote/timeouts";
import { FirstManagerOutput, parseFirstManager, parseNodeId, renderLabels } from "./outputs";
import { NodePlan, SwarmPlan } from "./plan";
import { renderSwarmCommand, renderSwarmStep, SwarmScript } from "./scripts";

/** The steps of one host. */
export interface NodeSteps {
  plan: NodePlan;
  /** On the host: init or join; deleting it makes the host leave. Its stdout holds the node ID. */
  join: command.remote.Command;
  /** On the first manager: role, labels, availability; deleting it drains (and demotes) the node. */
  member: command.remote.Command;
}

/** What the swarm's steps yield. */
export interface SwarmSteps {
  /** The first manager's results; secret (the join tokens are in it). */
  first: pulumi.Output<FirstManagerOutput>;
  nodes: NodeSteps[];
}

/** Where a host joins: the first manager's address and identity (parameters of the join script). */
type JoinTarget = Record<"DH_MANAGER_ADDR" | "DH_CLUSTER_ID" | "DH_MANAGER_NODE_ID", string>;

const TIMEOUTS = commandTimeouts(SWARM_STEP_TIMEOUT);
/** Swarm steps log their stderr only: stdout carries results, the first manager's with the join tokens. */
const LOGGING = command.types.enums.remote.Logging.Stderr;

/**
 * Per host, three remote commands, ordered so that a host taken out of the program is drained, then leaves,
 * then is removed (Pulumi deletes dependents first):
 *
 *   NAME-HOST-remove  on the first manager, nothing on create; on delete, removes the host's node
 *   NAME-HOST-join    on the host (depends on remove): init or join; on delete, leave
 *   NAME-HOST-member  on the first manager (depends on join): role, labels; on delete, drain and demote
 *
 * Every other host's steps depend on the first manager's join step (the tokens, and the first manager leaves
 * last), and managers join one after the other (Raft adds one member at a time). A join step also waits for the
 * cloud firewall rules that concern its host (`firewallRules`, by host name).
 */
export function swarmSteps(
  swarmName: string,
  swarmKey: string,
  plan: SwarmPlan,
  parent: pulumi.Resource,
  firewallRules: ReadonlyMap<string, pulumi.Resource[]> = new Map(),
): SwarmSteps {
  const firstConnection = connectionArgs(plan.first.ssh, STEP_DIAL_ATTEMPTS);
  const base = (node: NodePlan) =>
    pulumi.all([node.ssh.host, node.advertise]).apply(([address, advertise]) => ({
      DH_SWARM_KEY: swarmKey,
      DH_NODE_NAME: node.name,
      DH_NODE_ADDRESS: address.trim(),
      DH_ROLE: node.role,
      DH_ADVERTISE: advertise,
    }));
  const opts = (dependsOn: pulumi.Resource[]): pulumi.CustomResourceOptions => ({
    parent,
    dependsOn,
    customTimeouts: TIMEOUTS,
  });

  let first: pulumi.Output<FirstManagerOutput> | undefined;
  /** The first manager's identity, without the tokens: not secret, it goes into the other hosts' command text. */
  let firstPublic: pulumi.Output<JoinTarget> | undefined;
  let firstJoin: command.remote.Command | undefined;
  let lastManagerJoin: command.remote.Command | undefined;
  const nodes: NodeSteps[] = [];

  for (const node of plan.nodes) {
    const prefix = `${swarmName}-${node.name}`;
    // Removal finds the node by name: the role and address do not matter, so a promotion leaves it alone.
    const removeParams = base(node).apply(({ DH_SWARM_KEY, DH_NODE_NAME, DH_NODE_ADDRESS }) => ({
      DH_SWARM_KEY,
      DH_NODE_NAME,
      DH_NODE_ADDRESS,
    }));
    const remove = new command.remote.Command(
      `${prefix}-remove`,
      {
        connection: firstConnection,
        // The first manager's engine in the text: the removal is deleted before that host is (a cloud VM).
        delete: pulumi
          .all([removeParams, plan.first.dockerHost])
          .apply(([p, engine]) =>
            renderSwarmCommand(SwarmScript.Remove, p, [
              `remove host ${node.name}'s node, on the first manager (engine ${engine})`,
            ]),
          ),
        logging: LOGGING,
        ...COMMAND_DEFAULTS,
      },
      opts(firstJoin !== undefined ? [firstJoin] : []),
    );

    const joinParams = pulumi
      .all([
        base(node),
        node.dockerHost,
        firstPublic ?? pulumi.output<Record<string, string>>({ DH_FIRST: "1" }),
      ])
      .apply(([p, engine, target]) => ({
        params: { ...p, ...(target as Record<string, string>) },
        engine,
      }));
    const joinSummary = (engine: string) => [
      node.first
        ? `host ${node.name} (engine ${engine}) initialises swarm ${swarmKey}`
        : `host ${node.name} (engine ${engine}) joins swarm ${swarmKey} as a ${node.role}`,
    ];
    const joinStep = joinParams.apply(({ params, engine }) =>
      renderSwarmStep(SwarmScript.Join, params, joinSummary(engine)),
    );
    // The join script, then (for every host but the first manager) the token of the host's role right after it.
    const joinStdin =
      first === undefined
        ? joinStep.stdin
        : pulumi.secret(
            pulumi
              .all([joinStep.stdin, first])
              .apply(
                ([script, f]) =>
                  `${script}${node.role === "manager" ? f.managerToken : f.workerToken}\n`,
              ),
          );
    const join = new command.remote.Command(
      `${prefix}-join`,
      {
        connection: connectionArgs(node.ssh, STEP_DIAL_ATTEMPTS),
        create: joinStep.command,
        stdin: joinStdin,
        delete: joinParams.apply(({ params, engine }) =>
          renderSwarmCommand(SwarmScript.Leave, params, joinSummary(engine)),
        ),
        logging: LOGGING,
        ...COMMAND_DEFAULTS,
      },
      {
        ...opts([
          remove,
          ...(node.role === "manager" && lastManagerJoin !== undefined ? [lastManagerJoin] : []),
          // The cloud firewall rules that concern the host: the swarm ports are open before it joins, and closed
          // only after it left.
          ...(firewallRules.get(node.name) ?? []),
        ]),
        additionalSecretOutputs: ["stdout"],
      },
    );
    if (first === undefined) {
      firstJoin = join;
      first = pulumi.secret(join.stdout.apply(parseFirstManager));
      firstPublic = pulumi.unsecret(
        first.apply((f) => ({
          DH_MANAGER_ADDR: f.managerAddress,
          DH_CLUSTER_ID: f.clusterId,
          DH_MANAGER_NODE_ID: f.nodeId,
        })),
      );
    }
    if (node.role === "manager") lastManagerJoin = join;

    const memberParams = pulumi
      .all([base(node), pulumi.unsecret(join.stdout.apply(parseNodeId)), node.labels])
      .apply(([p, nodeId, labels]) => ({
        ...p,
        DH_NODE_ID: nodeId,
        DH_LABELS: renderLabels(labels),
      }));
    const memberStep = memberParams.apply((p) =>
      renderSwarmStep(SwarmScript.Member, p, [
        `host ${node.name}: a ${node.role}, labels ${p.DH_LABELS.split("\n").filter(Boolean).join(", ") || "none"}`,
      ]),
    );
    const member = new command.remote.Command(
      `${prefix}-member`,
      {
        connection: firstConnection,
        create: memberStep.command,
        stdin: memberStep.stdin,
        delete: memberParams.apply((p) =>
          renderSwarmCommand(SwarmScript.Drain, p, [`drain host ${node.name} before it leaves`]),
        ),
        logging: LOGGING,
        ...COMMAND_DEFAULTS,
      },
      opts([join]),
    );
    nodes.push({ plan: node, join, member });
  }

  if (first === undefined) throw new Error("DockerSwarm: no first manager"); // planSwarm guarantees one
  return { first, nodes };
}
