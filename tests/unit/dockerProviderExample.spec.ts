import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { fakeKey, installMocks, isSecretValue, registered, settle, valueOf } from "./helpers/mocks";

// The @pulumi/docker provider plugin cannot be built on machines whose Go module proxy refuses
// github.com/pulumi/pulumi-docker (as ours: "403 This module version is not available"), so the chaining example
// is type-checked and run under mocks here instead of end to end.
const ROOT = path.join(__dirname, "..", "..");
const EXAMPLE = path.join(ROOT, "examples", "docker-provider");

describe("examples/docker-provider: a DockerHost chained into @pulumi/docker", function () {
  this.timeout(120000);

  it("type-checks with the repository's compiler options", () => {
    const config = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), (f) => ts.sys.readFile(f));
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
    const program = ts.createProgram([path.join(EXAMPLE, "index.ts")], parsed.options);
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    assert.deepEqual(diagnostics, []);
  });

  it("has its own Pulumi.yaml, so it runs as a project of its own", () => {
    const project = readFileSync(path.join(EXAMPLE, "Pulumi.yaml"), "utf8");
    assert.match(project, /^runtime: nodejs$/m);
    assert.match(project, /^main: index\.ts$/m);
  });

  describe("under mocks", () => {
    let outputs: Record<string, pulumi.Output<unknown>>;
    /** The provider reference each resource was registered with ("TYPE NAME" -> "URN::ID"). */
    const providerOf = new Map<string, string>();
    const mine = () =>
      registered.filter(
        (r) => ["web", "web-engine", "nginx"].includes(r.name) || r.name.startsWith("web-"),
      );

    before(async () => {
      await installMocks();
      // The shared mocks keep no provider references: wrap them to see which provider each resource uses.
      const monitor = pulumi.runtime.getMonitor() as unknown as { mocks: pulumi.runtime.Mocks };
      const inner = monitor.mocks;
      monitor.mocks = {
        newResource: (args) => {
          if (args.provider !== undefined && args.provider !== "")
            providerOf.set(`${args.type} ${args.name}`, args.provider);
          return inner.newResource(args);
        },
        call: (args) => inner.call(args),
      };
      const keyFile = path.join(mkdtempSync(path.join(tmpdir(), "dh-chain-")), "id");
      writeFileSync(keyFile, fakeKey("chain-ssh"), { mode: 0o600 });
      pulumi.runtime.setConfig("project:host", "203.0.113.10");
      pulumi.runtime.setConfig("project:privateKeyPath", keyFile);
      pulumi.runtime.setConfig(
        "project:hostKey",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockHostKey",
      );
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program runs at load, like `pulumi up`.
      outputs = require(path.join(EXAMPLE, "index.ts")) as Record<string, pulumi.Output<unknown>>;
      await valueOf(outputs.containerName as pulumi.Output<unknown>);
      await settle();
    });

    it("maps the DockerHost's outputs one to one onto the provider: host, caMaterial, certMaterial, keyMaterial", async () => {
      const provider = mine().find((r) => r.type === "pulumi:providers:docker");
      assert.ok(provider, "a docker provider is registered");
      assert.equal(provider.name, "web-engine");
      const host = mine().find(
        (r) => r.type === "docker-host:index:DockerHost" && r.name === "web",
      );
      assert.ok(host, "the DockerHost is registered");
      assert.equal(provider.inputs.host, "tcp://203.0.113.10:2376");
      assert.equal(
        provider.inputs.host,
        await valueOf(outputs.dockerHost as pulumi.Output<unknown>),
      );
      const tlsOf = (name: string) => mine().find((r) => r.name === name);
      assert.ok(tlsOf("web-ca") && tlsOf("web-client-cert") && tlsOf("web-client-key"));
      assert.match(String(provider.inputs.caMaterial), /BEGIN CERTIFICATE/);
      assert.match(String(provider.inputs.certMaterial), /BEGIN CERTIFICATE/);
      const key = provider.inputs.keyMaterial;
      assert.ok(isSecretValue(key), "the client key reaches the provider as a secret");
      assert.match(JSON.stringify(key), /SECRET-BODY-web-client-key/);
    });

    it("runs the image and the container through that provider, not the default one", () => {
      const image = registered.find((r) => r.type === "docker:index/remoteImage:RemoteImage");
      const container = registered.find((r) => r.type === "docker:index/container:Container");
      assert.ok(image && container);
      assert.equal(image.inputs.name, "nginx:1.27-alpine");
      assert.equal(container.inputs.name, "web");
      assert.deepEqual(container.inputs.ports, [{ internal: 80, external: 8080 }]);
      for (const r of [image, container])
        assert.match(
          providerOf.get(`${r.type} ${r.name}`) ?? "",
          /::pulumi:providers:docker::web-engine::/,
        );
    });
  });
});
