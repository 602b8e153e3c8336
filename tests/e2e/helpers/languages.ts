import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { REPO } from "./sandbox";

// What the YAML and Python examples need besides the Pulumi CLI: the executable component provider plugin, the
// schema it serves, the Python SDK generated from that schema, and a virtualenv with `pulumi` from PyPI. Built
// once into $DOCKERHOST_CACHE and reused (a warm run only regenerates the SDK, in about a second).

const CACHE = process.env.DOCKERHOST_CACHE ?? "/var/cache/docker-host";
/** The executable plugin (`packages: docker-host: ../../bin` in the examples' Pulumi.yaml points at its folder). */
export const PLUGIN = path.join(REPO, "bin", "pulumi-resource-docker-host");
/** `pulumi` from PyPI: the newest release PyPI offers (the CLI is 3.276, PyPI's newest is 3.272). */
export const PYTHON_PULUMI_VERSION = "3.272.0";
const SDKGEN_SRC = path.join(REPO, "examples", "python", "sdkgen");

function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; timeout: number; env?: NodeJS.ProcessEnv },
): string {
  return execFileSync(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    encoding: "utf8",
    timeout: opts.timeout,
    maxBuffer: 64 << 20,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** The schema the Pulumi CLI gets from the plugin (run outside the repository, whose root holds a Pulumi.yaml). */
export function schemaFromCli(): string {
  return run("pulumi", ["package", "get-schema", PLUGIN], { cwd: tmpdir(), timeout: 180_000 });
}

/** A virtualenv with `pulumi` (and what building a local SDK needs), made once per version. */
export function pythonVenv(): string {
  const python = run("python3", ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], {
    timeout: 30_000,
  }).trim();
  const dir = path.join(CACHE, "python", `venv-pulumi-${PYTHON_PULUMI_VERSION}-py${python}`);
  const done = path.join(dir, ".docker-host-complete");
  if (existsSync(done)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.dirname(dir), { recursive: true });
  run("python3", ["-m", "venv", dir], { timeout: 120_000 });
  run(
    path.join(dir, "bin", "pip"),
    [
      "install",
      "--quiet",
      "--disable-pip-version-check",
      `pulumi==${PYTHON_PULUMI_VERSION}`,
      "setuptools",
      "wheel",
    ],
    { timeout: 15 * 60_000 },
  );
  writeFileSync(done, `${PYTHON_PULUMI_VERSION}\n`);
  return dir;
}

/** The Python SDK generator (examples/python/sdkgen: Pulumi's codegen from the Go module proxy), built once. */
export function sdkgen(): string {
  const hash = createHash("sha256");
  for (const f of ["go.mod", "go.sum", "main.go"])
    hash.update(readFileSync(path.join(SDKGEN_SRC, f)));
  const out = path.join(CACHE, "toolchain", `sdkgen-python-${hash.digest("hex").slice(0, 12)}`);
  if (existsSync(out)) return out;
  mkdirSync(path.dirname(out), { recursive: true });
  const go = existsSync("/usr/local/go/bin/go") ? "/usr/local/go/bin/go" : "go";
  const temp = `${out}.tmp.${String(process.pid)}`;
  run(go, ["build", "-mod=readonly", "-trimpath", "-o", temp, "."], {
    cwd: SDKGEN_SRC,
    timeout: 20 * 60_000,
    env: { ...process.env, CGO_ENABLED: "0" },
  });
  renameSync(temp, out);
  return out;
}

/**
 * Generates the Python SDK from the schema the CLI served into examples/python/sdks/docker-host (where
 * `pulumi package add` puts it) and installs it into the virtualenv.
 */
export function installPythonSdk(venv: string, schema: string): string {
  const sdkDir = path.join(REPO, "examples", "python", "sdks", "docker-host");
  const schemaFile = path.join(tmpdir(), `docker-host-schema-${String(process.pid)}.json`);
  writeFileSync(schemaFile, schema);
  rmSync(sdkDir, { recursive: true, force: true });
  run(sdkgen(), [schemaFile, sdkDir], { timeout: 60_000 });
  run(
    path.join(venv, "bin", "pip"),
    [
      "install",
      "--quiet",
      "--disable-pip-version-check",
      "--no-deps",
      "--no-build-isolation",
      "--force-reinstall",
      sdkDir,
    ],
    { timeout: 180_000 },
  );
  return sdkDir;
}
