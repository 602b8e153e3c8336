import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { DockerHost, DockerHostArgs, DockerSwarm, FirewallKind } from "../../components";
import { hostFirewall } from "../../components/machines/firewall";
import {
  CLOUD_SOURCE_NAMES,
  firewallOfKind,
  SOURCE_NAMES,
} from "../../components/machines/registry";
import { sourceSchema } from "../../build/schema";

const ROOT = path.join(__dirname, "..", "..");
const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n";

/** The error `make` throws (it must throw). */
function thrown(make: () => unknown): unknown {
  try {
    make();
  } catch (e) {
    return e;
  }
  assert.fail("expected an error");
}

// The machine-source seam (components/machines/registry.ts): where a machine comes from is one room.
describe("machine sources (one registry, one seam)", function () {
  this.timeout(60000);

  it("no file of components/ outside machines/ names a cloud, except the args the schema needs", () => {
    // The args files are the schema's: their TSDoc (every SDK's documentation) names the clouds inputs apply to.
    const named = execFileSync(
      "grep",
      [
        "-rilE",
        CLOUD_SOURCE_NAMES.map((c) => `\\b${c}\\b`).join("|"),
        "--include=*.ts",
        "--include=*.sh",
        "components",
      ],
      { cwd: ROOT, encoding: "utf8" },
    )
      .split("\n")
      .filter((f) => f !== "" && !f.startsWith("components/machines/"));
    assert.deepEqual(named.sort(), ["components/args.ts", "components/swarm/args.ts"]);
  });

  it("lists every machine input of the schema, and only those, as a source", () => {
    const schema = sourceSchema() as {
      resources: Record<string, { inputProperties: Record<string, unknown> }>;
    };
    const inputs = Object.keys(
      schema.resources["docker-host:index:DockerHost"]?.inputProperties ?? {},
    );
    const machineInputs = inputs.filter((i) => SOURCE_NAMES.includes(i as never));
    assert.deepEqual([...machineInputs].sort(), [...SOURCE_NAMES].sort());
    // Every source but `existing` creates its machine in a cloud.
    assert.deepEqual(
      CLOUD_SOURCE_NAMES,
      SOURCE_NAMES.filter((s) => s !== "existing"),
    );
    assert.ok(CLOUD_SOURCE_NAMES.includes("aws"));
  });

  it("gives each firewall kind one source, whose ids are fields of the firewall output", () => {
    const outputFields = Object.keys(hostFirewall(undefined)).filter((k) => k !== "kind");
    for (const kind of Object.values(FirewallKind)) {
      const firewall = firewallOfKind(kind);
      if (kind === FirewallKind.None) {
        assert.equal(firewall, undefined);
        continue;
      }
      assert.ok(firewall !== undefined, `a source has the ${kind} firewall`);
      assert.ok(firewall.ids.length > 0);
      for (const id of firewall.ids) assert.ok(outputFields.includes(id), id);
    }
  });
});

// Input errors are Pulumi's InputPropertyError: every language and the engine show which property is wrong.
describe("input errors name the property (InputPropertyError)", () => {
  const host = (args: Partial<DockerHostArgs>) => () =>
    new DockerHost("web", { existing: { host: "203.0.113.10", privateKey: KEY }, ...args });

  it("DockerHost: the path of the input, the message as before", () => {
    const cases: [() => unknown, string, RegExp][] = [
      [host({ engine: { port: 70000 } }), "engine.port", /engine\.port must be an integer/],
      [
        host({ existing: { host: "bad host", privateKey: KEY } }),
        "existing.host",
        /^DockerHost "web": existing\.host must be an IP address or DNS name/,
      ],
      [
        host({ existing: { host: "h", privateKey: KEY, user: "no spaces" } }),
        "existing.user",
        /existing\.user must be a user name/,
      ],
      [
        host({ existing: { host: "h", privateKey: KEY, cleanupOnDelete: "yes" as never } }),
        "existing.cleanupOnDelete",
        /existing\.cleanupOnDelete must be true or false, got "yes"/,
      ],
      [
        host({ engine: { liveRestore: "no" as never } }),
        "engine.liveRestore",
        /engine\.liveRestore must be true or false, got "no"/,
      ],
      [
        () =>
          new DockerHost("web", {
            aws: { instanceType: "BIG" },
            allowedCidrs: ["198.51.100.0/24"],
          }),
        "aws.instanceType",
        /aws\.instanceType must be an instance type/,
      ],
      [host({ timeouts: { wait: 5 } }), "timeouts.wait", /timeouts\.wait must be a whole number/],
    ];
    for (const [make, propertyPath, message] of cases) {
      const e = thrown(make);
      assert.ok(pulumi.InputPropertyError.isInstance(e), `${propertyPath}: ${String(e)}`);
      assert.equal(e.propertyPath, propertyPath);
      assert.match(e.message, message);
      assert.match(e.message, /^DockerHost "web": /);
    }
  });

  it("DockerSwarm: its own paths (managers[i]..., labels.HOST), not DockerHost's", () => {
    const node = {
      name: "a",
      dockerHost: "tcp://h:2376",
      address: "h",
      sshUser: "root",
      sshPrivateKey: KEY,
    };
    const e = thrown(() => new DockerSwarm("s", { managers: [{ ...node, sshPort: 0 }] }));
    assert.ok(pulumi.InputPropertyError.isInstance(e));
    assert.equal(e.propertyPath, "managers[0].sshPort");
    assert.match(
      e.message,
      /^DockerSwarm "s": managers\[0\]\.sshPort must be an integer from 1 to 65535/,
    );
    const labels = thrown(
      () => new DockerSwarm("s", { managers: [node], labels: { a: { "docker-host.x": "1" } } }),
    );
    assert.ok(pulumi.InputPropertyError.isInstance(labels));
    assert.equal(labels.propertyPath, "labels.a");
  });

  it("a secret input's error is no InputPropertyError (the engine would print the value) and hides it", () => {
    const secret = "not a key but a secret";
    const e = thrown(() => new DockerHost("web", { existing: { host: "h", privateKey: secret } }));
    assert.ok(e instanceof Error);
    assert.equal(pulumi.InputPropertyError.isInstance(e), false);
    assert.match(
      e.message,
      /existing\.privateKey must be a PEM or OpenSSH private key \(the value is not shown\)/,
    );
    assert.doesNotMatch(e.message, /secret/);
  });
});
