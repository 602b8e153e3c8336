import { stepScripts } from "../remote/step";
import { SWARM_STEP_TIMEOUT } from "../remote/timeouts";

/** The scripts DockerSwarm runs on its hosts, each a shell script in this folder. */
export enum SwarmScript {
  /** On the host: initialise (the first manager) or join. */
  Join = "join",
  /** On the host, when it is taken out of the swarm: leave. */
  Leave = "leave",
  /** On the first manager: role, labels, availability of a node. */
  Member = "member",
  /** On the first manager, when a host is taken out: drain and demote its node. */
  Drain = "drain",
  /** On the first manager, after a host left: remove its node. */
  Remove = "remove",
}

// Every swarm step has the same time bound on the host (see components/remote/bound.sh), after its parameters.
const SCRIPTS = stepScripts<SwarmScript>("docker-swarm", __dirname, (params) => ({
  ...params,
  DH_TIMEOUT: String(SWARM_STEP_TIMEOUT),
}));

/**
 * A swarm step whose script travels on stdin (see renderRemoteStep in components/remote/step.ts): parameters in
 * the command text, so `pulumi preview --diff` shows which value changes, and the script after its length on
 * stdin. Parameters are never secret: a join token follows the script on stdin.
 */
export const renderSwarmStep = SCRIPTS.render;

/** The command text of a swarm delete step, its script inline (a delete command receives the create's stdin). */
export const renderSwarmCommand = SCRIPTS.command;
