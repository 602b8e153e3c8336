import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { sourceSchema } from "../../build/schema";
import { packageManifest } from "../../components/manifest";
import { isMissingPackage, missingSdkMessage } from "../../components/machines/sdk";
import { DockerHostProvider } from "../../provider/provider";
import { fakeKey, installMocks, settle, valueOf } from "./helpers/mocks";

const ROOT = path.join(__dirname, "..", "..");
/** The cloud SDKs: the package's optional peer dependencies, one per cloud machine source. */
const CLOUD_SDKS = Object.entries(
  (
    JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    }
  ).peerDependenciesMeta,
)
  .filter(([, meta]) => meta.optional === true)
  .map(([sdk]) => sdk);

/** The npm packages a fresh Node process has loaded after requiring `module` (with ts-node, from the sources). */
function loadedPackages(script: string): string[] {
  const run = spawnSync(
    process.execPath,
    ["--require", "ts-node/register/transpile-only", "--eval", script],
    {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") },
      encoding: "utf8",
    },
  );
  const line = run.stdout.split("\n").find((l) => l.startsWith("["));
  assert.ok(line !== undefined, `no list of loaded packages: ${run.stdout}${run.stderr}`);
  return JSON.parse(line) as string[];
}

// Printed right after the constructor returns, when what it loaded is known; the process then ends at once (its
// exit code is not looked at: the echo mocks cannot serve the registrations still pending).
const LIST_LOADED = `console.log(JSON.stringify([...new Set(Object.keys(require.cache)
  .map((f) => /node_modules\\/(@[^/]+\\/[^/]+|[^/]+)\\//.exec(f)?.[1]).filter(Boolean))])); process.exit(0)`;

describe("the npm package: cloud SDKs, version, provider", function () {
  this.timeout(120000);

  it("loading the components and constructing an existing-host DockerHost loads no cloud SDK", () => {
    const loaded = loadedPackages(`
      const pulumi = require("@pulumi/pulumi");
      pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: (a) => a.inputs });
      const { DockerHost } = require("./components");
      new DockerHost("h", { existing: { host: "203.0.113.10", privateKey: ${JSON.stringify(fakeKey("ssh"))} } });
      ${LIST_LOADED}`);
    assert.ok(loaded.includes("@pulumi/pulumi") && loaded.includes("@pulumi/command"), "sanity");
    assert.ok(CLOUD_SDKS.includes("@pulumi/aws") && CLOUD_SDKS.length >= 3, CLOUD_SDKS.join());
    for (const sdk of CLOUD_SDKS) {
      assert.ok(!loaded.includes(sdk), `${sdk} was loaded: ${loaded.join(", ")}`);
    }
  });

  it("an aws DockerHost loads @pulumi/aws, and only then", () => {
    const loaded = loadedPackages(`
      const pulumi = require("@pulumi/pulumi");
      pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: (a) => a.inputs });
      const { DockerHost } = require("./components");
      new DockerHost("h", { aws: {}, allowedCidrs: ["198.51.100.7/32"] });
      ${LIST_LOADED}`);
    assert.ok(loaded.includes("@pulumi/aws"));
    for (const sdk of CLOUD_SDKS.filter((s) => s !== "@pulumi/aws")) {
      assert.ok(!loaded.includes(sdk), `${sdk} was loaded too`);
    }
  });

  it("works under the testing guide's mocks (inputs echoed as state): dockerHost and env resolve", () => {
    const run = spawnSync(
      process.execPath,
      [
        "--require",
        "ts-node/register/transpile-only",
        "--eval",
        `const pulumi = require("@pulumi/pulumi");
        pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name + "_id", state: a.inputs }), call: (a) => a.inputs });
        const { DockerHost } = require("./components");
        const h = new DockerHost("h", { existing: { host: "203.0.113.10", privateKey: ${JSON.stringify(fakeKey("ssh"))} } });
        pulumi.all([h.dockerHost, h.env]).apply((v) => console.log(JSON.stringify(v)));`,
      ],
      { cwd: ROOT, encoding: "utf8", timeout: 60_000 },
    );
    // Before the fix, the configure step's rendering threw ERR_INVALID_ARG_TYPE (no certificate) and nothing resolved.
    assert.doesNotMatch(run.stderr, /ERR_INVALID_ARG_TYPE|Error/);
    assert.deepEqual(JSON.parse(run.stdout.trim()), [
      "tcp://203.0.113.10:2376",
      { DOCKER_HOST: "tcp://203.0.113.10:2376", DOCKER_TLS_VERIFY: "1" },
    ]);
  });

  it("a missing cloud SDK is told apart from a failure inside it, and named with its install command", () => {
    const missing = Object.assign(
      new Error("Cannot find module '@pulumi/aws'\nRequire stack: ..."),
      {
        code: "MODULE_NOT_FOUND",
      },
    );
    const missingSub = Object.assign(
      new Error("Cannot find module '@pulumi/azure-native/compute'"),
      { code: "MODULE_NOT_FOUND" },
    );
    const inside = Object.assign(new Error("Cannot find module 'left-pad'"), {
      code: "MODULE_NOT_FOUND",
    });
    assert.ok(isMissingPackage(missing, "@pulumi/aws"));
    assert.ok(isMissingPackage(missingSub, "@pulumi/azure-native"));
    assert.ok(!isMissingPackage(inside, "@pulumi/aws"));
    assert.ok(!isMissingPackage(new Error("Cannot find module '@pulumi/aws'"), "@pulumi/aws"));
    const range = packageManifest().peerDependencies?.["@pulumi/aws"];
    assert.ok(range !== undefined, "@pulumi/aws is a peer dependency");
    assert.match(
      missingSdkMessage("@pulumi/aws", 'DockerHost "h": the aws source'),
      new RegExp(`^DockerHost "h": the aws source needs .*npm install @pulumi/aws@\\${range}`),
    );
  });

  it("the cloud SDKs are optional peer dependencies, @pulumi/pulumi a peer; nothing at run time needs ts-node", () => {
    const manifest = JSON.parse(
      execFileSync("node", ["-p", "JSON.stringify(require('./package.json'))"], {
        cwd: ROOT,
        encoding: "utf8",
      }),
    ) as {
      dependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    };
    for (const sdk of CLOUD_SDKS) {
      assert.ok(manifest.peerDependencies[sdk], sdk);
      assert.equal(manifest.peerDependenciesMeta[sdk]?.optional, true, sdk);
      assert.equal(manifest.dependencies[sdk], undefined, sdk);
    }
    assert.ok(manifest.peerDependencies["@pulumi/pulumi"]);
    assert.equal(manifest.peerDependenciesMeta["@pulumi/pulumi"], undefined);
    for (const dev of ["ts-node", "typescript", "@pulumi/pulumi"]) {
      assert.equal(manifest.dependencies[dev], undefined, dev);
    }
  });

  describe("the component provider", () => {
    before(installMocks);

    it("serves the built schema with package.json's version, and refuses a stale one", async () => {
      const schema = JSON.stringify(sourceSchema());
      const provider = new DockerHostProvider(schema);
      assert.equal(provider.version, packageManifest().version);
      assert.equal(await provider.getSchema(), schema);
      const stale = JSON.stringify({ ...sourceSchema(), version: "0.0.0-stale" });
      assert.throws(() => new DockerHostProvider(stale), /rebuild with `npm run build`/);
    });

    it("constructs a DockerHost and returns every output the schema lists", async () => {
      const schema = sourceSchema() as { resources: Record<string, { properties: object }> };
      const provider = new DockerHostProvider(JSON.stringify(schema));
      const result = await provider.construct(
        "via-provider",
        "docker-host:index:DockerHost",
        { existing: { host: "203.0.113.10", privateKey: fakeKey("ssh") } },
        {},
      );
      await settle();
      const expected = Object.keys(
        schema.resources["docker-host:index:DockerHost"]?.properties ?? {},
      );
      assert.deepEqual(Object.keys(result.state).sort(), expected.sort());
      const url = result.state.dockerHost as pulumi.Output<string>;
      assert.equal(await valueOf(url), "tcp://203.0.113.10:2376");
      await assert.rejects(
        provider.construct("x", "docker-host:index:Nope", {}, {}),
        /has no component docker-host:index:Nope/,
      );
    });
  });
});
