import * as assert from "node:assert/strict";
import { DockerSwarm, DockerSwarmArgs, SwarmNodeArgs } from "../../../components";
import { seenOptions } from "./cloud";
import { registeredUnder, settle, valueOf } from "./mocks";
import { dataNode } from "./swarmNodes";

// What the swarm-rule suites of the cloud sources share: a member given as data with a cloud firewall, and a
// DockerSwarm deployed under mocks with the rules of given types and each resource's dependencies.

/** A host given as data, its public address derived from its private one, with a cloud firewall as data. */
export const cloudNode = (name: string, privateIp: string, firewall?: SwarmNodeArgs["firewall"]) =>
  dataNode(name, `203.0.113.${privateIp.split(".").pop() ?? "1"}`, privateIp, firewall);

/** Deploys a DockerSwarm under mocks: its resources, those of `ruleTypes`, and a resource's dependencies. */
export async function deploySwarm(name: string, args: DockerSwarmArgs, ruleTypes: string[]) {
  const swarm = new DockerSwarm(name, args);
  await valueOf(swarm.nodes);
  await settle();
  const { mine, byName } = registeredUnder(name);
  const rules = mine.filter((r) => ruleTypes.includes(r.type));
  /** The names of what `NAME-suffix` depends on, sorted. */
  const dependencies = (suffix: string) => {
    const seen = seenOptions.get(`${name}-${suffix}`);
    assert.ok(seen, `options of ${name}-${suffix} were seen`);
    return seen.dependencies.map((urn) => urn.slice(urn.lastIndexOf("::") + 2)).sort();
  };
  return { swarm, mine, byName, rules, dependencies };
}

/** The error a swarm's deployment fails with (its nodes output rejects). */
export async function swarmError(swarm: DockerSwarm): Promise<Error> {
  try {
    await (swarm.nodes as unknown as { promise(): Promise<unknown> }).promise();
  } catch (e) {
    return e as Error;
  }
  assert.fail("the deployment succeeded");
}
