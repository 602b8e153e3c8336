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

type Host = "a" | "b" | "c";
const HOSTS: Host[] = ["a", "b", "c"];

// DockerSwarm end to end: three sandbox hosts (host "a" the manager, "b" and "c" the workers), the real Pulumi
// engine, the swarm checked with the docker CLI over each host's mutual-TLS endpoint. An overlay network carries
// traffic between two nodes' tasks (VXLAN on 4789/udp between the sandboxes); its service resolves by DNS round
// robin, because virtual-IP load balancing needs IPVS, which the sandboxes' kernel lacks (see the README). A worker
// leaves and joins again while the other members' engines and containers keep running.
describe("DockerSwarm on three sandbox hosts (end to end)", function () {
  const suffix = String(process.pid % 1000);
  const names: Record<Host, string> = {
    a: `dhswa${suffix}`,
    b: `dhswb${suffix}`,
    c: `dhswc${suffix}`,
  };
  const sb: Record<Host, Sandbox> = {} as never;
  let stack: Stack;
  let stackCreated = false;
  const bundles: Partial<Record<Host, { url: string; bundle: Bundle }>> = {};
  let log = "";
  /** The busybox image's ID, the same on every node (imported on a, loaded on b and c). */
  let image = "";
  /** a's and b's engines and b's container before c left (test 7). */
  let unmoved: ReturnType<typeof steady> | undefined;

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
  const on = (host: Host, args: string[], input?: Buffer) => {
    const e = bundles[host];
    assert.ok(e, `the client bundle of ${host}`);
    return docker(e.url, e.bundle, args, input);
  };
  /** A service of `replicas` replicas of the imported image, at most one per node, created from the first manager. */
  const service = (name: string, replicas: number, options: string[], command: string[]) =>
    on("a", [
      "service",
      "create",
      "--detach",
      "--name",
      name,
      ...options,
      "--replicas",
      String(replicas),
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
  const swarmState = (host: Host) =>
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

  /** The nodes running a task of `name` (desired state running, current state Running), sorted. */
  const runningOn = (name: string) =>
    on("a", [
      "service",
      "ps",
      name,
      "--filter",
      "desired-state=running",
      "--format",
      "{{.Node}} {{.CurrentState}}",
    ])
      .split("\n")
      .filter((l) => / Running /.test(l))
      .map((l) => l.split(" ")[0] ?? "")
      .sort();
  /** What must not move while another member leaves and joins: each engine's process, and a container on b. */
  const steady = () => ({
    dockerd: Object.fromEntries(
      (["a", "b"] as const).map((h) => [
        h,
        ssh(sb[h], "systemctl show --property=MainPID,ActiveEnterTimestamp docker").trim(),
      ]),
    ),
    container: on("b", [
      "inspect",
      "--format",
      "{{.State.Status}} {{.State.StartedAt}} {{.RestartCount}}",
      "e2e-steady",
    ]),
  });

  before(async function () {
    await timed("sandbox boot (3 hosts)", () => {
      for (const host of HOSTS) sb[host] = sandboxUp(names[host]);
      return Promise.resolve();
    });
    stack = await exampleStack("swarm", "e2e");
    stackCreated = true;
    const machine = (name: Host) => ({
      name,
      host: sb[name].host,
      port: sb[name].port,
      privateKeyPath: sb[name].privateKeyPath,
      hostKey: sb[name].hostKey,
    });
    await stack.setAllConfig({
      hosts: { value: JSON.stringify(HOSTS.map(machine)) },
      managers: { value: JSON.stringify(["a"]) },
      workers: { value: JSON.stringify(["b", "c"]) },
      liveRestore: { value: "true" },
      labels: { value: JSON.stringify({ b: { zone: "east" } }) },
    });
  });

  after(async function () {
    try {
      if (stackCreated) await stack.workspace.removeStack("e2e", { force: true });
    } finally {
      for (const host of HOSTS) sandboxDown(names[host]);
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
    for (const host of HOSTS) assert.equal(swarmState(host), "inactive");
  });

  it("2. forms the swarm: docker node ls over TLS shows all three Ready, a the leader, b and c workers", async () => {
    await stack.setConfig("liveRestore", { value: "false" });
    const result = await up("pulumi up: engines without live-restore, swarm");
    assert.equal(result.summary.result, "succeeded");
    const outputs = await stack.outputs();
    const engines = outputs.engines?.value as Record<Host, Engine>;
    for (const host of HOSTS) {
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
    assert.deepEqual(
      nodeList(),
      [`${names.a} Ready Leader`, `${names.b} Ready`, `${names.c} Ready`].sort(),
    );
    for (const worker of ["b", "c"] as const) {
      assert.equal(
        on(worker, ["info", "--format", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}"]),
        "active false",
      );
    }
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
      ["a manager", "b worker", "c worker"],
    );
  });

  it("3. runs a service with three replicas of a locally imported image, one on each node", async () => {
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
    for (const worker of ["b", "c"] as const) {
      on(worker, ["load"], saved);
      assert.equal(on(worker, ["image", "inspect", "--format", "{{.Id}}", "busybox:swarm"]), image);
    }
    service("e2e-sleep", 3, [], ["/bin/sleep", "100000"]);
    let running: string[] = [];
    for (let i = 0; i < 60; i++) {
      running = runningOn("e2e-sleep");
      if (running.length === 3) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    assert.deepEqual(running, Object.values(names).sort());
  });

  it("4. an overlay network carries traffic between the tasks on the two nodes", async () => {
    on("a", ["network", "create", "--driver", "overlay", "--attachable", "e2e-overlay"]);
    // DNS round robin: the default virtual IP needs IPVS, which the sandboxes' kernel is built without.
    // Two replicas, on a and one worker: the traffic checked is between the manager and a worker.
    service(
      "e2e-web",
      2,
      [
        "--network",
        "e2e-overlay",
        "--endpoint-mode",
        "dnsrr",
        "--constraint",
        `node.hostname!=${names.c}`,
      ],
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

  it("6. promoting a worker (and dropping its label) is an update in place; demoting it back too", async () => {
    await setRoles(["a", "b"], ["c"]);
    await stack.setConfig("labels", { value: "{}" });
    const promoted = await up("pulumi up: promote b");
    assert.deepEqual(
      changes(promoted).map(([k]) => k),
      ["update"],
      JSON.stringify(changes(promoted)),
    );
    assert.match(log, /2 managers: Raft needs a majority/);
    assert.deepEqual(
      nodeList(),
      [`${names.a} Ready Leader`, `${names.b} Ready Reachable`, `${names.c} Ready`].sort(),
    );
    const labels = on("a", ["node", "inspect", names.b, "--format", "{{json .Spec.Labels}}"]);
    assert.equal(
      (JSON.parse(labels) as Record<string, string>).zone,
      undefined,
      "the label taken out of the program is removed",
    );
    await setRoles(["a"], ["b", "c"]);
    const demoted = await up("pulumi up: demote b");
    assert.deepEqual(
      changes(demoted).map(([k]) => k),
      ["update"],
      JSON.stringify(changes(demoted)),
    );
    assert.deepEqual(
      nodeList(),
      [`${names.a} Ready Leader`, `${names.b} Ready`, `${names.c} Ready`].sort(),
    );
  });

  it("7. taking worker c out drains it, makes it leave and removes its node; a's and b's engines keep running", async () => {
    // A container of b's own, outside the swarm: neither it nor either engine may restart while c leaves and joins.
    on("b", [
      "run",
      "--detach",
      "--name",
      "e2e-steady",
      "--restart",
      "no",
      image,
      "/bin/sleep",
      "100000",
    ]);
    unmoved = steady();
    assert.match(unmoved.container, /^running /);
    await setRoles(["a"], ["b"]);
    const result = await up("pulumi up: remove worker c");
    assert.deepEqual(
      changes(result).map(([k]) => k),
      ["delete"],
      JSON.stringify(changes(result)),
    );
    assert.equal(result.summary.resourceChanges?.delete, 3, "c's three steps, nothing else");
    const drained = log.indexOf(`host c (${sb.c.host}) is drained`);
    const left = log.indexOf(`host c (${sb.c.host}) leaves the swarm`);
    const removed = log.indexOf(`removed host c (${sb.c.host})`);
    assert.ok(drained >= 0 && left > drained && removed > left, log);
    assert.deepEqual(nodeList(), [`${names.a} Ready Leader`, `${names.b} Ready`].sort());
    assert.equal(swarmState("c"), "inactive");
    // c's task moved away (one replica per node: it waits for a node to come back)...
    assert.deepEqual(runningOn("e2e-sleep"), [names.a, names.b].sort());
    // ...and nothing else moved.
    assert.deepEqual(steady(), unmoved);
  });

  it("8. adding c back joins only c, as a new node; the others' engines and containers still never restarted", async () => {
    await setRoles(["a"], ["b", "c"]);
    const result = await up("pulumi up: add worker c back");
    assert.deepEqual(
      changes(result).map(([k]) => k),
      ["create"],
      JSON.stringify(changes(result)),
    );
    assert.equal(result.summary.resourceChanges?.create, 3, "c's three steps, nothing else");
    assert.deepEqual(
      nodeList(),
      [`${names.a} Ready Leader`, `${names.b} Ready`, `${names.c} Ready`].sort(),
    );
    assert.equal(swarmState("c"), "active");
    // The waiting replica lands on c again.
    let running: string[] = [];
    for (let i = 0; i < 60; i++) {
      running = runningOn("e2e-sleep");
      if (running.length === 3) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    assert.deepEqual(running, Object.values(names).sort());
    assert.deepEqual(steady(), unmoved);
    on("b", ["rm", "--force", "e2e-steady"]);
  });

  it("9. destroy leaves every engine running outside any swarm", async () => {
    const result = await timed("pulumi destroy", () =>
      stack.destroy({ color: "never", onOutput: (s) => process.stdout.write(s) }),
    );
    assert.equal(result.summary.result, "succeeded");
    for (const host of HOSTS) {
      assert.equal(swarmState(host), "inactive", `${host} is outside any swarm`);
      assert.equal(ssh(sb[host], "systemctl is-active docker").trim(), "active");
    }
  });
});
