import { Stack } from "@pulumi/pulumi/automation";
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { cliRunner, sandboxHostStack, teardown, upOk } from "./helpers/cli";
import { REPO, Sandbox, ssh } from "./helpers/sandbox";
import { containsSecret, stackKeys } from "./helpers/secrets";

// docker-machine's day-two commands as a user runs them against a real stack: `docker-host` on PATH, the real
// docker CLI, the real ssh and scp clients, a real systemd host whose dockerd the test stops and impersonates.
describe("docker-host day-two commands against a sandbox host (end to end)", function () {
  const sandboxName = `dhday${String(process.pid % 1000)}`;
  const HOST = "box";
  const PROJECT_DIR = path.join(REPO, "examples", "existing-host");
  let sb: Sandbox;
  let stack: Stack;
  let dockerHost = "";
  let engineVersion = "";
  const { certsDir, env, cli, ok } = cliRunner(() => stack, PROJECT_DIR);

  before(async function () {
    ({ sb, stack } = await sandboxHostStack(sandboxName, "daytwo", HOST));
    await upOk(stack, "pulumi up");
    const outputs = await stack.outputs();
    dockerHost = String(outputs.dockerHost?.value);
    engineVersion = String(outputs.engineVersion?.value);
  });

  after(async function () {
    await teardown(stack, sandboxName);
  });

  it("ip, url, status and active print docker-machine's one line each", () => {
    assert.equal(ok(["ip"]), `${sb.host}\n`);
    assert.equal(ok(["url", HOST]), `${dockerHost}\n`);
    assert.equal(ok(["status", HOST]), "Running\n");
    assert.equal(ok(["active"], { env: { DOCKER_HOST: dockerHost } }), `${HOST}\n`);
    const none = cli(["active"]);
    assert.deepEqual(
      [none.code, none.stderr],
      [4, "docker-host: no active host found: DOCKER_HOST is not set\n"],
    );
  });

  it("inspect: the public outputs as JSON, every secret [secret], no key material at all", async () => {
    const r = cli(["inspect", HOST]);
    assert.equal(r.code, 0, r.stderr);
    const shown = JSON.parse(r.stdout) as { name: string; outputs: Record<string, unknown> };
    assert.equal(shown.name, HOST);
    assert.equal(shown.outputs.dockerHost, dockerHost);
    assert.equal(shown.outputs.source, "existing");
    assert.equal(shown.outputs.clientKey, "[secret]");
    assert.equal(shown.outputs.sshPrivateKey, "[secret]");
    const keys = await stackKeys(stack, [HOST], [sb.privateKeyPath]);
    for (const [what, key] of Object.entries(keys))
      assert.ok(!containsSecret(r.stdout, key), `${what} in inspect's output`);
    assert.equal(
      ok(["inspect", "-f", "{{.outputs.sshUser}}@{{.outputs.address}}"]),
      `root@${sb.host}\n`,
    );
  });

  it("ls -q, --filter name/state/source, --format with docker-machine's fields", () => {
    assert.equal(ok(["ls", "-q"]), `${HOST}\n`);
    const q = (filter: string) => ok(["ls", "-q", "--filter", filter]);
    assert.equal(q("state=Running"), `${HOST}\n`);
    assert.equal(q("state=stopped"), "");
    assert.equal(q("source=existing,name=^bo"), `${HOST}\n`);
    assert.equal(q("driver=aws"), "");
    assert.equal(ok(["ls", "--format", "{{.Name}} {{.URL}}"]), `${HOST} ${dockerHost}\n`);
    assert.equal(
      ok(["ls", "--format", "{{.Active}} {{.State}} {{.DriverName}} {{.DockerVersion}}"], {
        env: { DOCKER_HOST: dockerHost },
      }),
      `* Running existing v${engineVersion}\n`,
    );
    assert.match(
      ok(["ls", "--format", "table {{.Name}}\\t{{.State}}"]),
      /^NAME\s+STATE\nbox\s+Running\n$/,
    );
  });

  it("scp: a directory there and back with -r, and a file, with the stack's key and the pinned host key", () => {
    const src = mkdtempSync(path.join(tmpdir(), "dh-scp-src-"));
    mkdirSync(path.join(src, "tree", "deeper"), { recursive: true });
    const blob = randomBytes(200_000);
    writeFileSync(path.join(src, "tree", "a.txt"), "hello from docker-host scp\n");
    writeFileSync(path.join(src, "tree", "deeper", "blob.bin"), blob);
    ok(["scp", "-r", "-q", path.join(src, "tree"), `${HOST}:/tmp/dh-scp`]);
    assert.equal(ssh(sb, "cat /tmp/dh-scp/a.txt"), "hello from docker-host scp\n");
    assert.equal(
      ssh(sb, "sha256sum < /tmp/dh-scp/deeper/blob.bin").split(" ")[0],
      execFileSync("sha256sum", { input: blob, encoding: "utf8" }).split(" ")[0],
    );
    const back = mkdtempSync(path.join(tmpdir(), "dh-scp-back-"));
    ok(["scp", "-r", "-q", ":/tmp/dh-scp", path.join(back, "copy")]);
    assert.ok(readFileSync(path.join(back, "copy", "deeper", "blob.bin")).equals(blob));
    ok(["scp", "-q", `${HOST}:/etc/hostname`, path.join(back, "hostname")]);
    assert.equal(readFileSync(path.join(back, "hostname"), "utf8").trim(), sandboxName);
  });

  it("context --ssh: the docker CLI over ssh://, only with the pinned host key (never trust-on-first-use)", () => {
    // The docker CLI's ssh reads ~/.ssh of the passwd entry (not $HOME): a private mount namespace with an
    // empty /root keeps this machine's own ssh configuration out of it, both ways.
    const wrongKey = execFileSync(
      "sh",
      [
        "-c",
        'd=$(mktemp -d) && ssh-keygen -q -t ed25519 -N "" -f "$d/k" && cut -d" " -f1,2 "$d/k.pub"',
      ],
      { encoding: "utf8" },
    ).trim();
    const knownHosts = path.join(certsDir, "existing-host", "daytwo", HOST, "ssh", "known_hosts");
    const script = `set -eu
mount -t tmpfs -o mode=0700 tmpfs /root
docker-host context ${HOST} --ssh
docker --context ${HOST} version --format '{{.Server.Version}}'
cp "${knownHosts}" "${knownHosts}.good"
printf '%s %s\\n' "${sb.host}" "${wrongKey}" > "${knownHosts}"
if docker --context ${HOST} version > /dev/null 2> /root/err; then echo "accepted a wrong host key"; exit 1; fi
grep -q 'Host key verification failed' /root/err && echo "refused: host key verification failed"
cp "${knownHosts}.good" "${knownHosts}"
docker-host context --rm ${HOST}
test ! -e "${knownHosts}"`;
    const r = spawnSync("unshare", ["--mount", "--propagation", "private", "bash", "-c", script], {
      cwd: PROJECT_DIR,
      env: env(),
      encoding: "utf8",
      timeout: 300_000,
    });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const lines = r.stdout.trim().split("\n");
    assert.match(
      lines[0] ?? "",
      new RegExp(
        `^docker context ${HOST} created: ssh://root@${sb.host.replace(/\./g, "\\.")} \\(ssh\\)$`,
      ),
    );
    assert.ok(lines.includes(engineVersion), r.stdout);
    assert.ok(lines.includes("refused: host key verification failed"), r.stdout);
    assert.match(r.stdout, new RegExp(`docker context ${HOST} removed\\n`));
  });

  it("status: Stopped when dockerd is stopped, Error with the reason when something else answers", () => {
    ssh(sb, "systemctl stop docker.socket docker.service");
    let impostor = "";
    try {
      const stopped = cli(["status", HOST]);
      assert.deepEqual([stopped.code, stopped.stdout], [0, "Stopped\n"]);
      assert.match(
        stopped.stderr,
        new RegExp(`^${HOST}: connect ECONNREFUSED ${sb.host}:2376\\n$`),
      );
      assert.equal(ok(["ls", "-q", "--filter", "state=Stopped"]), `${HOST}\n`);
      // Not an engine: a listener that closes every connection at once, so the TLS handshake fails.
      impostor = ssh(
        sb,
        "setsid perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(LocalPort => 2376, Listen => 5, ReuseAddr => 1) or die; while ($c = $s->accept) { close $c }' </dev/null >/dev/null 2>&1 & echo $!; sleep 1",
      ).trim();
      const error = cli(["status", HOST]);
      assert.deepEqual([error.code, error.stdout], [0, "Error\n"]);
      assert.match(
        error.stderr,
        new RegExp(`^${HOST}: .*(ECONNRESET|socket|TLS|disconnected)`, "i"),
      );
    } finally {
      if (impostor !== "") ssh(sb, `kill ${impostor}`);
      ssh(sb, "systemctl start docker.service");
    }
    let state = "";
    for (let i = 0; i < 30 && state !== "Running\n"; i++) {
      state = cli(["status", HOST]).stdout;
      if (state !== "Running\n") execFileSync("sleep", ["1"]);
    }
    assert.equal(state, "Running\n");
  });
});
