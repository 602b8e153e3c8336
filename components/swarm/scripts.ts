import {
  RemoteStep,
  renderRemoteStep,
  renderShellCommand,
  scriptWithHelpers,
} from "../engine/scripts";
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

/** A swarm step's parameters with its time bound on the host (see components/remote/bound.sh). */
function bounded(params: Record<string, string>): Record<string, string> {
  return { ...params, DH_TIMEOUT: String(SWARM_STEP_TIMEOUT) };
}

/** The body a swarm step runs: the swarm's shared helpers, then the script itself. */
export function swarmScript(script: SwarmScript): string {
  return scriptWithHelpers(__dirname, script);
}

/**
 * A swarm step whose script travels on stdin (see renderRemoteStep): parameters in the command text, so `pulumi
 * preview --diff` shows which value changes, and the script after its length on stdin. Parameters are never
 * secret: a join token follows the script on stdin.
 */
export function renderSwarmStep(
  script: SwarmScript,
  params: Record<string, string>,
  summary: readonly string[] = [],
): RemoteStep {
  return renderRemoteStep("docker-swarm", script, swarmScript(script), bounded(params), summary);
}

/** The command text of a swarm delete step, its script inline (a delete command receives the create's stdin). */
export function renderSwarmCommand(
  script: SwarmScript,
  params: Record<string, string>,
  summary: readonly string[] = [],
): string {
  return renderShellCommand("docker-swarm", script, swarmScript(script), bounded(params), summary);
}
