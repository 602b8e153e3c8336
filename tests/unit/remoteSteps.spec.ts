import * as assert from "node:assert/strict";
import { DockerSwarm } from "../../components";
import { deploy, installCloudMocks } from "./helpers/cloud";
import { fakeKey, registered, settle, stepStdout, valueOf } from "./helpers/mocks";
import { dataNode, HOST_KEY } from "./helpers/swarmNodes";

// How DockerHost and DockerSwarm drive the genuine command plugin (pulumi-command 1.2.1): the inputs of their
// remote commands, as the mock monitor receives them.
describe("remote commands and the command plugin (mocks)", () => {
  before(installCloudMocks);

  const existing = { host: "203.0.113.10", privateKey: fakeKey("ssh"), hostKey: HOST_KEY };

  it("never ask the plugin to send the previous output as SSH environment requests (sshd refuses them, with a warning)", async () => {
    await deploy("envreq", { existing, engine: { labels: { a: "b" } } });
    // What a first manager's join step prints (the swarm tests set the same).
    stepStdout.join = [
      "cluster-id: mockcluster",
      "node-id: mocknode",
      "manager-address: 10.0.0.1:2377",
      "worker-token: SWMTKN-1-mockclusterdigest-workersecret",
      "manager-token: SWMTKN-1-mockclusterdigest-managersecret",
    ].join("\n");
    const swarm = new DockerSwarm("envreqswarm", {
      managers: [dataNode("a", "10.0.0.1")],
      workers: [dataNode("b", "10.0.0.2")],
    });
    await valueOf(swarm.nodes);
    await settle();
    const commands = registered.filter(
      (r) => r.type === "command:remote:Command" && /^envreq(swarm)?-/.test(r.name),
    );
    assert.equal(commands.length, 3 + 6, "the three steps of the host and three per swarm host");
    for (const c of commands) {
      assert.equal(
        c.inputs.addPreviousOutputInEnv,
        false,
        `${c.name} sets addPreviousOutputInEnv: false`,
      );
    }
  });
});
