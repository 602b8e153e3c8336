import { Stack } from "@pulumi/pulumi/automation";
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { docker, writeBundle } from "./docker";
import { Sandbox, ssh } from "./sandbox";
import { timed } from "./stack";

// What every language's program is held to on a sandbox host, whether it runs from the repository (the examples)
// or from the packed tarball in a user's project: the same outputs, the same engine over mutual TLS, the same
// cleanup on destroy.

/**
 * Configures the program for the sandbox, runs `pulumi up`, and checks the engine over mutual TLS with the stack's
 * outputs alone: the address, the version it reports (the `engineVersion` output) and the program's own label.
 * Returns the outputs as strings.
 */
export async function upAndCheckEngine(
  stack: Stack,
  sb: Sandbox,
  language: string,
): Promise<Record<string, string>> {
  await stack.setAllConfig({
    host: { value: sb.host },
    hostKey: { value: sb.hostKey },
    privateKey: { value: readFileSync(sb.privateKeyPath, "utf8"), secret: true },
  });
  const up = await timed(`${language}: pulumi up`, () =>
    stack.up({ onOutput: (s) => process.stdout.write(s), color: "never" }),
  );
  assert.equal(up.summary.result, "succeeded");
  const out = Object.fromEntries(
    Object.entries(await stack.outputs()).map(([k, v]) => [k, String(v.value)]),
  );
  assert.equal(out.dockerHost, `tcp://${sb.host}:2376`);
  const bundle = writeBundle(out.caCert ?? "", out.clientCert ?? "", out.clientKey ?? "");
  const version = docker(out.dockerHost, bundle, ["version", "--format", "{{.Server.Version}}"]);
  assert.equal(version, out.engineVersion);
  assert.match(
    docker(out.dockerHost, bundle, ["info", "--format", "{{json .Labels}}"]),
    new RegExp(`"language=${language}"`),
  );
  return out;
}

/** `pulumi destroy`; with cleanupOnDelete the host keeps none of DockerHost's configuration (daemon.json gone). */
export async function destroyAndCheckCleanup(
  stack: Stack,
  sb: Sandbox,
  language: string,
): Promise<void> {
  const destroyed = await timed(`${language}: pulumi destroy`, () =>
    stack.destroy({ color: "never" }),
  );
  assert.equal(destroyed.summary.result, "succeeded");
  assert.match(ssh(sb, "test -e /etc/docker/daemon.json && echo present || echo gone"), /gone/);
}
