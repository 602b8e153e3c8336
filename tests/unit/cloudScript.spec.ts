import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { CLOUD_SOURCE_NAMES } from "../../components/machines/registry";

// scripts/test-cloud.sh cannot reach a cloud here: it runs against stand-ins for pulumi, curl and docker that
// record what they were asked, so the flow (skip, up, TLS check, destroy even after a failure) is checked.
const SCRIPT = path.join(__dirname, "..", "..", "scripts", "test-cloud.sh");
/** Every cloud source has its example and its run in the script. */
const CLOUDS = CLOUD_SOURCE_NAMES.length;

const PULUMI = `#!/usr/bin/env bash
echo "pulumi $*" >>"$FAKE_LOG"
case "$*" in
  "up "*) exit "\${FAKE_UP_RC:-0}" ;;
  "stack output dockerHost") echo "tcp://203.0.113.30:2376" ;;
  "stack output caCert") echo "CA" ;;
  "stack output clientCert") echo "CERT" ;;
  "stack output --show-secrets clientKey") echo "KEY" ;;
esac
`;
const CURL = `#!/usr/bin/env bash
echo "curl $*" >>"$FAKE_LOG"
case "$*" in
  *checkip*) echo "198.51.100.7" ;;
  *--cert*) echo '{"Version":"27.5.1"}' ;;
  *) exit 35 ;;
esac
`;
const DOCKER = `#!/usr/bin/env bash
echo "docker $* DOCKER_HOST=$DOCKER_HOST DOCKER_TLS_VERIFY=$DOCKER_TLS_VERIFY certs=$(cat "$DOCKER_CERT_PATH/key.pem")" >>"$FAKE_LOG"
`;

describe("test:cloud script (stand-ins for pulumi, curl, docker)", function () {
  this.timeout(30000);
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "test-cloud-"));
    for (const [name, text] of [
      ["pulumi", PULUMI],
      ["curl", CURL],
      ["docker", DOCKER],
    ] as const) {
      writeFileSync(path.join(dir, name), text);
      chmodSync(path.join(dir, name), 0o755);
    }
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function run(env: Record<string, string>, ...clouds: string[]) {
    const log = path.join(dir, "log");
    writeFileSync(log, "");
    const result = spawnSync("bash", [SCRIPT, ...clouds], {
      encoding: "utf8",
      env: {
        PATH: `${dir}:${process.env.PATH ?? ""}`,
        HOME: dir,
        TMPDIR: dir,
        FAKE_LOG: log,
        ...env,
      },
    });
    const calls = readFileSync(log, "utf8").trim().split("\n").filter(Boolean);
    return { ...result, calls, last: result.stdout.trim().split("\n").pop() };
  }

  it("knows every cloud source, in the registry's order", () => {
    const line = /^CLOUDS=\((.*)\)$/m.exec(readFileSync(SCRIPT, "utf8"))?.[1];
    assert.deepEqual(line?.split(" "), CLOUD_SOURCE_NAMES);
  });

  it("skips every cloud without credentials, naming the variables, and touches nothing", () => {
    const r = run({});
    assert.equal(r.status, 0, r.stderr);
    for (const cloud of CLOUD_SOURCE_NAMES) {
      assert.match(r.stdout, new RegExp(`^${cloud}: skipped: set [A-Z]`, "m"), cloud);
    }
    assert.match(
      r.stdout,
      /^aws: skipped: set AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY \(or AWS_PROFILE/m,
    );
    assert.match(r.stdout, /^digitalocean: skipped: set DIGITALOCEAN_TOKEN$/m);
    assert.match(
      r.stdout,
      /^azure: skipped: set ARM_CLIENT_ID ARM_CLIENT_SECRET ARM_TENANT_ID ARM_SUBSCRIPTION_ID/m,
    );
    assert.match(
      r.stdout,
      /^gcp: skipped: set GOOGLE_CREDENTIALS \(or GOOGLE_APPLICATION_CREDENTIALS\) GOOGLE_PROJECT$/m,
    );
    assert.match(r.stdout, /^hetzner: skipped: set HCLOUD_TOKEN$/m);
    assert.equal(r.last, `test:cloud: 0 passed, 0 failed, ${String(CLOUDS)} skipped`);
    assert.deepEqual(r.calls, []);
  });

  it("runs up, docker over TLS, a no-change preview and destroy for a cloud with credentials", () => {
    const r = run({ DIGITALOCEAN_TOKEN: "t", AWS_ACCESS_KEY_ID: "only-half" });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^aws: skipped: set AWS_SECRET_ACCESS_KEY/m);
    const pulumi = r.calls
      .filter((c) => c.startsWith("pulumi "))
      .map((c) => c.split(" ").slice(1, 4).join(" "));
    assert.match(pulumi[0] ?? "", /^stack init ci-\d{8}-\d+-digitalocean$/);
    assert.deepEqual(pulumi.slice(1), [
      "config set --path",
      "config set name",
      "config set region",
      "up --yes --skip-preview",
      "stack output caCert",
      "stack output clientCert",
      "stack output --show-secrets",
      "stack output dockerHost",
      "preview --expect-no-changes --non-interactive",
      "destroy --yes --skip-preview",
      "stack rm --yes",
    ]);
    assert.ok(r.calls.includes("pulumi config set --path allowedCidrs[0] 198.51.100.7/32"));
    assert.ok(
      r.calls.includes(
        "docker version DOCKER_HOST=tcp://203.0.113.30:2376 DOCKER_TLS_VERIFY=1 certs=KEY",
      ),
    );
    assert.ok(
      r.calls.some((c) => /^curl .*--cacert \S+ https:\/\/203\.0\.113\.30:2376\/version$/.test(c)),
    );
    assert.equal(r.last, `test:cloud: 1 passed, 0 failed, ${String(CLOUDS - 1)} skipped`);
  });

  it("destroys after a failed up and reports the failure", () => {
    const r = run(
      { DIGITALOCEAN_TOKEN: "t", FAKE_UP_RC: "1", TEST_CLOUD_ALLOWED_CIDR: "203.0.113.0/24" },
      "digitalocean",
    );
    assert.equal(r.status, 1);
    assert.ok(r.calls.some((c) => c.startsWith("pulumi destroy --yes")));
    assert.ok(!r.calls.some((c) => c.startsWith("curl") || c.startsWith("docker")));
    assert.match(r.stdout, /^digitalocean +FAILED \(exit 1\), destroyed$/m);
    assert.equal(r.last, "test:cloud: 0 passed, 1 failed, 0 skipped");
  });
});
