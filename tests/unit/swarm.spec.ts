import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { DockerHost, DockerSwarm, DockerSwarmArgs, EngineInstallMethod } from "../../components";
import { capturingWarnings, installCloudMocks, seenOptions } from "./helpers/cloud";
import { dataNode, HOST_KEY } from "./helpers/swarmNodes";
import {
  fakeKey,
  isSecretValue,
  registeredUnder,
  registeredUrns,
  settle,
  stepStdout,
  unwrapSecret,
  valueOf,
} from "./helpers/mocks";

const WORKER_TOKEN = "SWMTKN-1-mockclusterdigest-workersecret";
const MANAGER_TOKEN = "SWMTKN-1-mockclusterdigest-managersecret";

async function deploySwarm(name: string, args: DockerSwarmArgs) {
  const swarm = new DockerSwarm(name, args);
  await valueOf(swarm.nodes);
  await settle();
  const { mine, byName } = registeredUnder(name);
  const text = (suffix: string, key = "create") => String(unwrapSecret(byName(suffix).inputs[key]));
  const dependencies = (suffix: string) => {
    const seen = seenOptions.get(`${name}-${suffix}`);
    assert.ok(seen, `options of ${name}-${suffix} were seen`);
    return seen.dependencies.map((urn) => urn.slice(urn.lastIndexOf("::") + 2)).sort();
  };
  return { swarm, mine, byName, text, dependencies };
}

describe("DockerSwarm resource graph (mocks)", () => {
  before(async () => {
    await installCloudMocks();
    // Every join step's mocked stdout: what the first manager prints (the others print only their node ID).
    stepStdout.join = [
      "cluster-id: mockcluster",
      "node-id: mocknode",
      "manager-address: 10.0.0.1:2377",
      `worker-token: ${WORKER_TOKEN}`,
      `manager-token: ${MANAGER_TOKEN}`,
    ].join("\n");
    stepStdout.member = "role: manager";
  });

  it("registers three remote steps per host, all under the component", async () => {
    const { mine } = await deploySwarm("swgraph", {
      managers: [dataNode("a", "10.0.0.1")],
      workers: [dataNode("b", "10.0.0.2")],
    });
    assert.deepEqual(mine.map((r) => `${r.type} ${r.name}`).sort(), [
      "command:remote:Command swgraph-a-join",
      "command:remote:Command swgraph-a-member",
      "command:remote:Command swgraph-a-remove",
      "command:remote:Command swgraph-b-join",
      "command:remote:Command swgraph-b-member",
      "command:remote:Command swgraph-b-remove",
      "docker-host:index:DockerSwarm swgraph",
    ]);
    const children = registeredUrns().filter((u) => /::swgraph-/.test(u));
    assert.equal(children.length, 6);
    for (const urn of children) assert.match(urn, /::docker-host:index:DockerSwarm\$command/);
  });

  it("orders the steps: remove, then join, then member; the first manager's join before everything else", async () => {
    const { dependencies } = await deploySwarm("sworder", {
      managers: [dataNode("a", "10.0.0.1"), dataNode("c", "10.0.0.3"), dataNode("d", "10.0.0.4")],
      workers: [dataNode("b", "10.0.0.2")],
    });
    assert.deepEqual(dependencies("a-remove"), []);
    assert.deepEqual(dependencies("a-join"), ["sworder-a-remove"]);
    assert.deepEqual(dependencies("a-member"), ["sworder-a-join"]);
    assert.deepEqual(dependencies("b-remove"), ["sworder-a-join"]);
    assert.deepEqual(dependencies("b-join"), ["sworder-a-join", "sworder-b-remove"]);
    assert.deepEqual(dependencies("b-member"), ["sworder-b-join"]);
    // Managers join one after the other; the worker does not wait for them.
    assert.deepEqual(dependencies("c-join"), ["sworder-a-join", "sworder-c-remove"]);
    assert.deepEqual(dependencies("d-join"), [
      "sworder-a-join",
      "sworder-c-join",
      "sworder-d-remove",
    ]);
  });

  it("runs join and leave on the host, member, drain and remove on the first manager", async () => {
    const { byName, text } = await deploySwarm("swwhere", {
      managers: [dataNode("a", "10.0.0.1")],
      workers: [dataNode("b", "10.0.0.2")],
    });
    const host = (suffix: string) =>
      (unwrapSecret(byName(suffix).inputs.connection) as Record<string, unknown>).host;
    assert.equal(host("a-join"), "10.0.0.1");
    assert.equal(host("b-join"), "10.0.0.2");
    for (const s of ["a-member", "b-member", "a-remove", "b-remove"])
      assert.equal(host(s), "10.0.0.1");
    assert.match(text("b-join"), /^# docker-swarm join:/);
    assert.match(text("b-join", "delete"), /^# docker-swarm leave:/);
    assert.match(text("b-member"), /^# docker-swarm member:/);
    assert.match(text("b-member", "delete"), /^# docker-swarm drain:/);
    assert.match(text("b-remove", "delete"), /^# docker-swarm remove:/);
    assert.equal(byName("b-remove").inputs.create, undefined, "removal does nothing on create");
    assert.match(text("a-join"), /^DH_FIRST=1$/m);
    assert.match(text("b-join"), /^DH_MANAGER_ADDR=10\.0\.0\.1\\:2377$/m);
    assert.match(text("b-join"), /^DH_CLUSTER_ID=mockcluster$/m);
    assert.match(text("b-member"), /^DH_NODE_ID=mocknode$/m);
    assert.match(text("b-join"), /^DH_SWARM_KEY=project\/stack\/swwhere$/m);
  });

  it("keeps join tokens out of command text: joiners get the token of their role on secret stdin", async () => {
    const { mine, byName } = await deploySwarm("swtokens", {
      managers: [dataNode("a", "10.0.0.1"), dataNode("c", "10.0.0.3"), dataNode("d", "10.0.0.4")],
      workers: [dataNode("b", "10.0.0.2")],
    });
    for (const r of mine.filter((x) => x.type === "command:remote:Command")) {
      for (const key of ["create", "delete", "update"]) {
        const value = JSON.stringify(unwrapSecret(r.inputs[key]) ?? "");
        assert.doesNotMatch(value, /SWMTKN-1-mock/, `${r.name}.${key}`);
        assert.doesNotMatch(value, /SECRET-BODY/, `${r.name}.${key}`);
      }
      assert.equal(isSecretValue(r.inputs.connection), true, `${r.name}: the connection is secret`);
      assert.equal(r.inputs.logging, "stderr", `${r.name}: stdout (results, tokens) is not logged`);
    }
    // Each join step's stdin: the script's length, the script, then the token of the host's role (none for the
    // first manager, whose stdin is then not secret).
    const afterScript = (name: string) => {
      const stdin = String(unwrapSecret(byName(name).inputs.stdin));
      const newline = stdin.indexOf("\n");
      return stdin.slice(newline + 1 + Number(stdin.slice(0, newline)));
    };
    assert.equal(isSecretValue(byName("a-join").inputs.stdin), false);
    assert.equal(afterScript("a-join"), "", "the first manager needs no token");
    assert.equal(isSecretValue(byName("b-join").inputs.stdin), true);
    assert.equal(afterScript("b-join"), `${WORKER_TOKEN}\n`);
    assert.equal(afterScript("c-join"), `${MANAGER_TOKEN}\n`);
  });

  it("outputs the manager address and the nodes in the clear, the join tokens as secrets", async () => {
    const { swarm } = await deploySwarm("swoutputs", {
      managers: [dataNode("a", "10.0.0.1")],
      workers: [dataNode("b", "203.0.113.2", "10.0.0.2")],
    });
    assert.equal(await valueOf(swarm.managerAddress), "10.0.0.1:2377");
    assert.equal(await valueOf(swarm.clusterId), "mockcluster");
    assert.equal(await valueOf(swarm.workerJoinToken), WORKER_TOKEN);
    assert.equal(await valueOf(swarm.managerJoinToken), MANAGER_TOKEN);
    assert.equal(await pulumi.isSecret(swarm.workerJoinToken), true);
    assert.equal(await pulumi.isSecret(swarm.managerJoinToken), true);
    assert.equal(await pulumi.isSecret(swarm.managerAddress), false);
    assert.equal(await pulumi.isSecret(swarm.nodes), false);
    assert.deepEqual(await valueOf(swarm.nodes), [
      { name: "a", role: "manager", nodeId: "mocknode", advertiseAddress: "10.0.0.1" },
      { name: "b", role: "worker", nodeId: "mocknode", advertiseAddress: "10.0.0.2" },
    ]);
  });

  it("advertises the private IP by default, an explicit address when given; renders labels sorted", async () => {
    const { text } = await deploySwarm("swadv", {
      managers: [dataNode("a", "203.0.113.1", "10.0.0.1")],
      workers: [dataNode("b", "203.0.113.2", "10.0.0.2"), dataNode("c", "198.51.100.3")],
      advertiseAddress: { b: "eth1" },
      labels: { c: { zone: "b", disk: "ssd" } },
    });
    assert.match(text("a-join"), /^DH_ADVERTISE=10\.0\.0\.1$/m);
    assert.match(text("b-join"), /^DH_ADVERTISE=eth1$/m);
    assert.match(text("c-join"), /^DH_ADVERTISE=198\.51\.100\.3$/m);
    assert.match(text("c-member"), /^DH_LABELS='disk=ssd\nzone=b'$/m);
    assert.match(text("a-member"), /^DH_LABELS=''$/m);
  });

  it("makes promotion an update: a host's steps keep their names, only the role (and its token) change", async () => {
    const asWorker = await deploySwarm("role1", {
      managers: [dataNode("a", "10.0.0.1")],
      workers: [dataNode("b", "10.0.0.2")],
    });
    const asManager = await deploySwarm("role2", {
      managers: [dataNode("a", "10.0.0.1"), dataNode("b", "10.0.0.2")],
    });
    const suffixes = (d: typeof asWorker, swarm: string) =>
      d.mine
        .filter((r) => r.name !== swarm)
        .map((r) => r.name.replace(`${swarm}-`, ""))
        .sort();
    assert.deepEqual(suffixes(asWorker, "role1"), suffixes(asManager, "role2"));
    const strip = (t: string) =>
      t.replace(/role[12]/g, "roleN").replace(/ as a (manager|worker)|a (manager|worker),/g, "");
    for (const step of ["b-join", "b-member"]) {
      const before = strip(asWorker.text(step)).split("\n");
      const after = strip(asManager.text(step)).split("\n");
      const changed = before.filter((line, i) => line !== after[i]);
      assert.deepEqual(changed, ["DH_ROLE=worker"], `${step}: only the role line differs`);
      const options = seenOptions.get(`role2-${step}`);
      // The SDK replaces a Command only when its triggers change; the swarm sets none.
      assert.deepEqual(options?.replaceOnChanges, ["triggers[*]"]);
      assert.equal(asManager.byName(step).inputs.triggers, undefined);
    }
  });

  it("adding a worker adds only that worker's steps: the others' inputs stay the same", async () => {
    const before = await deploySwarm("grow1", {
      managers: [dataNode("a", "10.0.0.1")],
      workers: [dataNode("b", "10.0.0.2")],
    });
    const after = await deploySwarm("grow2", {
      managers: [dataNode("a", "10.0.0.1")],
      workers: [dataNode("b", "10.0.0.2"), dataNode("c", "10.0.0.3")],
    });
    const inputs = (d: typeof before, swarm: string) =>
      Object.fromEntries(
        d.mine
          .filter((r) => r.name !== swarm)
          .map((r) => [
            r.name.replace(`${swarm}-`, ""),
            JSON.stringify(r.inputs).replace(new RegExp(swarm, "g"), "SWARM"),
          ]),
      );
    const was = inputs(before, "grow1");
    const is = inputs(after, "grow2");
    assert.deepEqual(
      Object.keys(is).sort(),
      [...Object.keys(was), "c-join", "c-member", "c-remove"].sort(),
    );
    for (const step of Object.keys(was)) assert.equal(is[step], was[step], step);
  });

  it("takes DockerHosts as they are, named after their resource, and waits for their engines", async () => {
    const host = (name: string, address: string) =>
      new DockerHost(name, {
        existing: { host: address, privateKey: fakeKey(`ssh-${name}`), hostKey: HOST_KEY },
        engine: { installMethod: EngineInstallMethod.Distro, liveRestore: false },
      });
    const { byName, text, dependencies } = await deploySwarm("swhosts", {
      managers: [host("hm", "10.0.1.1")],
      workers: [host("hw", "10.0.1.2")],
    });
    byName("hm-join");
    byName("hw-member");
    assert.match(text("hw-join"), /engine tcp:\/\/10\.0\.1\.2:2376/);
    // The engine's endpoint is published once its configure step succeeded: the join waits for it.
    assert.ok(dependencies("hw-join").includes("hw-configure"), dependencies("hw-join").join());
    // Steps on the first manager are deleted before its DockerHost is (a cloud VM goes away with it).
    assert.ok(dependencies("hm-remove").includes("hm-configure"), dependencies("hm-remove").join());
    const connection = unwrapSecret(byName("hw-join").inputs.connection) as Record<string, unknown>;
    assert.equal(connection.privateKey, fakeKey("ssh-hw"));
    assert.equal(
      connection.hostKey,
      HOST_KEY,
      "the DockerHost's pinned host key pins the swarm's connection too",
    );
  });

  it("warns about an even number of managers (quorum) and about hosts without a pinned key", async () => {
    const warnings = await capturingWarnings(() =>
      deploySwarm("sweven", {
        managers: [dataNode("a", "10.0.0.1"), { ...dataNode("b", "10.0.0.2"), sshHostKey: "" }],
      }),
    );
    assert.ok(
      warnings.some(
        (w) => /2 managers: Raft needs a majority/.test(w) && /use an odd number/.test(w),
      ),
      warnings.join("\n"),
    );
    assert.ok(
      warnings.some((w) => /host b has no sshHostKey/.test(w)),
      warnings.join("\n"),
    );
    assert.ok(!warnings.some((w) => /host a has no sshHostKey/.test(w)));
    const odd = await capturingWarnings(() =>
      deploySwarm("swodd", { managers: [dataNode("a", "10.0.0.1")] }),
    );
    assert.ok(!odd.some((w) => /Raft/.test(w)), odd.join("\n"));
  });
});
