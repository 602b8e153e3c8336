#!/usr/bin/env node
// The `docker-host` command's entry: its build, dist/cli/main.js, is package.json's "bin" (npm links it as
// node_modules/.bin/docker-host); in the repository bin/docker-host runs it. Wires the program to this process and
// exits with its code.
import { realpathSync } from "node:fs";
import * as path from "node:path";
import { packageManifest } from "../components/manifest";
import { run } from "./program";

/**
 * The name to show in `env`'s usage hint: what the user typed when it can be known. Under `npx` (npm exec) it is
 * `npx docker-host`. Otherwise the shim passes its $0, a full path; when the same file is found on PATH under its
 * base name, the base name is what was typed.
 */
export function programName(
  argv0: string | undefined,
  pathVar: string | undefined,
  npmCommand?: string,
): string[] {
  if (npmCommand === "exec") return ["npx", "docker-host"];
  if (argv0 === undefined || argv0 === "") return ["docker-host"];
  const base = path.basename(argv0);
  if (!argv0.includes("/")) return [argv0];
  try {
    const self = realpathSync(argv0);
    for (const dir of (pathVar ?? "").split(":")) {
      if (dir === "") continue;
      try {
        if (realpathSync(path.join(dir, base)) === self) return [base];
      } catch {
        /* not in this directory */
      }
    }
  } catch {
    /* argv0 is not a file: show it as given */
  }
  return [argv0];
}

if (require.main === module) {
  void run(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    program: programName(
      // The repository's shell wrapper passes its $0; npm's link runs this file directly, as typed.
      process.env.DOCKERHOST_CLI_ARGV0 ?? process.argv[1],
      process.env.PATH,
      process.env.npm_command,
    ),
    version: packageManifest().version,
  }).then((code) => {
    process.exitCode = code;
  });
}
