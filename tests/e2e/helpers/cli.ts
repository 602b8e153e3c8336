import { ConfigMap, Stack, UpResult } from "@pulumi/pulumi/automation";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { REPO, Sandbox, sandboxDown, sandboxUp } from "./sandbox";
import { exampleStack, timed } from "./stack";

/** What `docker-host` printed and how it ended. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The docker-host CLI as a user runs it against a stack: `docker-host` found on PATH (the repository's bin/, the
 * built dist/), in the project's directory, bundles in a private certs directory, the docker CLI's config in a
 * private directory, no proxy variables.
 */
export function cliRunner(stack: () => Stack, projectDir: string) {
  const certsDir = mkdtempSync(path.join(tmpdir(), "dh-cli-certs-"));
  const dockerConfig = mkdtempSync(path.join(tmpdir(), "dh-cli-docker-"));
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
    // No proxy variables (env --no-proxy output is pinned) and no docker target of the caller's own.
    const dropped =
      /^(no_proxy|NO_PROXY|DOCKER_HOST|DOCKER_CERT_PATH|DOCKER_TLS_VERIFY|npm_command)$/;
    // npm_command is set when the suite runs under npx: env's hint would then say `npx docker-host`.
    const all: NodeJS.ProcessEnv = Object.fromEntries(
      Object.entries({ ...process.env, ...stack().workspace.envVars }).filter(
        ([name]) => !dropped.test(name),
      ),
    );
    Object.assign(all, {
      PATH: `${path.join(REPO, "bin")}:${process.env.PATH ?? ""}`,
      DOCKERHOST_CERTS_DIR: certsDir,
      DOCKER_CONFIG: dockerConfig,
      SHELL: "/bin/bash",
    });
    return { ...all, ...extra };
  };
  const cli = (
    args: string[],
    opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
  ): CliResult => {
    const r = spawnSync("docker-host", args, {
      cwd: opts.cwd ?? projectDir,
      env: env(opts.env),
      encoding: "utf8",
      timeout: opts.timeoutMs ?? 120_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const ok = (args: string[], opts?: Parameters<typeof cli>[1]): string => {
    const r = cli(args, opts);
    assert.equal(r.code, 0, `docker-host ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };
  /** A bash script with the same environment (e.g. `eval "$(docker-host env)"; docker ...`); its trimmed stdout. */
  const bash = (script: string, extra: NodeJS.ProcessEnv = {}): string => {
    const r = spawnSync("bash", ["-c", script], {
      encoding: "utf8",
      timeout: 120_000,
      env: env(extra),
      cwd: projectDir,
    });
    assert.equal(r.status, 0, `${script}: ${r.stderr}`);
    return r.stdout.trim();
  };
  return { certsDir, dockerConfig, env, cli, ok, bash };
}

/**
 * A fresh sandbox host and a stack of examples/existing-host pointed at it, its DockerHost named `hostName`, with
 * `extra` configuration on top; nothing deployed yet. `boot` goes to sandboxUp (e.g. a sandbox that survives a
 * reboot of its guest).
 */
export async function sandboxHostStack(
  sandboxName: string,
  stackName: string,
  hostName: string,
  extra: ConfigMap = {},
  boot: Parameters<typeof sandboxUp>[1] = {},
): Promise<{ sb: Sandbox; stack: Stack }> {
  const sb = await timed("sandbox boot", () => Promise.resolve(sandboxUp(sandboxName, boot)));
  const stack = await exampleStack("existing-host", stackName);
  await stack.setAllConfig({
    name: { value: hostName },
    host: { value: sb.host },
    privateKeyPath: { value: sb.privateKeyPath },
    hostKey: { value: sb.hostKey },
    ...extra,
  });
  return { sb, stack };
}

/** `pulumi up`, its output printed (or given to `onOutput`), timed; it must succeed. */
export async function upOk(
  stack: Stack,
  label: string,
  onOutput: (s: string) => void = (s) => process.stdout.write(s),
): Promise<UpResult> {
  const result = await timed(label, () => stack.up({ onOutput, color: "never" }));
  assert.equal(result.summary.result, "succeeded");
  return result;
}

/** Removes the stack (and `others` of its workspace) whatever they hold, then the sandbox. */
export async function teardown(
  stack: Stack | undefined,
  sandboxName: string,
  others: readonly string[] = [],
): Promise<void> {
  try {
    if (stack !== undefined) {
      for (const other of others)
        await stack.workspace.removeStack(other, { force: true }).catch(() => undefined);
      await stack.workspace.removeStack(stack.name, { force: true });
    }
  } finally {
    sandboxDown(sandboxName);
  }
}
