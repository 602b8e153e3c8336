import { Stack } from "@pulumi/pulumi/automation";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { REPO } from "./sandbox";

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
  const cli = (args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult => {
    const r = spawnSync("docker-host", args, {
      cwd: opts.cwd ?? projectDir,
      env: env(opts.env),
      encoding: "utf8",
      timeout: 120_000,
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
