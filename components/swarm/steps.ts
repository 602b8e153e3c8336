import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { COMMAND_DEFAULTS } from "../remote/command";
import { connectionArgs } from "../remote/connection";
import { STEP_DIAL_ATTEMPTS } from "../remote/dial";
import { stepValue } from "../remote/output";
import { commandTimeouts, SWARM_STEP_TIMEOUT } from "../remote/timeouts";
import { FirstManagerOutput, parseFirstManager, renderLabels } from "./outputs";
import { NodePlan, SwarmPlan } from "./plan";
import { renderSwarmCommand, renderSwarmStep } from "./scripts";
import { ParamSource, PlannedStep, planSwarmSteps, stepId, SwarmStepKind } from "./stepPlan";

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

const TIMEOUTS = commandTimeouts(SWARM_STEP_TIMEOUT);
/** Swarm steps log their stderr only: stdout carries results, the first manager's with the join tokens. */
const LOGGING = command.types.enums.remote.Logging.Stderr;

/** What rendering a planned step needs: the swarm, its hosts, and the steps rendered before it. */
interface Context {
  swarmName: string;
  swarmKey: string;
  parent: pulumi.Resource;
  firewallRules: ReadonlyMap<string, pulumi.Resource[]>;
  /** A host of the plan, by name. */
  node(name: string): NodePlan;
  /** An earlier step, by id: the plan names only steps before the one being rendered. */
  step(id: string): command.remote.Command;
  /** The connection of the steps that run on a host, by its name. */
  connection(name: string): pulumi.Output<command.types.input.remote.ConnectionArgs>;
}

/**
 * The swarm's remote commands, rendered one by one from planSwarmSteps (stepPlan.ts, which says what runs where
 * and after what). A join step also waits for the cloud firewall rules that concern its host (`firewallRules`,
 * by host name).
 */
export function swarmSteps(
  swarmName: string,
  swarmKey: string,
  plan: SwarmPlan,
  parent: pulumi.Resource,
  firewallRules: ReadonlyMap<string, pulumi.Resource[]> = new Map(),
): SwarmSteps {
  const nodes = new Map(plan.nodes.map((n) => [n.name, n]));
  const rendered = new Map<string, command.remote.Command>();
  // One connection output per host, shared by its steps: the first manager runs two steps for every member.
  const connections = new Map<string, pulumi.Output<command.types.input.remote.ConnectionArgs>>();
  const context: Context = {
    swarmName,
    swarmKey,
    parent,
    firewallRules,
    node: (name) => found(nodes, name),
    step: (id) => found(rendered, id),
    connection: (name) => {
      let known = connections.get(name);
      if (known === undefined) {
        known = connectionArgs(found(nodes, name).ssh, STEP_DIAL_ATTEMPTS);
        connections.set(name, known);
      }
      return known;
    },
  };
  for (const step of planSwarmSteps(swarmKey, plan.nodes)) {
    rendered.set(step.id, renderPlannedStep(step, context));
  }
  const stepOf = (node: NodePlan, kind: "join" | "member") =>
    found(rendered, stepId(node.name, kind));
  return {
    first: pulumi.secret(stepOf(plan.first, "join").stdout.apply(parseFirstManager)),
    nodes: plan.nodes.map((node) => ({
      plan: node,
      join: stepOf(node, "join"),
      member: stepOf(node, "member"),
    })),
  };
}

/** The comment lines that start a step's command texts, on create and on delete. */
interface Summaries {
  /** Whether they name the engine of the host the step runs on (the step then waits for that engine). */
  namesEngine: boolean;
  create(node: NodePlan, c: Context, params: Record<string, string>, engine: string): string[];
  delete(node: NodePlan, c: Context, params: Record<string, string>, engine: string): string[];
}

const joinSummary: Summaries["create"] = (node, c, _params, engine) => [
  node.first
    ? `host ${node.name} (engine ${engine}) initialises swarm ${c.swarmKey}`
    : `host ${node.name} (engine ${engine}) joins swarm ${c.swarmKey} as a ${node.role}`,
];

const SUMMARIES: Record<SwarmStepKind, Summaries> = {
  remove: {
    // The first manager's engine in the text: the removal is deleted before that host is (a cloud VM).
    namesEngine: true,
    create: () => [],
    delete: (node, _c, _params, engine) => [
      `remove host ${node.name}'s node, on the first manager (engine ${engine})`,
    ],
  },
  join: { namesEngine: true, create: joinSummary, delete: joinSummary },
  member: {
    namesEngine: false,
    create: (node, _c, params) => [
      `host ${node.name}: a ${node.role}, labels ${(params.DH_LABELS ?? "").split("\n").filter(Boolean).join(", ") || "none"}`,
    ],
    delete: (node) => [`drain host ${node.name} before it leaves`],
  },
};

/** A planned step as its command resource: its scripts, parameters, connection and order as the plan says. */
function renderPlannedStep(step: PlannedStep, c: Context): command.remote.Command {
  const node = c.node(step.host);
  const summaries = SUMMARIES[step.kind];
  const texts = pulumi
    .all([resolveParams(step, c), summaries.namesEngine ? c.node(step.runsOn).dockerHost : ""])
    .apply(([params, engine]) => ({ params, engine }));
  const script = step.create;
  const create =
    script === undefined
      ? undefined
      : texts.apply(({ params, engine }) =>
          renderSwarmStep(script, params, summaries.create(node, c, params, engine)),
        );
  const token = step.token;
  return new command.remote.Command(
    `${c.swarmName}-${step.id}`,
    {
      connection: c.connection(step.runsOn),
      ...(create === undefined
        ? {}
        : {
            create: create.command,
            // The script, then (a join of every host but the first manager) the token of its role right after it.
            stdin:
              token === undefined
                ? create.stdin
                : pulumi.secret(
                    pulumi
                      .all([create.stdin, c.step(token.from).stdout])
                      .apply(([text, out]) => `${text}${stepValue(out, `${token.role}-token`)}\n`),
                  ),
          }),
      delete: texts.apply(({ params, engine }) =>
        renderSwarmCommand(step.delete, params, summaries.delete(node, c, params, engine)),
      ),
      logging: LOGGING,
      ...COMMAND_DEFAULTS,
    },
    {
      parent: c.parent,
      dependsOn: [
        ...step.after.map((id) => c.step(id)),
        // The cloud firewall rules that concern the host: the swarm ports are open before it joins, and closed
        // only after it left.
        ...(step.afterFirewall ? (c.firewallRules.get(step.host) ?? []) : []),
      ],
      customTimeouts: TIMEOUTS,
      ...(step.secretOutput ? { additionalSecretOutputs: ["stdout"] } : {}),
    },
  );
}

/** The step's parameters, in the plan's order, once every value resolves. */
function resolveParams(step: PlannedStep, c: Context): pulumi.Output<Record<string, string>> {
  const node = c.node(step.host);
  const value = (source: ParamSource): pulumi.Input<string> => {
    if ("known" in source) return source.known;
    if ("step" in source) {
      // Not secret: an address, a cluster or node ID goes into the command text; the tokens never do.
      return pulumi.unsecret(c.step(source.step).stdout.apply((out) => stepValue(out, source.key)));
    }
    switch (source.host) {
      case "address":
        return pulumi.output(node.ssh.host).apply((a) => a.trim());
      case "advertise":
        return node.advertise;
      case "labels":
        return node.labels.apply(renderLabels);
    }
  };
  // One `all` over the record (it keeps the keys' order, which is the command text's): not an output per
  // parameter and a second `all` over those, for each of the swarm's 3N steps.
  const values: Record<string, pulumi.Input<string>> = {};
  for (const [name, source] of Object.entries(step.params)) values[name] = value(source);
  return pulumi.all(values);
}

/** The entry `key` of `map`; the plan names only hosts it lists and steps before the current one. */
function found<T>(map: ReadonlyMap<string, T>, key: string): T {
  const value = map.get(key);
  if (value === undefined) throw new Error(`DockerSwarm: nothing planned as ${key}`);
  return value;
}
