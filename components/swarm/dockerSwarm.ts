import * as pulumi from "@pulumi/pulumi";
import { requireUsableAgentSocket } from "../remote/agent";
import { warnWhenUnpinned } from "../remote/connection";
import { DockerSwarmArgs, SwarmNodeInfo } from "./args";
import { swarmFirewallRules } from "./firewall";
import { parseNodeId } from "./outputs";
import { planSwarm } from "./plan";
import { swarmSteps } from "./steps";

/**
 * A Swarm-mode cluster over DockerHosts, declaratively: the first manager initialises the swarm, the other hosts
 * join with the token of their role, each over its own SSH connection (host key pinned), the tokens only ever on
 * the commands' stdin. A host already in this swarm is left alone; a host in another swarm, or with live-restore
 * enabled, is an error naming it. Adding a host joins only that host; taking one out of the program drains it,
 * makes it leave and removes its node; moving a worker to `managers` promotes it in place. On the members' cloud
 * firewalls (their `firewall`), the swarm ports are opened to the other members' advertise addresses only.
 */
export class DockerSwarm extends pulumi.ComponentResource {
  /** The address the hosts join at: the first manager's advertise address and port 2377, e.g. `10.0.0.5:2377`. */
  public readonly managerAddress: pulumi.Output<string>;
  /** The swarm's cluster ID (`docker info` on a manager). */
  public readonly clusterId: pulumi.Output<string>;
  /** The token that joins a host as a worker (`docker swarm join --token ...`). Secret. */
  public readonly workerJoinToken: pulumi.Output<string>;
  /** The token that joins a host as a manager. Secret. */
  public readonly managerJoinToken: pulumi.Output<string>;
  /** The members, in the order of `managers` then `workers`, once each has its role and labels. */
  public readonly nodes: pulumi.Output<SwarmNodeInfo[]>;

  /**
   * @param name The unique name of the DockerSwarm; the names of its child resources start with it.
   * @param args The managers (at least one) and workers, and optional per-host settings.
   * @param opts Resource options.
   */
  constructor(name: string, args: DockerSwarmArgs, opts?: pulumi.ComponentResourceOptions) {
    // Every input that decides the resources is checked before any resource exists, this component included.
    const plan = planSwarm(name, args);
    requireUsableAgentSocket(`DockerSwarm ${JSON.stringify(name)}`);
    super("docker-host:index:DockerSwarm", name, {}, opts);

    if (plan.warning !== undefined) void pulumi.log.warn(plan.warning, this);
    for (const node of plan.nodes) {
      warnWhenUnpinned(
        node.ssh.hostKey,
        `host ${node.name} has no sshHostKey: its SSH host is NOT verified, so a machine in the middle could receive the swarm's join tokens. Pass the key you pinned on its DockerHost (existing.hostKey).`,
        this,
      );
    }

    const swarmKey = `${pulumi.getProject()}/${pulumi.getStack()}/${name}`;
    const rules = swarmFirewallRules(name, swarmKey, plan, this);
    const steps = swarmSteps(name, swarmKey, plan, this, rules);

    this.managerAddress = pulumi.unsecret(steps.first.apply((f) => f.managerAddress));
    this.clusterId = pulumi.unsecret(steps.first.apply((f) => f.clusterId));
    this.workerJoinToken = pulumi.secret(steps.first.apply((f) => f.workerToken));
    this.managerJoinToken = pulumi.secret(steps.first.apply((f) => f.managerToken));
    this.nodes = pulumi.all(
      steps.nodes.map(({ plan: node, join, member }) =>
        pulumi
          .all([pulumi.unsecret(join.stdout.apply(parseNodeId)), node.advertise, member.id])
          .apply(([nodeId, advertiseAddress]): SwarmNodeInfo => ({
            name: node.name,
            role: node.role,
            nodeId,
            advertiseAddress,
          })),
      ),
    );

    this.registerOutputs({
      managerAddress: this.managerAddress,
      clusterId: this.clusterId,
      workerJoinToken: this.workerJoinToken,
      managerJoinToken: this.managerJoinToken,
      nodes: this.nodes,
    });
  }
}
