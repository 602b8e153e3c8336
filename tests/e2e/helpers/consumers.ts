import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { REPO } from "./sandbox";

// Projects of users of the published package, outside the repository: each sees nothing of it but the tarball
// `npm pack` made. npm installs never run install scripts (@pulumi/command's would try to download its plugin;
// the toolchain has the plugins in $PULUMI_HOME/plugins already).

/** The versions a user's TypeScript project installs next to the package: the repository's own. */
function devVersion(name: string): string {
  const lock = JSON.parse(readFileSync(path.join(REPO, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version?: string }>;
  };
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (version === undefined) throw new Error(`${name} is not in package-lock.json`);
  return `${name}@${version}`;
}

function run(cmd: string, args: string[], cwd: string, timeout = 600_000): string {
  return execFileSync(cmd, args, {
    cwd,
    encoding: "utf8",
    timeout,
    maxBuffer: 64 << 20,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Every directory this module made (projects with their node_modules, the tarball's): removeAll() deletes them. */
const made: string[] = [];

export function removeAll(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** `npm pack` of the repository (its prepack script builds dist/) into a fresh directory; the tarball's path. */
export function packTarball(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "dh-pack-"));
  made.push(dir);
  const out = run("npm", ["pack", "--silent", "--pack-destination", dir], REPO, 300_000);
  const name = out.trim().split("\n").pop() ?? "";
  const tarball = path.join(dir, name);
  if (!existsSync(tarball)) throw new Error(`npm pack made no ${tarball}: ${out}`);
  return tarball;
}

/** The files listed in the tarball, without npm's `package/` prefix. */
export function tarballFiles(tarball: string): string[] {
  return run("tar", ["-tzf", tarball], tmpdir())
    .split("\n")
    .filter((f) => f !== "")
    .map((f) => f.replace(/^package\//, ""));
}

/** A new project directory holding `files` (relative paths), with a package.json of its own. */
export function newProject(kind: string, files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), `dh-user-${kind}-`));
  made.push(dir);
  const all = { "package.json": JSON.stringify({ name: `user-${kind}`, private: true }), ...files };
  for (const [file, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/**
 * `npm install` as the README tells users: the tarball (with `--omit=dev` for a plugin-only install, as YAML and
 * Python projects do), plus `extra` packages (a TypeScript project's own tools).
 */
export function npmInstall(
  dir: string,
  tarball: string,
  opts: { production: boolean; extra?: string[] },
): void {
  run(
    "npm",
    [
      "install",
      "--ignore-scripts",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      ...(opts.production ? ["--omit=dev"] : []),
      tarball,
      ...(opts.extra ?? []).map(devVersion),
    ],
    dir,
  );
}

/** Which of `names` the project's node_modules holds. */
export function installedOf(dir: string, names: string[]): string[] {
  return names.filter((n) => existsSync(path.join(dir, "node_modules", n, "package.json")));
}

/** `pulumi package add` of the installed package's source plugin: Pulumi's own path for other languages. */
export function pulumiPackageAdd(dir: string, env: NodeJS.ProcessEnv): string {
  return execFileSync("pulumi", ["package", "add", PLUGIN_DIR], {
    cwd: dir,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 600_000,
    maxBuffer: 64 << 20,
  });
}

/** The source plugin inside the installed package (PulumiPlugin.yaml, runtime nodejs). */
export const PLUGIN_DIR = "./node_modules/pulumi-docker-host/dist/provider";

/** The same DockerHost in every language: on the sandbox host, removed again on destroy, labelled by language. */
export const TS_PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { DockerHost, EngineInstallMethod } from "pulumi-docker-host";

const config = new pulumi.Config();
const web = new DockerHost("web", {
  existing: {
    host: config.require("host"),
    privateKey: config.requireSecret("privateKey"),
    hostKey: config.require("hostKey"),
    cleanupOnDelete: true,
  },
  engine: { installMethod: EngineInstallMethod.Distro, labels: { language: "typescript" } },
});

export const dockerHost = web.dockerHost;
export const engineVersion = web.engineVersion;
export const caCert = web.caCert;
export const clientCert = web.clientCert;
export const clientKey = web.clientKey;
`;

export const TS_PULUMI_YAML = `name: user-typescript
runtime: nodejs
main: index.ts
`;

export const TSCONFIG = JSON.stringify({
  compilerOptions: {
    strict: true,
    target: "es2022",
    module: "nodenext",
    moduleResolution: "nodenext",
    types: ["node", "mocha"],
    noEmit: true,
  },
  include: ["*.ts", "test/*.ts"],
});

const CONFIG_AND_OUTPUTS = `config:
  host:
    type: string
  privateKey:
    type: string
    secret: true
  hostKey:
    type: string
`;

export const YAML_PROGRAM = `name: user-yaml
runtime: yaml
${CONFIG_AND_OUTPUTS}resources:
  web:
    type: docker-host:index:DockerHost
    properties:
      existing:
        host: \${host}
        privateKey: \${privateKey}
        hostKey: \${hostKey}
        cleanupOnDelete: true
      engine:
        installMethod: Distro
        labels:
          language: yaml
outputs:
  dockerHost: \${web.dockerHost}
  engineVersion: \${web.engineVersion}
  caCert: \${web.caCert}
  clientCert: \${web.clientCert}
  clientKey: \${web.clientKey}
`;

export const PYTHON_PULUMI_YAML = `name: user-python
runtime:
  name: python
  options:
    toolchain: pip
    virtualenv: venv
`;

export const PYTHON_PROGRAM = `import pulumi
import pulumi_docker_host as docker_host

config = pulumi.Config()
web = docker_host.DockerHost(
    "web",
    existing=docker_host.ExistingMachineArgsArgs(
        host=config.require("host"),
        private_key=config.require_secret("privateKey"),
        host_key=config.require("hostKey"),
        cleanup_on_delete=True,
    ),
    engine=docker_host.EngineArgsArgs(
        install_method=docker_host.EngineInstallMethod.DISTRO,
        labels={"language": "python"},
    ),
)
for name in ["docker_host", "engine_version", "ca_cert", "client_cert", "client_key"]:
    pulumi.export("".join(w if i == 0 else w.title() for i, w in enumerate(name.split("_"))), getattr(web, name))
`;
