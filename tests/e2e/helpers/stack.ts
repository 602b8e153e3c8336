import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { REPO } from "./sandbox";

/** A stack of one of the example programs (examples/NAME) on a throw-away local backend (the real engine). */
export async function exampleStack(example: string, stackName: string): Promise<Stack> {
  return stackAt(path.join(REPO, "examples", example), stackName);
}

/** A stack of the Pulumi project in `workDir` on a throw-away local backend (the real engine). */
export async function stackAt(workDir: string, stackName: string): Promise<Stack> {
  const state = mkdtempSync(path.join(tmpdir(), "dh-state-"));
  return LocalWorkspace.createOrSelectStack(
    { stackName, workDir },
    {
      envVars: {
        PULUMI_BACKEND_URL: `file://${state}`,
        PULUMI_CONFIG_PASSPHRASE: "docker-host-e2e",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        // Type-checking is the lint step's job; per run it would cost ~24 s (BENCHMARKS.md).
        PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      },
    },
  );
}

/** Prints how long a step took, so the suite's log shows where the time goes. */
export async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const start = Date.now();
  try {
    return await fn();
  } finally {
    console.log(`      [time] ${label}: ${((Date.now() - start) / 1000).toFixed(1)} s`);
  }
}

/**
 * The stack's state as the backend stores it, secrets encrypted: `pulumi stack export` without
 * --show-secrets (the Automation API's exportStack() decrypts them, so it cannot show a leak).
 */
export function storedState(stack: Stack): string {
  const ws = stack.workspace;
  if (!(ws instanceof LocalWorkspace)) throw new Error("storedState needs a LocalWorkspace stack");
  return execFileSync("pulumi", ["stack", "export", "--stack", stack.name], {
    cwd: ws.workDir,
    env: { ...process.env, ...ws.envVars },
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
}
