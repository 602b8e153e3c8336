import * as assert from "node:assert/strict";
import * as net from "node:net";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ExitCode } from "../../cli/errors";
import { deployment, dockerHostResources, secret } from "./helpers/checkpoint";
import { cliOn, closedPort, engineStandIn, listen, pki } from "./helpers/cli";

// docker-machine's day-two commands on a stack of two DockerHosts: web (an engine stand-in that answers only
// mutual TLS, two named identities) and db (nothing listens; an AWS machine). Outputs pinned byte for byte.

const DAY = 86_400_000;
const NOW = Date.now();
const iso = (days: number) => new Date(NOW + days * DAY + 3_600_000).toISOString();

describe("docker-host day-two commands: ip, url, status, active, inspect, ls --filter/--format/-q, --client", function () {
  this.timeout(30000);
  const p = pki({ server: 365, client: 365 });
  const alice = pki({ server: 1, client: 200 });
  const certsDir = mkdtempSync(path.join(tmpdir(), "dh-daytwo-"));
  let engine: Awaited<ReturnType<typeof engineStandIn>>;
  let webHost = "";
  let dbHost = "";
  let state: unknown;
  const bundle = { caCert: p.ca, clientCert: p.clientCert, clientKey: secret(p.clientKey) };

  before(async () => {
    engine = await engineStandIn(p);
    webHost = `tcp://127.0.0.1:${String(engine.port)}`;
    dbHost = `tcp://127.0.0.1:${String(await closedPort())}`;
    const identity = (cert: string, key: string, days: number) => ({
      cert,
      key: secret(key),
      caCert: p.ca,
      validUntil: iso(days),
    });
    state = deployment(
      dockerHostResources("web", "127.0.0.1", {
        outputs: {
          dockerHost: webHost,
          ...bundle,
          clients: {
            alice: identity(alice.clientCert, alice.clientKey, 199),
            ci: identity("CI-CERT", "CI-KEY", 20),
          },
        },
      }),
      dockerHostResources("db", "127.0.0.1", {
        outputs: { dockerHost: dbHost, ...bundle, source: "aws" },
      }),
    );
  });
  after(() => {
    engine.close();
  });

  const cli = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
    cliOn(state, ["--certs-dir", certsDir, ...argv], { env });

  it("ip: the address of each host named, one per line; url: its DOCKER_HOST", async () => {
    assert.deepEqual(await cli(["ip", "web"]), { code: 0, stdout: "127.0.0.1\n", stderr: "" });
    assert.equal((await cli(["ip", "web", "db"])).stdout, "127.0.0.1\n127.0.0.1\n");
    const none = await cli(["ip"]);
    assert.equal(none.code, ExitCode.Host);
    assert.equal(none.stderr, "docker-host: stack prod has 2 DockerHosts (web, db): name one\n");
    assert.deepEqual(await cli(["url", "web"]), { code: 0, stdout: `${webHost}\n`, stderr: "" });
    assert.equal((await cli(["url", "web", "db"])).code, ExitCode.Usage);
  });

  it("status: Running, or Stopped / Timeout / Error with the reason on stderr, exit 0 either way", async () => {
    assert.deepEqual(await cli(["status", "web"]), { code: 0, stdout: "Running\n", stderr: "" });
    assert.deepEqual(await cli(["status", "db"]), {
      code: 0,
      stdout: "Stopped\n",
      stderr: `db: connect ECONNREFUSED ${dbHost.replace("tcp://", "")}\n`,
    });
    const silent = net.createServer(() => undefined);
    const silentPort = await listen(silent);
    const other = pki({ server: 365, client: 365 });
    const odd = deployment(
      dockerHostResources("slow", "127.0.0.1", {
        outputs: { dockerHost: `tcp://127.0.0.1:${String(silentPort)}`, ...bundle },
      }),
      dockerHostResources("foreign", "127.0.0.1", {
        outputs: { dockerHost: webHost, ...bundle, caCert: other.ca },
      }),
    );
    try {
      assert.deepEqual(await cliOn(odd, ["status", "slow", "-t", "0.3"]), {
        code: 0,
        stdout: "Timeout\n",
        stderr: "slow: no answer in 0.3 s\n",
      });
    } finally {
      silent.close();
    }
    const foreign = await cliOn(odd, ["status", "foreign"]);
    assert.equal(foreign.stdout, "Error\n");
    assert.match(foreign.stderr, /^foreign: .*certificate/);
  });

  it("active: the host DOCKER_HOST names when it runs; exit 4 when it names none, 1 when it is down", async () => {
    assert.deepEqual(await cli(["active"], { DOCKER_HOST: webHost }), {
      code: 0,
      stdout: "web\n",
      stderr: "",
    });
    assert.deepEqual(await cli(["active"]), {
      code: ExitCode.Host,
      stdout: "",
      stderr: "docker-host: no active host found: DOCKER_HOST is not set\n",
    });
    const elsewhere = await cli(["active"], { DOCKER_HOST: "tcp://192.0.2.1:2376" });
    assert.equal(elsewhere.code, ExitCode.Host);
    assert.equal(
      elsewhere.stderr,
      "docker-host: no active host found: DOCKER_HOST=tcp://192.0.2.1:2376 is none of stack prod's DockerHosts (web, db)\n",
    );
    const down = await cli(["active"], { DOCKER_HOST: dbHost });
    assert.equal(down.code, ExitCode.Failure);
    assert.match(
      down.stderr,
      /^docker-host: no active host found: DOCKER_HOST points at db, which is Stopped \(connect ECONNREFUSED/,
    );
  });

  it("inspect: the outputs as docker-machine's indented JSON, every secret [secret], no key anywhere", async () => {
    const r = await cli(["inspect", "web"]);
    assert.equal(r.code, ExitCode.Ok, r.stderr);
    assert.match(
      r.stdout,
      /^\{\n {4}"name": "web",\n {4}"outputs": \{\n {8}"address": "127\.0\.0\.1",/,
    );
    assert.doesNotMatch(r.stdout, /PRIVATE KEY|CI-KEY|SSH-web/);
    const shown = JSON.parse(r.stdout) as {
      name: string;
      urn: string;
      outputs: Record<string, unknown>;
    };
    assert.equal(shown.urn, "urn:pulumi:prod::app::docker-host:index:DockerHost::web");
    assert.equal(shown.outputs.clientKey, "[secret]");
    assert.equal(shown.outputs.sshPrivateKey, "[secret]");
    assert.equal(shown.outputs.clientCert, p.clientCert);
    assert.deepEqual(shown.outputs.clients, {
      alice: { caCert: p.ca, cert: alice.clientCert, key: "[secret]", validUntil: iso(199) },
      ci: { caCert: p.ca, cert: "CI-CERT", key: "[secret]", validUntil: iso(20) },
    });
    const format = async (f: string) => (await cli(["inspect", "web", "-f", f])).stdout;
    assert.equal(await format("{{.outputs.address}}"), "127.0.0.1\n");
    assert.equal(await format("{{json .outputs.clients.ci.key}}"), '"[secret]"\n');
    assert.equal(
      await format("{{.outputs.firewall}} {{.outputs.nope}}"),
      "map[kind:none] <no value>\n",
    );
    const bad = await cli(["inspect", "web", "-f", "{{if .name}}x{{end}}"]);
    assert.equal(bad.code, ExitCode.Usage);
    assert.match(bad.stderr, /unsupported action \{\{if \.name\}\}/);
  });

  it("ls -q: the names only, without dialling; --filter name (a regexp), state, source or driver", async () => {
    const dialled = engine.seen.length;
    assert.deepEqual(await cli(["ls", "-q"]), { code: 0, stdout: "web\ndb\n", stderr: "" });
    assert.equal(engine.seen.length, dialled, "-q dials no engine");
    const q = async (...filters: string[]) =>
      (await cli(["ls", "-q", ...filters.flatMap((f) => ["--filter", f])])).stdout;
    assert.equal(await q("state=running"), "web\n");
    assert.equal(await q("state=Stopped"), "db\n");
    assert.equal(await q("name=^w"), "web\n");
    assert.equal(await q("name=^d"), "db\n");
    assert.equal(await q("source=aws"), "db\n");
    assert.equal(await q("driver=EXISTING"), "web\n");
    assert.equal(await q("source=aws", "source=existing"), "web\ndb\n", "one key: OR");
    assert.equal(await q("name=web,state=Stopped"), "", "two keys: AND");
    const label = await cli(["ls", "--filter", "label=team=web"]);
    assert.deepEqual(label, {
      code: ExitCode.Usage,
      stdout: "",
      stderr:
        "docker-host: unsupported filter key 'label': docker-host ls filters on name, state and source (or driver, docker-machine's name for it)\n",
    });
    assert.equal((await cli(["ls", "--filter", "web"])).code, ExitCode.Usage);
    assert.equal((await cli(["ls", "--filter", "name=("])).code, ExitCode.Usage);
  });

  it("ls --format: docker-machine's fields and values; 'table' lays them out under its headers", async () => {
    const env = { DOCKER_HOST: webHost };
    const plain = await cli(["ls", "--format", "{{.Name}} {{.URL}}"], env);
    assert.deepEqual(plain, {
      code: 0,
      stdout: `web ${webHost}\ndb ${dbHost}\n`,
      stderr: plain.stderr,
    });
    assert.equal(
      (
        await cli(
          ["ls", "--format", "{{.Active}} {{.DockerVersion}} {{.DriverName}} {{.State}}"],
          env,
        )
      ).stdout,
      "* v27.5.1 existing Running\n- Unknown aws Stopped\n",
    );
    assert.equal(
      (await cli(["ls", "--format", "table {{.Name}}\\t{{.State}}\\t{{.Identities}}"])).stdout,
      "NAME   STATE     IDENTITIES\n" +
        "web    Running   alice 199d, ci 20d (renew)\n" +
        "db     Stopped   -\n",
    );
    assert.match(
      (await cli(["ls", "--format", "{{.ResponseTime}}", "--filter", "name=web"])).stdout,
      /^\d+ms\n$/,
    );
    const unknown = await cli(["ls", "--format", "{{.Nope}}"]);
    assert.equal(unknown.code, ExitCode.Usage);
    assert.match(
      unknown.stderr,
      /^docker-host: ls --format: no field \.Nope; the fields are \.Name, \.Active, /,
    );
  });

  it("ls: each identity's days left, and a warning for one about to expire", async () => {
    const r = await cli(["ls"]);
    const [header, web, db] = r.stdout.trimEnd().split("\n");
    assert.match(header ?? "", /\sCLIENT CERT\s+IDENTITIES\s+ERRORS$/);
    assert.match(web ?? "", /\s\d+d\s+alice 199d, ci 20d \(renew\)$/);
    assert.match(db ?? "", /\s-\s+connect ECONNREFUSED/);
    assert.match(
      r.stderr,
      /^warning: web: client identity ci's certificate expires in 20 days \(.+\): change tls\.clients\.ci\.rotation and run pulumi up$/m,
    );
  });

  it("env, config --client NAME: that identity's bundle in the host's clients/NAME; exit 4 for a name it lacks", async () => {
    const dir = path.join(certsDir, "app", "prod", "web", "clients", "alice");
    const env = await cli(["env", "web", "--client", "alice"]);
    assert.equal(env.code, ExitCode.Ok, env.stderr);
    assert.match(env.stdout, new RegExp(`^export DOCKER_CERT_PATH="${dir}"$`, "m"));
    assert.match(env.stdout, /^export DOCKER_MACHINE_NAME="web"$/m);
    assert.equal(readFileSync(path.join(dir, "cert.pem"), "utf8"), alice.clientCert);
    assert.equal(readFileSync(path.join(dir, "key.pem"), "utf8"), alice.clientKey);
    assert.equal(readFileSync(path.join(dir, "ca.pem"), "utf8"), p.ca);
    assert.equal(statSync(path.join(dir, "key.pem")).mode & 0o777, 0o600);
    assert.match(
      (await cli(["config", "web", "--client", "alice"])).stdout,
      /clients\/alice\/cert\.pem"/,
    );
    assert.deepEqual(await cli(["env", "web", "--client", "bob"]), {
      code: ExitCode.Host,
      stdout: "",
      stderr: "docker-host: DockerHost web has no client identity bob (it has: alice, ci)\n",
    });
    assert.equal(
      (await cli(["config", "db", "--client", "alice"])).stderr,
      "docker-host: DockerHost db has no client identities (tls.clients is not set): leave out --client for its own client certificate\n",
    );
    assert.equal(
      (await cli(["context", "web", "--ssh", "--client", "alice"])).code,
      ExitCode.Usage,
    );
  });
});
