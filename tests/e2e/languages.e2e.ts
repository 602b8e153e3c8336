import { Stack } from "@pulumi/pulumi/automation";
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { destroyAndCheckCleanup, upAndCheckEngine } from "./helpers/languageRun";
import { installPythonSdk, pythonVenv, schemaFromCli } from "./helpers/languages";
import { REPO, Sandbox, sandboxDown, sandboxUp } from "./helpers/sandbox";
import { exampleStack, timed } from "./helpers/stack";

// DockerHost from other Pulumi languages through the fallback path (the executable plugin
// bin/pulumi-resource-docker-host running the build, and examples/python/sdkgen), for Pulumi installations that
// cannot run source plugins; Pulumi's own path is tests/e2e/package.e2e.ts. The real Pulumi CLI serves its schema, a Pulumi YAML program and a Python
// program (with the SDK generated from that schema) each provision the sandbox host with the real engine, and
// the real docker CLI reaches the engine over mutual TLS with only the stack's outputs.
describe("DockerHost from YAML and Python (end to end)", function () {
  const sandboxName = `dhlang${String(process.pid % 1000)}`;
  let sb: Sandbox;
  const stacks: Stack[] = [];
  let served: string | undefined;
  const schema = () => (served ??= schemaFromCli());

  before(function () {
    sb = sandboxUp(sandboxName);
  });

  after(async function () {
    try {
      for (const stack of stacks) {
        await stack.destroy({ color: "never" }).catch(() => undefined);
        await stack.workspace.removeStack(stack.name, { force: true });
      }
    } finally {
      sandboxDown(sandboxName);
    }
  });

  /** up, check the engine over TLS with the outputs alone, check the label reached the engine, destroy. */
  async function provisionAndCheck(stack: Stack, language: string): Promise<void> {
    await upAndCheckEngine(stack, sb, language);
    // cleanupOnDelete: the next program adopts a host without our configuration.
    await destroyAndCheckCleanup(stack, sb, language);
  }

  it("pulumi package get-schema serves exactly the reviewed snapshot", async () => {
    const text = await timed("pulumi package get-schema", () => Promise.resolve(schema()));
    const snapshot = readFileSync(
      path.join(REPO, "tests", "unit", "snapshots", "docker-host.schema.json"),
      "utf8",
    );
    assert.deepEqual(JSON.parse(text), JSON.parse(snapshot));
  });

  it("a bad input in YAML: the engine names the property (InputPropertyError) and no resource is created", async () => {
    const stack = await exampleStack("yaml", "lang-yaml-bad-input");
    stacks.push(stack);
    const privateKey =
      "-----BEGIN OPENSSH PRIVATE KEY-----\nnot-shown-anywhere\n-----END OPENSSH PRIVATE KEY-----";
    await stack.setAllConfig({
      host: { value: "203.0.113.10" },
      sshPort: { value: "70000" },
      privateKey: { value: privateKey, secret: true },
      hostKey: {
        value: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA3jGdR1Q1nQ4Q5f2Qm3bQ5cX5m5aV2n1qk7w8u9y0zA",
      },
    });
    const failed = await timed("pulumi up (bad input)", () =>
      stack.up({ color: "never" }).then(
        () => assert.fail("the update must fail"),
        (e: unknown) => String(e),
      ),
    );
    assert.match(failed, /property existing\.port/);
    assert.match(
      failed,
      /DockerHost "web": existing\.port must be an integer from 1 to 65535, got 70000/,
    );
    assert.doesNotMatch(failed, /not-shown-anywhere/);
    const exported = await stack.exportStack();
    const created = ((exported.deployment as { resources?: { type: string }[] }).resources ?? [])
      .map((r) => r.type)
      .filter((t) => t !== "pulumi:pulumi:Stack" && !t.startsWith("pulumi:providers:"));
    assert.deepEqual(created, [], "no resource of DockerHost's");
  });

  it("examples/yaml: a Pulumi YAML program provisions the host", async () => {
    const stack = await exampleStack("yaml", "lang-yaml");
    stacks.push(stack);
    await provisionAndCheck(stack, "yaml");
  });

  it("examples/python: a Python program with the generated SDK provisions the host", async () => {
    const venv = await timed("python virtualenv with pulumi from PyPI", () =>
      Promise.resolve(pythonVenv()),
    );
    await timed("python SDK: generate and install", () =>
      Promise.resolve(installPythonSdk(venv, schema())),
    );
    const stack = await exampleStack("python", "lang-python");
    stacks.push(stack);
    // The sdk 3.68 Python language host built offline ignores Pulumi.yaml's virtualenv option; it runs the
    // interpreter named by PULUMI_PYTHON_CMD.
    stack.workspace.envVars.PULUMI_PYTHON_CMD = path.join(venv, "bin", "python");
    await provisionAndCheck(stack, "python");
  });
});
