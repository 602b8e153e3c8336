import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { renderSwarmCommand, SwarmScript } from "../../components/swarm/scripts";

const SWARM_DIR = path.join(__dirname, "..", "..", "components", "swarm");
const TOKEN = "SWMTKN-1-fakedigest-fakesecret";

// A stand-in for the docker and curl CLIs: answers `docker info` templates from FAKE_* variables and records
// every call (argv, and curl's stdin) in $FAKE_LOG, so the tests see what the scripts would have done.
const FAKE_DOCKER = `#!/bin/bash
printf 'docker %s\\n' "$*" >>"$FAKE_LOG"
state() { cat "$FAKE_LOG.state" 2>/dev/null || echo "\${FAKE_STATE:-inactive}"; }
case "$1 $2" in
  "info ") exit 0 ;;
  "info --format")
    case "$3" in
      *LiveRestoreEnabled*) echo "\${FAKE_LIVE_RESTORE:-false}" ;;
      *LocalNodeState*ControlAvailable*) echo "$(state) \${FAKE_CONTROL:-false}" ;;
      *LocalNodeState*) state ;;
      *ControlAvailable*) echo "\${FAKE_CONTROL:-false}" ;;
      *Cluster.ID*) echo "\${FAKE_CLUSTER:-}" ;;
      *RemoteManagers*) echo "\${FAKE_MANAGERS:-}" ;;
      *NodeAddr*) echo "\${FAKE_NODE_ADDR:-10.0.0.2}" ;;
      *NodeID*) echo "\${FAKE_NODE_ID:-node-self}" ;;
    esac ;;
  "node inspect") echo "\${FAKE_MARKER:-}" ;;
  "swarm join-token") echo "SWMTKN-1-fakedigest-$4secret" ;;
  "swarm init")
    echo active >"$FAKE_LOG.state"
    echo "To add a worker: docker swarm join --token SWMTKN-1-fakedigest-initsecret 10.0.0.1:2377" ;;
esac
exit 0
`;
const FAKE_CURL = `#!/bin/bash
printf 'curl %s\\n' "$*" >>"$FAKE_LOG"
printf 'curl-stdin %s\\n' "$(cat)" >>"$FAKE_LOG"
out=""
while [ $# -gt 0 ]; do [ "$1" = -o ] && out=$2; shift; done
printf '%s' "\${FAKE_JOIN_RESPONSE:-}" >"$out"
printf '%s' "\${FAKE_JOIN_STATUS:-200}"
`;

function fakeBin(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "dh-fake-docker-"));
  writeFileSync(path.join(dir, "docker"), FAKE_DOCKER);
  writeFileSync(path.join(dir, "curl"), FAKE_CURL);
  chmodSync(path.join(dir, "docker"), 0o755);
  chmodSync(path.join(dir, "curl"), 0o755);
  return dir;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Every docker and curl call, in order. */
  calls: string[];
}

/** Runs a rendered step command as Pulumi's SSH session would, against the fakes. */
function run(
  script: SwarmScript,
  params: Record<string, string>,
  fake: Record<string, string>,
  stdin = "",
): Run {
  const bin = fakeBin();
  const log = path.join(bin, "calls.log");
  writeFileSync(log, "");
  const result = spawnSync("sh", ["-c", renderSwarmCommand(script, params)], {
    input: stdin,
    encoding: "utf8",
    env: { PATH: `${bin}:${process.env.PATH ?? ""}`, FAKE_LOG: log, ...fake },
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    calls: readFileSync(log, "utf8").split("\n").filter(Boolean),
  };
}

const base = {
  DH_SWARM_KEY: "project/stack/prod",
  DH_NODE_NAME: "b",
  DH_NODE_ADDRESS: "10.0.0.2",
  DH_ROLE: "worker",
  DH_ADVERTISE: "10.0.0.2",
};
const joiner = {
  ...base,
  DH_MANAGER_ADDR: "10.0.0.1:2377",
  DH_CLUSTER_ID: "cluster-this",
  DH_MANAGER_NODE_ID: "node-first",
};
const first = {
  ...base,
  DH_NODE_NAME: "a",
  DH_NODE_ADDRESS: "10.0.0.1",
  DH_ROLE: "manager",
  DH_ADVERTISE: "10.0.0.1",
  DH_FIRST: "1",
};

describe("swarm step scripts", () => {
  it("are shellcheck-clean", () => {
    const files = readdirSync(SWARM_DIR)
      .filter((f) => f.endsWith(".sh"))
      .map((f) => path.join(SWARM_DIR, f));
    assert.ok(files.length >= 6, "the swarm scripts are found");
    const result = spawnSync("shellcheck", ["-s", "bash", "-x", ...files], { encoding: "utf8" });
    assert.equal(result.error, undefined, "shellcheck is installed (the test command installs it)");
    assert.equal(result.status, 0, result.stdout);
  });

  it("join: refuses a host with live-restore, naming it and the fix, and changes nothing", () => {
    const r = run(SwarmScript.Join, joiner, { FAKE_LIVE_RESTORE: "true" }, `${TOKEN}\n`);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /host b \(10\.0\.0\.2\) has live-restore enabled/);
    assert.match(r.stderr, /set engine: \{ liveRestore: false \} on its DockerHost/);
    assert.deepEqual(
      r.calls.filter((c) => /swarm (init|join)|curl/.test(c)),
      [],
    );
  });

  it("join: joins through the Engine API's socket with the token on curl's stdin, never in argv", () => {
    const r = run(SwarmScript.Join, joiner, { FAKE_NODE_ID: "node-b" }, `${TOKEN}\n`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "node-id: node-b\n");
    const curl = r.calls.filter((c) => c.startsWith("curl "));
    assert.equal(curl.length, 1);
    assert.doesNotMatch(curl[0] ?? "", /SWMTKN/, "the token is not in curl's argv");
    assert.match(
      curl[0] ?? "",
      /--unix-socket \/var\/run\/docker\.sock .*http:\/\/localhost\/swarm\/join/,
    );
    const body = r.calls.find((c) => c.startsWith("curl-stdin "))?.slice("curl-stdin ".length);
    assert.deepEqual(JSON.parse(body ?? ""), {
      ListenAddr: "0.0.0.0:2377",
      AdvertiseAddr: "10.0.0.2",
      RemoteAddrs: ["10.0.0.1:2377"],
      JoinToken: TOKEN,
    });
    assert.doesNotMatch(r.stderr, /SWMTKN/);
    assert.ok(!r.calls.some((c) => c.startsWith("docker ") && c.includes("SWMTKN")));
  });

  it("join: a failed join says why without the token", () => {
    const r = run(
      SwarmScript.Join,
      joiner,
      {
        FAKE_JOIN_STATUS: "500",
        FAKE_JOIN_RESPONSE: `{"message":"invalid join token ${TOKEN}"}`,
      },
      `${TOKEN}\n`,
    );
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /host b \(10\.0\.0\.2\) could not join the swarm at 10\.0\.0\.1:2377 \(HTTP 500\)/,
    );
    assert.match(r.stderr, /\[join token\]/);
    assert.doesNotMatch(r.stderr, /SWMTKN/);
  });

  it("join: a worker already in this swarm is left alone", () => {
    const r = run(SwarmScript.Join, joiner, {
      FAKE_STATE: "active",
      FAKE_MANAGERS: "node-first node-other ",
      FAKE_NODE_ID: "node-b",
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /host b \(10\.0\.0\.2\) is already in this swarm: left alone/);
    assert.ok(!r.calls.some((c) => c.startsWith("curl")));
    assert.equal(r.stdout, "node-id: node-b\n");
  });

  it("join: a manager already in this swarm (by cluster ID) is left alone", () => {
    const r = run(
      SwarmScript.Join,
      { ...joiner, DH_ROLE: "manager" },
      {
        FAKE_STATE: "active",
        FAKE_CONTROL: "true",
        FAKE_CLUSTER: "cluster-this",
      },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /left alone/);
  });

  it("join: a host in another swarm is an error that names it", () => {
    const worker = run(SwarmScript.Join, joiner, {
      FAKE_STATE: "active",
      FAKE_MANAGERS: "node-elsewhere ",
    });
    assert.equal(worker.status, 1);
    assert.match(
      worker.stderr,
      /host b \(10\.0\.0\.2\) is already in another swarm \(a worker of the swarm managed by node-elsewhere/,
    );
    const manager = run(SwarmScript.Join, joiner, {
      FAKE_STATE: "active",
      FAKE_CONTROL: "true",
      FAKE_CLUSTER: "cluster-other",
    });
    assert.equal(manager.status, 1);
    assert.match(
      manager.stderr,
      /host b \(10\.0\.0\.2\) is already in another swarm \(a manager of swarm cluster-other\)/,
    );
    assert.ok(![...worker.calls, ...manager.calls].some((c) => /curl|swarm (join|leave)/.test(c)));
  });

  it("init: initialises, marks the first manager, prints identity and tokens on stdout only", () => {
    const r = run(SwarmScript.Join, first, {
      FAKE_CONTROL: "true",
      FAKE_CLUSTER: "cluster-new",
      FAKE_NODE_ID: "node-a",
      FAKE_NODE_ADDR: "10.0.0.1",
    });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.calls.includes("docker swarm init --advertise-addr 10.0.0.1"), r.calls.join("\n"));
    assert.ok(
      r.calls.some((c) =>
        c.startsWith(
          "docker node update --label-add docker-host.swarm=project/stack/prod --label-add docker-host.node=a node-a",
        ),
      ),
    );
    assert.doesNotMatch(r.stderr, /SWMTKN/, "init's own output (with a token) is not shown");
    assert.match(
      r.stdout,
      /^cluster-id: cluster-new\nnode-id: node-a\nmanager-address: 10\.0\.0\.1:2377\n/,
    );
    assert.match(r.stdout, /^worker-token: SWMTKN-1-fakedigest-workersecret$/m);
    assert.doesNotMatch(r.stdout, /initsecret/);
  });

  it("init: a first manager already managing this swarm is left alone and reports the tokens", () => {
    const r = run(SwarmScript.Join, first, {
      FAKE_STATE: "active",
      FAKE_CONTROL: "true",
      FAKE_CLUSTER: "cluster-this",
      FAKE_MARKER: "project/stack/prod",
      FAKE_NODE_ID: "node-a",
      FAKE_NODE_ADDR: "10.0.0.1",
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /host a \(10\.0\.0\.1\) already manages this swarm: left alone/);
    assert.ok(!r.calls.some((c) => c.includes("swarm init")));
    assert.equal(
      r.stdout,
      [
        "cluster-id: cluster-this",
        "node-id: node-a",
        "manager-address: 10.0.0.1:2377",
        "worker-token: SWMTKN-1-fakedigest-workersecret",
        "manager-token: SWMTKN-1-fakedigest-managersecret",
        "",
      ].join("\n"),
    );
    assert.doesNotMatch(r.stderr, /SWMTKN/);
  });

  it("init: a first manager that manages another swarm is an error that names it", () => {
    const r = run(SwarmScript.Join, first, {
      FAKE_STATE: "active",
      FAKE_CONTROL: "true",
      FAKE_CLUSTER: "cluster-other",
      FAKE_MARKER: "",
    });
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /host a \(10\.0\.0\.1\) is already in another swarm \(a manager of swarm cluster-other\)/,
    );
  });

  it("leave: leaves this swarm (a manager with --force), leaves another swarm alone", () => {
    const worker = run(SwarmScript.Leave, joiner, {
      FAKE_STATE: "active",
      FAKE_MANAGERS: "node-first ",
    });
    assert.equal(worker.status, 0, worker.stderr);
    assert.ok(worker.calls.includes("docker swarm leave"));
    const manager = run(SwarmScript.Leave, first, {
      FAKE_STATE: "active",
      FAKE_CONTROL: "true",
      FAKE_MARKER: "project/stack/prod",
    });
    assert.ok(manager.calls.includes("docker swarm leave --force"));
    const other = run(SwarmScript.Leave, joiner, {
      FAKE_STATE: "active",
      FAKE_MANAGERS: "node-x ",
    });
    assert.equal(other.status, 0);
    assert.match(other.stderr, /is in another swarm now .*: left alone/);
    assert.ok(!other.calls.some((c) => c.includes("swarm leave")));
  });
});
