import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ExitCode } from "../../cli/errors";
import { hostsFromDeployment } from "../../cli/hosts";
import { powerAdvice } from "../../cli/power";
import { powerChange } from "../../cli/powerChange";
import { deployment, dockerHostResources, secret } from "./helpers/checkpoint";
import { cliOn, engineStandIn, pki } from "./helpers/cli";
import { fakeClock } from "./helpers/clock";
import { useFakeBin } from "./helpers/fakeBin";

const OLD = "3f2a9c1e-0000-4000-8000-000000000001";
const NEW = "9c1e3f2a-0000-4000-8000-000000000002";

describe("stop and start: the declarative change, or why a host has no power control (exit 1 always)", () => {
  it("an existing machine: why not, and what to do instead, with its name", () => {
    const e = powerAdvice({ name: "web", source: "existing" }, "stop");
    assert.equal(e.exitCode, ExitCode.Failure);
    assert.equal(
      e.message,
      "cannot stop web (source existing): an existing machine's power is managed where the machine comes from, not by DockerHost.\n" +
        "Instead: stop and start it where it is managed (DockerHost checks the engine at the next `pulumi up`); to reboot it, run `docker-host restart web`",
    );
    assert.match(
      powerAdvice({ name: "web", source: "existing" }, "start").message,
      /^cannot start web/,
    );
  });

  it("a cloud whose provider cannot hold power state: why not, and the alternative", () => {
    const e = powerAdvice({ name: "api", source: "digitalocean" }, "stop");
    assert.match(
      e.message,
      /^cannot stop api \(source digitalocean\): the DigitalOcean provider cannot hold/,
    );
    assert.match(
      e.message,
      /\nInstead: .*remove the DockerHost from the program.*docker-host restart api`$/,
    );
    for (const source of ["hetzner", "azure"])
      assert.match(powerAdvice({ name: "x", source }, "start").message, /^cannot start x/);
  });

  it("aws and gcp: the input, its value, and its TypeScript and YAML spellings, then pulumi up", () => {
    assert.equal(
      powerAdvice({ name: "web", source: "aws", power: "Running" }, "stop").message,
      'stop changes nothing by itself: DockerHost "web" (source aws) is stopped declaratively, so that the stack says so too. To stop it, ' +
        'set the input power of DockerHost "web" to Stopped, then run pulumi up:\n' +
        '  TypeScript:  power: PowerState.Stopped,   (import { PowerState } from "pulumi-docker-host")\n' +
        "  YAML:        power: Stopped",
    );
    // A stack without the power output: the machine runs, so stop has the same advice.
    assert.match(
      powerAdvice({ name: "web", source: "gcp" }, "stop").message,
      /to Stopped, then run pulumi up/,
    );
    // start when the stack says Stopped: the change back.
    const start = powerAdvice({ name: "db", source: "gcp", power: "Stopped" }, "start");
    assert.equal(start.exitCode, ExitCode.Failure);
    assert.ok(start.message.endsWith(powerChange("db", "Running")), start.message);
    assert.match(
      start.message,
      /^start changes nothing by itself: DockerHost "db" \(source gcp\) is started declaratively/,
    );
  });

  it("already in that state: docker-machine's 'already stopped' (exit 1), from the stack's power output", () => {
    assert.equal(
      powerAdvice({ name: "web", source: "aws", power: "Stopped" }, "stop").message,
      `DockerHost "web" is already stopped (the stack's power output says Stopped)`,
    );
    assert.equal(
      powerAdvice({ name: "web", source: "aws" }, "start").message,
      `DockerHost "web" is already running (the stack records no power state: it runs)`,
    );
  });

  it("reads the power output when the stack records one; none is not a missing output", () => {
    const [parked, plain] = hostsFromDeployment(
      deployment(
        dockerHostResources("parked", "10.0.0.5", { outputs: { source: "aws", power: "Stopped" } }),
        dockerHostResources("plain", "10.0.0.6"),
      ),
    );
    assert.equal(parked?.power, "Stopped");
    assert.equal(plain?.power, undefined);
    assert.deepEqual(plain?.missing, []);
  });

  it("a stack without source, or with a source this CLI does not know", () => {
    assert.match(
      powerAdvice({ name: "web", source: "" }, "stop").message,
      /^cannot stop web: the stack records no source for it .*: run pulumi up to record it$/,
    );
    assert.match(
      powerAdvice({ name: "web", source: "vsphere" }, "start").message,
      /^cannot start web: its source vsphere is not one this docker-host knows \(existing, aws, /,
    );
  });
});

describe("docker-host restart, stop and start on a stack (in-process; a stand-in ssh, an engine stand-in)", function () {
  this.timeout(30000);
  const p = pki({ server: 365, client: 365 });
  const logDir = mkdtempSync(path.join(tmpdir(), "dh-restart-log-"));
  const log = path.join(logDir, "log");
  const looks = path.join(logDir, "looks");
  // The stand-in host: the reboot script prints the old boot id; then one look finds SSH refused, the next a new
  // boot. Every run appends its arguments (and its key file's mode and whether it exists) to the log.
  useFakeBin(
    {
      ssh: `#!/bin/sh
prev=
for a in "$@"; do
  printf 'arg %s\\n' "$a" >> "$DH_FAKE_LOG"
  if [ "$prev" = -i ]; then printf 'keymode %s\\n' "$(stat -c %a "$a")" >> "$DH_FAKE_LOG"; echo "$a" > "$DH_FAKE_LOG.keyfile"; fi
  prev=$a
  script=$a
done
case $script in
  *systemd-run*) echo ${OLD}; exit 0 ;;
  *"systemctl restart docker"*) exit 0 ;;
  "cat /proc/sys/kernel/random/boot_id")
    n=$(cat "$DH_FAKE_LOOKS" 2>/dev/null || echo 0); echo $((n + 1)) > "$DH_FAKE_LOOKS"
    if [ "$n" = 0 ]; then echo "ssh: connect to host 127.0.0.1 port 22: Connection refused" >&2; exit 255; fi
    echo ${NEW}; exit 0 ;;
esac
exit 99
`,
    },
    { DH_FAKE_LOG: log, DH_FAKE_LOOKS: looks },
  );
  let engine: Awaited<ReturnType<typeof engineStandIn>>;
  let state: unknown;

  before(async () => {
    engine = await engineStandIn(p);
    const outputs = {
      dockerHost: `tcp://127.0.0.1:${String(engine.port)}`,
      caCert: p.ca,
      clientCert: p.clientCert,
      clientKey: secret(p.clientKey),
    };
    state = deployment(
      dockerHostResources("web", "127.0.0.1", { outputs }),
      dockerHostResources("parked", "127.0.0.1", {
        outputs: { ...outputs, source: "aws", power: "Stopped" },
      }),
      dockerHostResources("loose", "127.0.0.1", { outputs: { ...outputs, sshHostKey: "" } }),
    );
  });
  after(() => {
    engine.close();
  });
  beforeEach(() => {
    writeFileSync(log, "");
    writeFileSync(looks, "0");
  });

  const cli = (argv: string[]) => cliOn(state, argv, { clock: fakeClock() });

  it("restart: reboots over SSH with the pinned key (in a 0600 file, removed after), waits, prints progress", async () => {
    const r = await cli(["restart", "web"]);
    assert.equal(r.code, ExitCode.Ok, r.stderr);
    assert.equal(r.stderr, "");
    const lines = r.stdout.trimEnd().split("\n");
    assert.equal(lines[0], 'Restarting "web"...');
    assert.ok(lines.includes("web: reboot scheduled (boot 3f2a9c1e)"), r.stdout);
    assert.ok(
      lines.some((l) => l.startsWith("web: went down after")),
      r.stdout,
    );
    assert.ok(
      lines.some((l) => /^web: SSH answers after \d+ s \(boot 9c1e3f2a\)$/.test(l)),
      r.stdout,
    );
    assert.ok(
      lines.some((l) =>
        /^web: the engine answers mutual TLS after \d+ s \(Docker 27\.5\.1\)$/.test(l),
      ),
    );
    assert.match(
      lines.at(-1) ?? "",
      /^web: restarted in \d+ s; its engine answers at tcp:\/\/127\.0\.0\.1:\d+$/,
    );
    const seen = readFileSync(log, "utf8");
    assert.match(seen, /^arg BatchMode=yes$/m);
    assert.match(seen, /^arg StrictHostKeyChecking=yes$/m);
    assert.match(seen, /^keymode 600$/m);
    assert.doesNotMatch(seen, /SSH-web/, "the key itself is never an argument");
    assert.ok(
      !existsSync(readFileSync(`${log}.keyfile`, "utf8").trim()),
      "the key file is removed",
    );
  });

  it("restart --engine: systemctl restart docker, then the engine's mutual TLS", async () => {
    const r = await cli(["restart", "--engine", "web"]);
    assert.equal(r.code, ExitCode.Ok, r.stderr);
    assert.match(
      r.stdout,
      /^Restarting "web" \(the Docker service\)\.\.\.\nweb: restarting the Docker service/,
    );
    assert.match(readFileSync(log, "utf8"), /systemctl restart docker\.service/);
  });

  it("restart refuses before touching anything: a stopped host, no pinned key, an unknown name, a bad bound", async () => {
    const parked = await cli(["restart", "parked"]);
    assert.equal(parked.code, ExitCode.Failure);
    assert.match(
      parked.stderr,
      /^docker-host: parked is stopped \(the stack's power output says Stopped\): start it first: set the input power of DockerHost "parked" to Running/,
    );
    const loose = await cli(["restart", "web", "loose"]);
    assert.equal(loose.code, ExitCode.Failure);
    assert.match(loose.stderr, /DockerHost loose has no pinned SSH host key/);
    assert.equal((await cli(["restart", "web", "nope"])).code, ExitCode.Host);
    assert.equal((await cli(["restart", "web", "--timeout", "0"])).code, ExitCode.Usage);
    assert.equal(readFileSync(log, "utf8"), "", "ssh never ran");
  });

  it("stop and start through the command line: exit 1, one message per host named", async () => {
    const stop = await cli(["stop", "web", "parked"]);
    assert.equal(stop.code, ExitCode.Failure);
    assert.equal(stop.stdout, "");
    assert.match(stop.stderr, /^docker-host: cannot stop web \(source existing\): /);
    assert.match(stop.stderr, /\ndocker-host: DockerHost "parked" is already stopped/);
    const start = await cli(["start", "parked"]);
    assert.equal(start.code, ExitCode.Failure);
    assert.match(
      start.stderr,
      /to Running, then run pulumi up:\n {2}TypeScript: {2}power: PowerState\.Running,/,
    );
    assert.equal((await cli(["stop", "nope"])).code, ExitCode.Host);
  });
});
