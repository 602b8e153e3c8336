import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as fc from "fast-check";
import { dockerHostUrl, listenAddress, serverSans } from "../../components/addresses";
import { parseAdoptedDaemonJson, renderDaemonJson } from "../../components/engine/daemonJson";
import { renderDropIn } from "../../components/engine/dropIn";
import { renderStep, renderStepCommand, Step, stepScript } from "../../components/engine/scripts";
import { configureStdin, parseEngineVersion } from "../../components/engine/steps";

const settings = {
  tcpListener: "tcp://0.0.0.0:2376",
  labels: { team: "web", env: "prod" },
  registryMirrors: [],
  insecureRegistries: [],
  logDriver: "local",
  logOpts: {},
  liveRestore: true,
  extra: {},
  adopted: {},
};

describe("daemon.json rendering", () => {
  it("writes the listeners and TLS keys, live-restore and sorted labels", () => {
    assert.deepEqual(JSON.parse(renderDaemonJson(settings)), {
      "live-restore": true,
      "log-driver": "local",
      labels: ["env=prod", "team=web"],
      hosts: ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"],
      tls: true,
      tlsverify: true,
      tlscacert: "/etc/docker/docker-host/ca.pem",
      tlscert: "/etc/docker/docker-host/server.pem",
      tlskey: "/etc/docker/docker-host/server-key.pem",
    });
  });

  it("keeps adopted keys, lets inputs win over them, and never lets anything override TLS", () => {
    const out = JSON.parse(
      renderDaemonJson({
        ...settings,
        adopted: { "storage-driver": "btrfs", "log-driver": "syslog", debug: true },
        extra: { "default-ulimits": { nofile: { Name: "nofile", Soft: 1024, Hard: 2048 } } },
        registryMirrors: ["https://mirror.example.com"],
      }),
    ) as Record<string, unknown>;
    assert.equal(out["storage-driver"], "btrfs");
    assert.equal(out["log-driver"], "local");
    assert.equal(out.debug, true);
    assert.deepEqual(out["registry-mirrors"], ["https://mirror.example.com"]);
    assert.ok(out["default-ulimits"]);
    assert.equal(out.tlsverify, true);
  });

  it("adds rotation to json-file logs when no options are given", () => {
    const out = JSON.parse(renderDaemonJson({ ...settings, logDriver: "json-file" })) as Record<
      string,
      unknown
    >;
    assert.deepEqual(out["log-opts"], { "max-file": "3", "max-size": "10m" });
  });

  it("is byte-identical for the same settings in any key order (no spurious diffs)", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9.-]{0,8}[a-z0-9]$/), fc.string()),
        (labels) => {
          const reversed = Object.fromEntries(Object.entries(labels).reverse());
          assert.equal(
            renderDaemonJson({ ...settings, labels }),
            renderDaemonJson({ ...settings, labels: reversed }),
          );
        },
      ),
    );
  });

  it("reads the adopted daemon.json, dropping our own keys, and names a broken one", () => {
    const b64 = Buffer.from('{"debug": true, "hosts": ["fd://"], "tlscert": "/x"}').toString(
      "base64",
    );
    assert.deepEqual(parseAdoptedDaemonJson(b64), { debug: true });
    assert.deepEqual(parseAdoptedDaemonJson(""), {});
    assert.throws(
      () => parseAdoptedDaemonJson(Buffer.from("{oops").toString("base64")),
      /daemon\.json is not valid JSON/,
    );
  });
});

describe("systemd drop-in rendering", () => {
  it("clears ExecStart and quotes the environment the way systemd reads it", () => {
    assert.equal(
      renderDropIn({ NO_PROXY: "localhost,10.0.0.0/8", HTTP_PROXY: 'http://u:p%"x@proxy:3128' }),
      [
        "# Written by DockerHost. Listeners and TLS are in /etc/docker/daemon.json.",
        "[Service]",
        "ExecStart=",
        "ExecStart=@DOCKERD_COMMAND@",
        'Environment="HTTP_PROXY=http://u:p%%\\"x@proxy:3128"',
        'Environment="NO_PROXY=localhost,10.0.0.0/8"',
      ].join("\n"),
    );
  });
});

describe("addresses and SANs", () => {
  it("always includes localhost and 127.0.0.1, splits IPs from names, sorts and dedupes", () => {
    assert.deepEqual(
      serverSans(["203.0.113.10", "Host.Example.com.", "203.0.113.10"], ["[2001:db8::1]"]),
      {
        ipAddresses: ["127.0.0.1", "2001:db8::1", "203.0.113.10"],
        dnsNames: ["host.example.com", "localhost"],
      },
    );
  });

  it("puts every generated IPv4 and IPv6 address into ipAddresses, never into dnsNames", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.ipV4(), fc.ipV6()), { maxLength: 6 }), (ips) => {
        const sans = serverSans(ips);
        for (const ip of ips) assert.ok(sans.ipAddresses.includes(ip));
        assert.deepEqual(sans.dnsNames, ["localhost"]);
        assert.deepEqual([...sans.ipAddresses].sort(), sans.ipAddresses);
      }),
    );
  });

  it("brackets IPv6 in DOCKER_HOST and listens dual-stack for it", () => {
    assert.equal(dockerHostUrl("203.0.113.10", 2376), "tcp://203.0.113.10:2376");
    assert.equal(dockerHostUrl("2001:db8::10", 2376), "tcp://[2001:db8::10]:2376");
    assert.equal(dockerHostUrl("docker.example.com", 12376), "tcp://docker.example.com:12376");
    assert.equal(listenAddress("2001:db8::10", 2376), "tcp://[::]:2376");
    assert.equal(listenAddress("203.0.113.10", 2376), "tcp://0.0.0.0:2376");
  });
});

describe("step commands", () => {
  // A stand-in `bash` first on PATH reports what the rendered command hands it (and what is left on its stdin), so
  // the quoting and the framing are proven by a real POSIX shell (/bin/sh: dash on Debian), not by string
  // comparison.
  interface Seen {
    args: string[];
    env: Record<string, string>;
    rest: string;
  }
  function runWithFakeBash(command: string, stdin = ""): Seen {
    const dir = mkdtempSync(path.join(tmpdir(), "dh-fakebash-"));
    const fake = path.join(dir, "bash");
    writeFileSync(
      fake,
      `#!${process.execPath}\nconst env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("DH_")));\nconst rest = require("node:fs").readFileSync(0, "utf8");\nprocess.stdout.write(JSON.stringify({ args: process.argv.slice(2), env, rest }));\n`,
    );
    chmodSync(fake, 0o755);
    const out = execFileSync("/bin/sh", ["-c", command], {
      env: { PATH: `${dir}:/usr/bin:/bin`, HOME: dir },
      encoding: "utf8",
      input: stdin,
    });
    return JSON.parse(out) as Seen;
  }

  it("hands every parameter and the script to bash intact, and leaves the rest of stdin to the script", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme-ascii" }), fc.string(), fc.string(), (a, b, rest) => {
        const clean = (s: string) => s.replace(/\0/g, "");
        const step = renderStep(Step.Configure, { DH_A: clean(a), DH_B: clean(b) });
        const seen = runWithFakeBash(step.command, step.stdin + rest);
        assert.equal(seen.env.DH_A, clean(a));
        assert.equal(seen.env.DH_B, clean(b));
        assert.equal(seen.args[0], "-c");
        assert.equal(seen.args[1], stepScript(Step.Configure).replace(/\n+$/, ""));
        assert.equal(seen.args[2], "docker-host-configure");
        assert.equal(seen.rest, rest, "the script's own reads start right after it");
      }),
      { numRuns: 25 },
    );
  });

  it("keeps the script out of the command text, names it by digest, and refuses a cut-short script", () => {
    const step = renderStep(Step.Install, { DH_ENGINE_VERSION: "27.5.1" });
    assert.ok(step.command.length < 1000, `command text of ${String(step.command.length)} chars`);
    assert.doesNotMatch(step.command, /apt-get/);
    assert.match(
      step.command,
      /^# script: docker-host install, sha256 [0-9a-f]{16}\.\.\., sent on stdin$/m,
    );
    const other = renderStep(Step.Configure, { DH_ENGINE_VERSION: "27.5.1" });
    assert.notEqual(
      /sha256 (\w+)/.exec(step.command)?.[1],
      /sha256 (\w+)/.exec(other.command)?.[1],
    );
    assert.throws(
      () => runWithFakeBash(step.command, step.stdin.slice(0, -10)),
      /the install script did not arrive whole on stdin/,
    );
  });

  it("keeps the inline form for delete commands, which get the create's stdin", () => {
    const seen = runWithFakeBash(renderStepCommand(Step.Cleanup, { DH_X: "it's" }), "unrelated");
    assert.equal(seen.args[1], stepScript(Step.Cleanup));
    assert.equal(seen.env.DH_X, "it's");
  });

  it("starts with readable summary lines and rejects parameter names outside DH_*", () => {
    const text = renderStep(Step.Install, { DH_ENGINE_VERSION: "27.5.1" }, [
      "Docker Engine 27.5.1",
    ]).command;
    assert.match(
      text,
      /^# docker-host install:\n# {3}Docker Engine 27\.5\.1\n# script: [^\n]+\nDH_ENGINE_VERSION=27\.5\.1\n/,
    );
    assert.throws(() => renderStep(Step.Install, { PATH: "/tmp" }), /bad step parameter name PATH/);
  });

  it("sends secrets as base64 lines on stdin and reads the engine version back", () => {
    const stdin = configureStdin("KEY-A\n", "KEY-B\n");
    assert.deepEqual(
      stdin
        .split("\n")
        .slice(0, 2)
        .map((l) => Buffer.from(l, "base64").toString()),
      ["KEY-A\n", "KEY-B\n"],
    );
    assert.equal(
      parseEngineVersion("docker-host: x\nengine-version: 20.10.24+dfsg1\n"),
      "20.10.24+dfsg1",
    );
    assert.equal(parseEngineVersion("nothing"), "");
  });
});
