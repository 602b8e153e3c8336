import { Stack } from "@pulumi/pulumi/automation";
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { makeCertificate } from "../helpers/openssl";
import {
  installedOf,
  newProject,
  npmInstall,
  packTarball,
  PLUGIN_DIR,
  PYTHON_PROGRAM,
  PYTHON_PULUMI_YAML,
  pulumiPackageAdd,
  removeAll,
  tarballFiles,
  TS_PROGRAM,
  TS_PULUMI_YAML,
  TSCONFIG,
  YAML_PROGRAM,
} from "./helpers/consumers";
import { destroyAndCheckCleanup, upAndCheckEngine } from "./helpers/languageRun";
import { PYTHON_PULUMI_VERSION } from "./helpers/languages";
import { REPO, Sandbox, sandboxDown, sandboxUp } from "./helpers/sandbox";
import { stackAt, timed } from "./helpers/stack";
import { USER_TESTS } from "./helpers/userTests";

/** The cloud SDKs: the package's optional peer dependencies, one per cloud machine source. */
const CLOUD_SDKS = Object.entries(
  (
    JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as {
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    }
  ).peerDependenciesMeta,
)
  .filter(([, meta]) => meta.optional === true)
  .map(([sdk]) => sdk);
const USER_KEY = "-----BEGIN PRIVATE KEY-----\nNOT-A-REAL-KEY\n-----END PRIVATE KEY-----\n";

// The published artifact, proven from the outside: `npm pack`, then projects in temporary directories that see
// nothing of the repository but the tarball. A TypeScript program imports the package; YAML and Python programs
// get the component provider from the installed tarball through Pulumi's own path (PulumiPlugin.yaml,
// `pulumi package add`, the CLI's SDK generation); each provisions the sandbox host, the real docker CLI reaches
// the engine over mutual TLS with the stack's outputs and with `docker-host env` from the installed bin, and the
// stack is destroyed. A user's own mocha tests of a stack with a DockerHost pass under Pulumi's mocks.
describe("the npm package from its tarball (end to end)", function () {
  const sandboxName = `dhpkg${String(process.pid % 1000)}`;
  let sb: Sandbox;
  let tarball: string;
  const stacks: Stack[] = [];

  before(async function () {
    tarball = await timed("npm pack (builds dist/)", () => Promise.resolve(packTarball()));
    sb = await timed("sandbox boot", () => Promise.resolve(sandboxUp(sandboxName)));
  });

  after(async function () {
    try {
      for (const stack of stacks) {
        await stack.destroy({ color: "never" }).catch(() => undefined);
        await stack.workspace.removeStack(stack.name, { force: true }).catch(() => undefined);
      }
    } finally {
      sandboxDown(sandboxName);
      removeAll();
    }
  });

  /** The user's TypeScript project: the program, its tsconfig and unit tests, the tarball and the user's tools. */
  let tsDir: string | undefined;
  function tsProject(): string {
    if (tsDir !== undefined) return tsDir;
    const dir = newProject("ts", {
      "Pulumi.yaml": TS_PULUMI_YAML,
      "index.ts": TS_PROGRAM,
      "tsconfig.json": TSCONFIG,
      ...USER_TESTS,
    });
    npmInstall(dir, tarball, {
      production: false,
      extra: ["typescript", "@types/node", "ts-node", "mocha", "@types/mocha"],
    });
    return (tsDir = dir);
  }

  /** The docker-host CLI of the installed package, in the project, with the stack's backend. */
  function dockerHostCli(dir: string, stack: Stack, args: string[]): string {
    const r = spawnSync(path.join(dir, "node_modules", ".bin", "docker-host"), args, {
      cwd: dir,
      env: {
        ...process.env,
        ...stack.workspace.envVars,
        DOCKERHOST_CERTS_DIR: mkdtempSync(path.join(tmpdir(), "dh-pkg-certs-")),
        SHELL: "/bin/bash",
      },
      encoding: "utf8",
      timeout: 120_000,
    });
    assert.equal(r.status, 0, `docker-host ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  }

  /** up, the engine over TLS with the outputs and with `docker-host env`, the label, destroy. */
  async function provisionAndCheck(dir: string, stack: Stack, language: string): Promise<void> {
    stacks.push(stack);
    const out = await upAndCheckEngine(stack, sb, language);

    // `docker-host env` of the installed package, evaluated by bash, then the docker CLI with that environment.
    const env = dockerHostCli(dir, stack, ["env", "web"]);
    assert.match(
      env,
      new RegExp(`export DOCKER_HOST="tcp://${sb.host.replace(/\./g, "\\.")}:2376"`),
    );
    const viaEnv = execFileSync(
      "bash",
      ["-c", 'eval "$DH_ENV" && docker version --format "{{.Server.Version}}"'],
      { env: { ...process.env, DH_ENV: env }, encoding: "utf8", timeout: 120_000 },
    ).trim();
    assert.equal(viaEnv, out.engineVersion);

    await destroyAndCheckCleanup(stack, sb, language);
  }

  it("the tarball holds the build, the bins and package.json, and nothing of the sources or tests", () => {
    const files = tarballFiles(tarball);
    for (const needed of [
      "package.json",
      "bin/pulumi-resource-docker-host",
      "dist/components/index.js",
      "dist/components/index.d.ts",
      "dist/components/index.js.map",
      "dist/cli/main.js",
      "dist/provider/index.js",
      "dist/provider/schema.json",
      "dist/provider/PulumiPlugin.yaml",
      // every step script the compiled modules read next to themselves, wherever it lives under components/
      ...readdirSync(path.join(REPO, "components"), { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".sh"))
        .map((f) => `dist/components/${f}`),
    ]) {
      assert.ok(files.includes(needed), `${needed} is in the tarball`);
    }
    const stray = files.filter(
      (f) =>
        /^(components|cli|provider|build|tests|examples|scripts|bench)\//.test(f) ||
        /(^|\/)[^/]+(?<!\.d)\.ts$/.test(f),
    );
    assert.deepEqual(stray, [], "no sources, tests or scripts");
  });

  it("TypeScript: npm install of the tarball, type-check, pulumi up, docker over TLS, docker-host env, destroy", async function () {
    const dir = tsProject();
    assert.deepEqual(installedOf(dir, CLOUD_SDKS), [], "no cloud SDK is installed");
    execFileSync("npx", ["tsc", "-p", "."], { cwd: dir, stdio: "inherit", timeout: 300_000 });
    const stack = await stackAt(dir, "ts");
    await provisionAndCheck(dir, stack, "typescript");
  });

  it("TypeScript: the user's mocha tests of a stack with a DockerHost pass under Pulumi's mocks", () => {
    const dir = tsProject();
    const certFile = path.join(dir, "cert.pem");
    writeFileSync(certFile, makeCertificate("user", "DNS:localhost,IP:203.0.113.10"));
    // One mocha process per spec: each installs its own mocks (the SDK keeps only the last).
    for (const spec of ["test/echo.spec.ts", "test/certs.spec.ts"]) {
      const r = spawnSync(
        "npx",
        ["mocha", "--require", "ts-node/register", "--timeout", "60000", spec],
        {
          cwd: dir,
          env: {
            ...process.env,
            USER_SSH_KEY: USER_KEY,
            USER_HOST_KEY: sb.hostKey,
            USER_CERT_FILE: certFile,
          },
          encoding: "utf8",
          timeout: 300_000,
        },
      );
      process.stdout.write(r.stdout);
      assert.equal(r.status, 0, `${spec}:\n${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /passing/);
      assert.doesNotMatch(r.stdout, /failing|pending/);
    }
  });

  it("YAML: production install of the tarball, pulumi package add of its source plugin, up, TLS, env, destroy", async function () {
    const dir = newProject("yaml", { "Pulumi.yaml": YAML_PROGRAM });
    npmInstall(dir, tarball, { production: true });
    assert.deepEqual(installedOf(dir, CLOUD_SDKS), [], "no cloud SDK is installed");
    assert.deepEqual(installedOf(dir, ["typescript", "ts-node"]), [], "no compiler at run time");
    const stack = await stackAt(dir, "yaml");
    await timed("yaml: pulumi package add", () =>
      Promise.resolve(pulumiPackageAdd(dir, stack.workspace.envVars)),
    );
    assert.match(
      readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"),
      new RegExp(`docker-host: ${PLUGIN_DIR.replace(/\./g, "\\.")}`),
    );
    // One version everywhere, from the package's package.json: the CLI, and the schema the plugin serves.
    const version = (
      JSON.parse(
        readFileSync(path.join(dir, "node_modules", "pulumi-docker-host", "package.json"), "utf8"),
      ) as { version: string }
    ).version;
    const cliVersion = execFileSync(
      path.join(dir, "node_modules", ".bin", "docker-host"),
      ["--version"],
      {
        encoding: "utf8",
      },
    ).trim();
    assert.equal(cliVersion, version);
    const served = JSON.parse(
      execFileSync("pulumi", ["package", "get-schema", PLUGIN_DIR], {
        cwd: dir,
        env: { ...process.env, ...stack.workspace.envVars },
        encoding: "utf8",
        maxBuffer: 16 << 20,
        timeout: 300_000,
      }),
    ) as { name: string; version: string };
    assert.deepEqual([served.name, served.version], ["docker-host", version]);
    await provisionAndCheck(dir, stack, "yaml");
  });

  it("Python: production install, pulumi package add generates and installs the SDK, up, TLS, env, destroy", async function () {
    const dir = newProject("python", {
      "Pulumi.yaml": PYTHON_PULUMI_YAML,
      "__main__.py": PYTHON_PROGRAM,
      "requirements.txt": `pulumi==${PYTHON_PULUMI_VERSION}\n`,
    });
    // As for a user: `pulumi package add` makes the virtualenv (`venv`), installs requirements.txt from PyPI,
    // generates the SDK with the CLI and installs it there.
    npmInstall(dir, tarball, { production: true });
    assert.deepEqual(installedOf(dir, CLOUD_SDKS), [], "no cloud SDK is installed");
    const stack = await stackAt(dir, "python");
    await timed("python: pulumi package add (SDK generated by the CLI)", () =>
      Promise.resolve(pulumiPackageAdd(dir, stack.workspace.envVars)),
    );
    assert.match(readFileSync(path.join(dir, "requirements.txt"), "utf8"), /sdks\/docker-host/);
    await provisionAndCheck(dir, stack, "python");
  });
});
