import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ExitCode } from "../../cli/errors";
import { hostsFromDeployment } from "../../cli/hosts";
import { parseScpArg, planScp } from "../../cli/scp";
import { deployment, dockerHostResources } from "./helpers/checkpoint";
import { cliOn } from "./helpers/cli";
import { recordingClient, useFakeBin } from "./helpers/fakeBin";

// `scp`: docker-machine's [[user@]machine:]path arguments, the system's scp with the stack's key and the pinned
// host key (strict, from a private known_hosts), never a key on the command line. A stand-in scp records what it got.

const state = deployment(
  dockerHostResources("web", "203.0.113.10"),
  dockerHostResources("db", "2001:db8::5"),
  dockerHostResources("odd", "198.51.100.9", { outputs: { sshPort: 2222 } }),
  dockerHostResources("nopin", "198.51.100.10", { outputs: { sshHostKey: "" } }),
);
const hosts = hostsFromDeployment(state);

describe("docker-host scp", function () {
  this.timeout(30000);
  const log = path.join(mkdtempSync(path.join(tmpdir(), "dh-scp-log-")), "log");
  useFakeBin({ scp: recordingClient(5) }, { DH_FAKE_LOG: log });

  it("reads [[user@]host:]path as scp does: a slash before the colon is local, localhost: is here", () => {
    assert.deepEqual(parseScpArg("web:/etc/hosts"), { host: "web", path: "/etc/hosts" });
    assert.deepEqual(parseScpArg("admin@web:x"), { host: "web", path: "x", user: "admin" });
    assert.deepEqual(parseScpArg(":/tmp"), { host: "", path: "/tmp" });
    assert.deepEqual(parseScpArg("./a:b"), { path: "./a:b" });
    assert.deepEqual(parseScpArg("/tmp/x"), { path: "/tmp/x" });
    assert.deepEqual(parseScpArg("localhost:/tmp/x"), { path: "/tmp/x" });
  });

  it("plans the pinned options, -r and -q, the port, and '--' before the locations (IPv6 bracketed)", () => {
    const plan = planScp(hosts, "prod", "./site", "db:/srv/site", { recursive: true, quiet: true });
    assert.deepEqual(
      plan.hosts.map((h) => h.name),
      ["db"],
    );
    assert.deepEqual(plan.args({ keyFiles: ["/t/id"], knownHosts: "/t/kh" }), [
      "-i",
      "/t/id",
      "-P",
      "22",
      "-o",
      "IdentitiesOnly=yes",
      "-o",
      "StrictHostKeyChecking=yes",
      "-o",
      "UserKnownHostsFile=/t/kh",
      "-o",
      "GlobalKnownHostsFile=/dev/null",
      "-o",
      "UpdateHostKeys=no",
      "-o",
      "PasswordAuthentication=no",
      "-o",
      "ConnectTimeout=10",
      "-o",
      "ServerAliveInterval=60",
      "-r",
      "-q",
      "--",
      "./site",
      "root@[2001:db8::5]:/srv/site",
    ]);
  });

  it("between two DockerHosts through this machine (-3), both keys and both pins", async () => {
    const r = await cliOn(state, ["scp", "web:/a", "db:/b"]);
    assert.equal(r.code, 5, "scp's own exit code");
    const got = readFileSync(log, "utf8");
    assert.match(got, /^key SSH-web\nkeymode 600$/m);
    assert.match(got, /^key SSH-db\nkeymode 600$/m);
    assert.match(
      got,
      /^known_hosts 203\.0\.113\.10 ssh-ed25519 AAAAweb\nknown_hosts 2001:db8::5 ssh-ed25519 AAAAdb$/m,
    );
    assert.match(
      got,
      /arg -3\narg --\narg root@203\.0\.113\.10:\/a\narg root@\[2001:db8::5\]:\/b\n$/,
    );
    assert.doesNotMatch(got, /arg SSH-/, "no key on the command line");
  });

  it("usage errors (exit 2) before the stack is read; no pin, no copy (exit 1); exit 4 for an unknown host", async () => {
    const noStack = () => Promise.reject(new Error("the stack must not be read"));
    const local = await cliOn(state, ["scp", "a", "b"], { readStack: noStack });
    assert.deepEqual(local, {
      code: ExitCode.Usage,
      stdout: "",
      stderr:
        "docker-host: scp copies to or from a DockerHost: name it as NAME:PATH (or :PATH for the stack's only one)\n",
    });
    assert.equal((await cliOn(state, ["scp", "web:/a"])).code, ExitCode.Usage);
    const ports = await cliOn(state, ["scp", "web:/a", "odd:/b"]);
    assert.equal(ports.code, ExitCode.Usage);
    assert.match(ports.stderr, /needs the same SSH port on both \(they have 22 and 2222\)/);
    writeFileSync(log, "");
    const nopin = await cliOn(state, ["scp", "x", "nopin:/x"]);
    assert.equal(nopin.code, ExitCode.Failure);
    assert.match(nopin.stderr, /DockerHost nopin has no pinned SSH host key in the stack/);
    assert.equal(readFileSync(log, "utf8"), "", "scp was not started");
    assert.equal((await cliOn(state, ["scp", "x", "nope:/x"])).code, ExitCode.Host);
    assert.equal(
      (await cliOn(state, ["scp", "x", ":/x"])).code,
      ExitCode.Host,
      "several hosts, none named",
    );
  });
});
