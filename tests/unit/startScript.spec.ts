import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Step, stepScript } from "../../components/engine/scripts";

const SERVER_CERT = "-----BEGIN CERTIFICATE-----\nSERVER\n-----END CERTIFICATE-----\n";
const CLIENT_KEY = "-----BEGIN PRIVATE KEY-----\nCLIENT-KEY-BODY\n-----END PRIVATE KEY-----\n";

/**
 * Runs the start step's script for real in bash, on a stand-in machine: `systemctl` answers with `service`
 * (active, failed), `docker` records its arguments and the client key it was given, and answers `version` (or
 * nothing); DH_DIR holds the verified server certificate `verified` (none when undefined).
 */
function runStart(opts: { verified?: string; service: "active" | "failed"; version: string }) {
  const root = mkdtempSync(path.join(tmpdir(), "dh-start-"));
  const bin = path.join(root, "bin");
  const dir = path.join(root, "docker-host");
  mkdirSync(bin);
  mkdirSync(path.join(dir, "last-good"), { recursive: true });
  if (opts.verified !== undefined) {
    writeFileSync(path.join(dir, "last-good", "server.pem"), `${opts.verified}\n`);
  }
  const log = path.join(root, "docker.log");
  const fake = (name: string, body: string) => {
    writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  };
  fake(
    "systemctl",
    `case "$1 $2" in "is-active --quiet") [ ${opts.service} = active ] ;; "is-failed --quiet") [ ${opts.service} = failed ] ;; *) exit 0 ;; esac`,
  );
  fake(
    "docker",
    `printf '%s\\n' "$*" > ${log}; for a; do case "$p" in --tlskey) cat "$a" >> ${log} ;; esac; p=$a; done; [ -n "${opts.version}" ] && echo ${opts.version}`,
  );
  fake("journalctl", "echo 'dockerd: failed to load listeners'");
  const result = spawnSync("bash", ["-c", stepScript(Step.Start), "docker-host-start"], {
    encoding: "utf8",
    input: `${Buffer.from(CLIENT_KEY).toString("base64")}\n`,
    env: {
      PATH: `${bin}:${process.env.PATH ?? ""}`,
      DH_PHASE_FILE: path.join(root, "phase"),
      DH_TIMEOUT: "60",
      DH_ENGINE_PORT: "2376",
      DH_CA_CERT: "CA",
      DH_CLIENT_CERT: "CLIENT",
      DH_SERVER_CERT: SERVER_CERT,
      DH_DIR: dir,
    },
  });
  let docker = "";
  try {
    docker = readFileSync(log, "utf8");
  } catch {
    docker = "";
  }
  return { ...result, docker };
}

describe("the start step's script (bash, stand-in machine)", function () {
  this.timeout(30000);

  it("on a machine DockerHost never configured: leaves the check to the configure step", () => {
    const r = runStart({ service: "active", version: "27.5.1" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /no configuration verified by DockerHost on this machine yet/);
    assert.match(r.stdout, /^engine-version: $/m);
    assert.equal(r.docker, "", "no TLS check was tried");
  });

  it("when the server certificate changed while stopped: leaves the check to the configure step", () => {
    const r = runStart({ verified: "OLD", service: "active", version: "27.5.1" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /the server certificate changed while the machine was stopped/);
    assert.equal(r.docker, "");
  });

  it("else checks mutual TLS as configure does, with the client key from stdin, and reports the version", () => {
    const r = runStart({ verified: SERVER_CERT.trimEnd(), service: "active", version: "27.5.1" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /dockerd answers over mutual TLS on port 2376/);
    assert.match(r.stdout, /^engine-version: 27\.5\.1$/m);
    assert.match(
      r.docker,
      /^--tlsverify --tlscacert \S+\/ca\.pem --tlscert \S+\/client\.pem --tlskey \S+ -H tcp:\/\/127\.0\.0\.1:2376 version/,
    );
    assert.ok(r.docker.includes(CLIENT_KEY), "the key from stdin is the client key presented");
    assert.doesNotMatch(r.stdout + r.stderr, /CLIENT-KEY-BODY/);
  });

  it("fails with dockerd's own lines when docker.service failed after the start", () => {
    const r = runStart({ verified: SERVER_CERT, service: "failed", version: "" });
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /docker-host: error: docker.service failed to start after the machine started/,
    );
    assert.match(r.stderr, /dockerd: failed to load listeners/);
  });
});
