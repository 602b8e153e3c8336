import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { installCloudMocks } from "./helpers/cloud";
import { registered, settle, valueOf } from "./helpers/mocks";

const ROOT = path.join(__dirname, "..", "..");
/** Each cloud's example: its folder, its host's name, its login user, its private IP (empty without a network). */
const EXAMPLES: { dir: string; host: string; user: string; privateIp: RegExp }[] = [
  { dir: "aws", host: "docker-aws", user: "ubuntu", privateIp: /^172\./ },
  { dir: "digitalocean", host: "docker-do", user: "root", privateIp: /^10\./ },
  { dir: "azure", host: "docker-azure", user: "dockerhost", privateIp: /^10\./ },
  { dir: "gcp", host: "docker-gcp", user: "dockerhost", privateIp: /^10\./ },
  { dir: "hetzner", host: "docker-hetzner", user: "root", privateIp: /^$/ },
];
const ALLOWED = ["198.51.100.0/24"];

describe("cloud examples", function () {
  this.timeout(120000);

  it("type-check with the repository's compiler options", () => {
    const config = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), (f) => ts.sys.readFile(f));
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
    const files = EXAMPLES.map((e) => path.join(ROOT, "examples", e.dir, "index.ts"));
    const program = ts.createProgram(files, parsed.options);
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    assert.deepEqual(diagnostics, []);
  });

  describe("run under mocks", () => {
    before(async () => {
      await installCloudMocks();
      // Under mocks the project is "project": the examples read `project:allowedCidrs`.
      pulumi.runtime.setConfig("project:allowedCidrs", JSON.stringify(ALLOWED));
    });

    for (const { dir, host, user, privateIp } of EXAMPLES) {
      it(`examples/${dir}: has its own Pulumi.yaml and exports the host's outputs`, async () => {
        const project = readFileSync(path.join(ROOT, "examples", dir, "Pulumi.yaml"), "utf8");
        assert.match(project, /^runtime: nodejs$/m);
        assert.match(project, /^main: index\.ts$/m);
        assert.match(project, new RegExp(`^name: docker-host-${dir}$`, "m"));

        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program runs at load, like `pulumi up`.
        const outputs = require(path.join(ROOT, "examples", dir, "index.ts")) as Record<
          string,
          pulumi.Output<unknown>
        >;
        const value = async (key: string) => {
          const output = outputs[key];
          assert.ok(output, `the example exports ${key}`);
          return valueOf(output);
        };
        assert.match(String(await value("dockerHost")), /^tcp:\/\/203\.0\.113\.\d+:2376$/);
        assert.equal(await value("address"), await value("publicIp"));
        assert.match(String(await value("privateIp")), privateIp);
        assert.equal(await value("engineVersion"), "27.5.1");
        assert.match(String(await value("caCert")), /BEGIN CERTIFICATE/);
        assert.equal(await value("sshUser"), user);
        assert.equal(await pulumi.isSecret(outputs.clientKey as pulumi.Output<unknown>), true);
        assert.equal(await pulumi.isSecret(outputs.sshPrivateKey as pulumi.Output<unknown>), true);
        await settle();

        // A reviewer of the preview: every resource is named after the host, nothing admits the world.
        const mine = registered.filter((r) => r.name === host || r.name.startsWith(`${host}-`));
        assert.ok(mine.length > 15, `${dir} registered its resources`);
        assert.equal(
          new Set(mine.map((r) => `${r.type} ${r.name}`)).size,
          mine.length,
          "unique names",
        );
        const inbound = mine.flatMap((r) => {
          if (r.type.includes("SecurityGroupIngressRule")) return [r.inputs];
          if (r.type === "digitalocean:index/firewall:Firewall") return [r.inputs.inboundRules];
          if (r.type === "azure-native:network:SecurityRule") return [r.inputs];
          if (r.type === "hcloud:index/firewall:Firewall") return [r.inputs.rules];
          // GCE: the allow rules (the deny rules shut SSH and the engine port to everyone else).
          if (r.type === "gcp:compute/firewall:Firewall" && r.inputs.allows !== undefined)
            return [r.inputs];
          return [];
        });
        const rules = JSON.stringify(inbound);
        assert.ok(
          rules.includes(`"${ALLOWED[0] ?? ""}"`),
          `${dir}: the allowed range is in the inbound rules`,
        );
        for (const world of ["0.0.0.0/0", "::/0", "Internet"]) {
          assert.ok(!rules.includes(world), `${dir}: no inbound rule admits ${world}`);
        }
      });
    }
  });
});
