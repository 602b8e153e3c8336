import { LocalWorkspace, Stack, UpResult } from "@pulumi/pulumi/automation";
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { Bundle, busyboxTarball, docker, writeBundle } from "./helpers/docker";
import { Sandbox, sandboxDown, sandboxUp, ssh } from "./helpers/sandbox";
import { exampleStack, timed } from "./helpers/stack";

interface Engine {
  dockerHost: string;
  caCert: string;
  clientCert: string;
  clientKey: string;
}

// DockerSwarm end to end: two sandbox hosts (host "a" the manager, "b" the worker), the real Pulumi engine, the
// swarm checked with the docker CLI over each host's mutual-TLS endpoint. An overlay network carries traffic
// between the two nodes' tasks (VXLAN on 4789/udp between the sandboxes); its service resolves by DNS round robin,
// because virtual-IP load balancing needs IPVS, which the sandboxes' kernel lacks (see the README).
describe("DockerSwarm on two sandbox hosts (end to end)", function () {
  const suffix = String(process.pid % 1000);
  const names = { a: `dhswa${suffix}`, b: `dhswb${suffix}` };
  const sb: Record<"a" | "b", Sandbox> = {} as never;
  let stack: Stack;
  let stackCreated = false;
  const bundles: Partial<Record<"a" | "b", { url: string; bundle: Bundle }>> = {};
  let log = "";
  /** The busybox image's ID, the same on both nodes (imported on a, loaded on b). */
  let image = "";

  const up = async (label: string): Promise<UpResult> => {
    log = "";
    return timed(label, () =>
      stack.up({
        color: "never",
        onOutput: (s) => {
          log += s;
          process.stdout.write(s);
        },
      }),
    );
  };
  const setRoles = (managers: string[], workers: string[]) =>
    stack.setAllConfig({
      managers: { value: JSON.stringify(managers) },
      workers: { value: JSON.stringify(workers) },
    });
  const on = (host: "a" | "b", args: string[], input?: Buffer) => {
    const e = bundles[host];
    assert.ok(e, `the client bundle of ${host}`);
    return docker(e.url, e.bundle, args, input);
  };
  /** A service of two replicas of the imported image, at most one per node, created from the first manager. */
  const twoReplicaService = (name: string, options: string[], command: string[]) =>
    on("a", [
      "service",
      "create",
      "--detach",
      "--name",
      name,
      ...options,
      "--replicas",
      "2",
      "--replicas-max-per-node",
      "1",
      "--stop-grace-period",
      "2s",
      "--no-resolve-image",
      image,
      ...command,
    ]);
  const nodeList = () =>
    on("a", ["node", "ls", "--format", "{{.Hostname}} {{.Status}} {{.ManagerStatus}}"])
      .split("\n")
      .map((line) => line.trim())
      .sort();
  const swarmState = (host: "a" | "b") =>
    ssh(sb[host], "docker info --format '{{.Swarm.LocalNodeState}}'").trim();
  /** The state as the backend stores it, secrets encrypted (exportStack() would decrypt them). */
  const storedState = () => {
    const ws = stack.workspace;
    if (!(ws instanceof LocalWorkspace)) throw new Error("the e2e stack has a LocalWorkspace");
    return execFileSync("pulumi", ["stack", "export", "--stack", "e2e"], {
      cwd: ws.workDir,
      env: { ...process.env, ...ws.envVars },
      encoding: "utf8",
      maxBuffer: 64 << 20,
    });
  };
  const changes = (result: UpResult) =>
    Object.entries(result.summary.resourceChanges ?? {}).filter(([k]) => k !== "same");

  before(async function () {
    await timed("sandbox boot (2 hosts)", () => {
      sb.a = sandboxUp(names.a);
      sb.b = sandboxUp(names.b);
      return Promise.resolve();
    });
    stack = await exampleStack("swarm", "e2e");
    stackCreated = true;
    const machine = (name: "a" | "b") => ({
      name,
      host: sb[name].host,
      port: sb[name].port,
      privateKeyPath: sb[name].privateKeyPath,
      hostKey: sb[name].hostKey,
    });
    await stack.setAllConfig({
      hosts: { value: JSON.stringify([machine("a"), machine("b")]) },
      managers: { value: JSON.stringify(["a"]) },
      workers: { value: JSON.stringify(["b"]) },
      liveRestore: { value: "true" },
      labels: { value: JSON.stringify({ b: { zone: "east" } }) },
    });
  });

  after(async function () {
    try {
      if (stackCreated) await stack.workspace.removeStack("e2e", { force: true });
    } finally {
      sandboxDown(names.a);
      sandboxDown(names.b);
    }
  });

  it("1. refuses a host with live-restore (DockerHost's default), naming it and the fix; nothing joins", async () => {
    await assert.rejects(up("pulumi up with live-restore"), (e: Error) => {
      assert.match(
        e.message,
        new RegExp(
          `host a \\(${sb.a.host.replace(/\./g, "\\.")}\\) has live-restore enabled.*set engine: \\{ liveRestore: false \\} on its DockerHost`,
        ),
      );
      return true;
    });
    assert.equal(swarmState("a"), "inactive");
    assert.equal(swarmState("b"), "inactive");
  });

  it("2. forms the swarm: docker node ls over TLS shows both Ready, a the leader, b a worker", async () => {
    await stack.setConfig("liveRestore", { value: "false" });
    const result = await up("pulumi up: engines without live-restore, swarm");
    assert.equal(result.summary.result, "succeeded");
    const outputs = await stack.outputs();
    const engines = outputs.engines?.value as Record<"a" | "b", Engine>;
    for (const host of ["a", "b"] as const) {
      const e = engines[host];
      bundles[host] = {
        url: e.dockerHost,
        bundle: writeBundle(e.caCert, e.clientCert, e.clientKey),
      };
    }
    const state = storedState();
    for (const output of [outputs.workerJoinToken, outputs.managerJoinToken]) {
      const token = String(output?.value);
      assert.equal(output?.secret, true);
      assert.match(token, /^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}$/);
      assert.ok(!log.includes(token), "no join token in the engine's log");
      assert.ok(!state.includes(token), "no join token in the clear in the state");
    }
    assert.equal(outputs.managerAddress?.value, `${sb.a.host}:2377`);
    assert.deepEqual(nodeList(), [`${names.a} Ready Leader`, `${names.b} Ready`].sort());
    assert.equal(
      on("b", ["info", "--format", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}"]),
      "active false",
    );
    const labels = on("a", ["node", "inspect", names.b, "--format", "{{json .Spec.Labels}}"]);
    assert.deepEqual(JSON.parse(labels), {
      zone: "east",
      "docker-host.swarm": "swarm/e2e/swarm",
      "docker-host.node": "b",
      "docker-host.labels": "zone",
    });
    const nodes = outputs.nodes?.value as { name: string; role: string }[];
    assert.deepEqual(
      nodes.map((n) => `${n.name} ${n.role}`),
      ["a manager", "b worker"],
    );
  });

  it("3. runs a service with two replicas of a locally imported image, one on each node", async () => {
    on("a", ["import", "-", "busybox:swarm"], busyboxTarball());
    // The same image ID on both nodes: a task that names its image by ID is never pulled from a registry.
    image = on("a", ["image", "inspect", "--format", "{{.Id}}", "busybox:swarm"]);
    const e = bundles.a;
    assert.ok(e);
    const saved = execFileSync("docker", ["--tlsverify", "-H", e.url, "save", "busybox:swarm"], {
      env: { ...process.env, DOCKER_CERT_PATH: e.bundle.dir, DOCKER_CONFIG: e.bundle.dir },
      maxBuffer: 64 << 20,
      timeout: 120_000,
    });
    on("b", ["load"], saved);
    assert.equal(on("b", ["image", "inspect", "--format", "{{.Id}}", "busybox:swarm"]), image);
    twoReplicaService("e2e-sleep", [], ["/bin/sleep", "100000"]);
    let running: string[] = [];
    for (let i = 0; i < 60; i++) {
      running = on("a", [
        "service",
        "ps",
        "e2e-sleep",
        "--filter",
        "desired-state=running",
        "--format",
        "{{.Node}} {{.CurrentState}}",
      ])
        .split("\n")
        .filter((l) => / Running /.test(l))
        .map((l) => l.split(" ")[0] ?? "")
        .sort();
      if (running.length === 2) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    assert.deepEqual(running, [names.a, names.b].sort());
  });

  it("4. an overlay network carries traffic between the tasks on the two nodes", async () => {
    on("a", ["network", "create", "--driver", "overlay", "--attachable", "e2e-overlay"]);
    // DNS round robin: the default virtual IP needs IPVS, which the sandboxes' kernel is built without.
    twoReplicaService(
      "e2e-web",
      ["--network", "e2e-overlay", "--endpoint-mode", "dnsrr"],
      [
        "/bin/busybox",
        "sh",
        "-c",
        "mkdir -p /www && hostname >/www/index.html && exec /bin/busybox httpd -f -p 8080 -h /www",
      ],
    );
    /** Each node's task container of e2e-web: its ID (the hostname its web server answers) and overlay IP. */
    const task = async (host: "a" | "b") => {
      for (let i = 0; i < 60; i++) {
        const id = on(host, [
          "ps",
          "--quiet",
          "--no-trunc",
          "--filter",
          "label=com.docker.swarm.service.name=e2e-web",
        ]).split("\n")[0];
        if (id !== undefined && id !== "") {
          const ip = on(host, [
            "inspect",
            "--format",
            '{{(index .NetworkSettings.Networks "e2e-overlay").IPAddress}}',
            id,
          ]);
          if (ip !== "") return { id, ip };
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
      assert.fail(`no e2e-web task runs on ${host}`);
    };
    const tasks = { a: await task("a"), b: await task("b") };
    assert.notEqual(tasks.a.ip, tasks.b.ip);
    /** An HTTP request from one node's task to an address on the overlay, with busybox nc (its wget crashes). */
    const request = (from: "a" | "b", address: string) =>
      on(
        from,
        ["exec", "-i", tasks[from].id, "/bin/busybox", "nc", "-w", "5", address, "8080"],
        Buffer.from("GET / HTTP/1.0\r\n\r\n"),
      );
    // The peers learn each other's tasks by gossip (7946): give them a few seconds.
    const across = async (from: "a" | "b", to: "a" | "b") => {
      let answer = "";
      for (let i = 0; i < 30; i++) {
        try {
          answer = request(from, tasks[to].ip);
          if (answer.includes(tasks[to].id.slice(0, 12))) return answer;
        } catch (e) {
          answer = (e as Error).message;
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
      assert.fail(
        `the task on ${from} did not reach the task on ${to} at ${tasks[to].ip}: ${answer}`,
      );
    };
    assert.match(await across("a", "b"), /^HTTP\/1\.[01] 200 /);
    assert.match(await across("b", "a"), /^HTTP\/1\.[01] 200 /);
    // The service's name resolves, on the overlay's DNS, to both tasks.
    const resolved = on("b", [
      "exec",
      tasks.b.id,
      "/bin/busybox",
      "nslookup",
      "e2e-web",
      "127.0.0.11",
    ]);
    for (const ip of [tasks.a.ip, tasks.b.ip]) assert.ok(resolved.includes(ip), resolved);
    on("a", ["service", "rm", "e2e-web"]);
  });

  it("5. a second preview reports no changes", async () => {
    const preview = await timed("no-op preview", () => stack.preview({ expectNoChanges: true }));
    assert.deepEqual(
      Object.keys(preview.changeSummary).filter((k) => k !== "same"),
      [],
    );
  });

  it("6. promoting the worker (and dropping its label) is an update in place; demoting it back too", async () => {
    await setRoles(["a", "b"], []);
    await stack.setConfig("labels", { value: "{}" });
    const promoted = await up("pulumi up: promote b");
    assert.deepEqual(
      changes(promoted).map(([k]) => k),
      ["update"],
      JSON.stringify(changes(promoted)),
    );
    assert.match(log, /2 managers: Raft needs a majority/);
    assert.deepEqual(nodeList(), [`${names.a} Ready Leader`, `${names.b} Ready Reachable`].sort());
    const labels = on("a", ["node", "inspect", names.b, "--format", "{{json .Spec.Labels}}"]);
    assert.equal(
      (JSON.parse(labels) as Record<string, string>).zone,
      undefined,
      "the label taken out of the program is removed",
    );
    await setRoles(["a"], ["b"]);
    const demoted = await up("pulumi up: demote b");
    assert.deepEqual(
      changes(demoted).map(([k]) => k),
      ["update"],
      JSON.stringify(changes(demoted)),
    );
    assert.deepEqual(nodeList(), [`${names.a} Ready Leader`, `${names.b} Ready`].sort());
  });

  it("7. taking the worker out of the program drains it, makes it leave and removes its node", async () => {
    await setRoles(["a"], []);
    const result = await up("pulumi up: remove worker b");
    assert.deepEqual(
      changes(result).map(([k]) => k),
      ["delete"],
      JSON.stringify(changes(result)),
    );
    const drained = log.indexOf(`host b (${sb.b.host}) is drained`);
    const left = log.indexOf(`host b (${sb.b.host}) leaves the swarm`);
    const removed = log.indexOf(`removed host b (${sb.b.host})`);
    assert.ok(drained >= 0 && left > drained && removed > left, log);
    assert.deepEqual(nodeList(), [`${names.a} Ready Leader`]);
    assert.equal(swarmState("b"), "inactive");
    // b's task moved away (one replica per node: it waits for a node to come back).
    const tasks = on("a", [
      "service",
      "ps",
      "e2e-sleep",
      "--filter",
      "desired-state=running",
      "--format",
      "{{.Node}}",
    ]);
    assert.doesNotMatch(tasks, new RegExp(names.b));
  });

  it("8. destroy leaves both engines running outside any swarm", async () => {
    const result = await timed("pulumi destroy", () =>
      stack.destroy({ color: "never", onOutput: (s) => process.stdout.write(s) }),
    );
    assert.equal(result.summary.result, "succeeded");
    for (const host of ["a", "b"] as const) {
      assert.equal(swarmState(host), "inactive", `${host} is outside any swarm`);
      assert.equal(ssh(sb[host], "systemctl is-active docker").trim(), "active");
    }
  });
});
