import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as prettier from "prettier";
import { sourceSchema } from "../../build/schema";
import { packageManifest } from "../../components/manifest";

/**
 * The schema other languages see, exactly as `pulumi package get-schema bin/pulumi-resource-docker-host` prints
 * it (the end-to-end suite checks the real CLI's output against this file). Any change to the public contract
 * shows up as a diff of this file in review. After an intended change (needs the Pulumi CLI on PATH and a build):
 *   npm run build && UPDATE_SCHEMA_SNAPSHOT=1 npx mocha tests/unit/schemaSnapshot.spec.ts
 */
export const SCHEMA_SNAPSHOT = path.join(__dirname, "snapshots", "docker-host.schema.json");
const PLUGIN = path.join(__dirname, "..", "..", "bin", "pulumi-resource-docker-host");

/**
 * The contract without the representation details the Pulumi CLI normalises when it serves a schema: it drops
 * the analyzer's `optional` flags (`required` lists say the same) and empty lists and maps.
 */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === "optional") continue;
    const c = canonical(v);
    if (Array.isArray(c) && c.length === 0) continue;
    if (c !== null && typeof c === "object" && Object.keys(c).length === 0) continue;
    out[key] = c;
  }
  return out;
}

/** What the Pulumi CLI serves from the plugin (run outside the repository: its root holds a Pulumi.yaml). */
export function schemaFromCli(): Record<string, unknown> {
  const out = execFileSync("pulumi", ["package", "get-schema", PLUGIN], {
    cwd: tmpdir(),
    encoding: "utf8",
    timeout: 180_000,
    maxBuffer: 16 << 20,
  });
  return JSON.parse(out) as Record<string, unknown>;
}

interface Property {
  description?: string;
  properties?: Record<string, Property>;
}

describe("component schema snapshot (the reviewed public contract)", function () {
  this.timeout(120000);
  let schema: Record<string, unknown>;

  before(async () => {
    schema = sourceSchema();
    if (process.env.UPDATE_SCHEMA_SNAPSHOT === "1") {
      const options = (await prettier.resolveConfig(SCHEMA_SNAPSHOT)) ?? {};
      const text = await prettier.format(JSON.stringify(schemaFromCli()), {
        ...options,
        parser: "json",
      });
      writeFileSync(SCHEMA_SNAPSHOT, text);
    }
  });

  it("equals tests/unit/snapshots/docker-host.schema.json", () => {
    assert.ok(existsSync(SCHEMA_SNAPSHOT), `no snapshot yet: run with UPDATE_SCHEMA_SNAPSHOT=1`);
    const snapshot = JSON.parse(readFileSync(SCHEMA_SNAPSHOT, "utf8")) as unknown;
    assert.deepEqual(
      canonical(schema),
      canonical(snapshot),
      "the public contract changed: review the diff, then UPDATE_SCHEMA_SNAPSHOT=1 npx mocha tests/unit/schemaSnapshot.spec.ts",
    );
  });

  it("carries the package's version and metadata from package.json", () => {
    const manifest = packageManifest();
    assert.equal(schema.name, "docker-host");
    assert.equal(schema.version, manifest.version);
    assert.equal(schema.license, manifest.license);
    assert.equal(schema.publisher, manifest.author);
    assert.match(String(schema.repository), /^https:\/\/\S+[^/]$/);
  });

  it("describes the resource, every input, every output, and every field of every input type", () => {
    const missing: string[] = [];
    const check = (where: string, props: Record<string, Property> | undefined) => {
      for (const [name, prop] of Object.entries(props ?? {}))
        if ((prop.description ?? "").trim() === "") missing.push(`${where}.${name}`);
    };
    const resources = schema.resources as Record<
      string,
      {
        description?: string;
        inputProperties?: Record<string, Property>;
        properties?: Record<string, Property>;
      }
    >;
    assert.ok(Object.keys(resources).length > 0);
    for (const [token, resource] of Object.entries(resources)) {
      if ((resource.description ?? "").trim() === "") missing.push(token);
      check(`${token} input`, resource.inputProperties);
      check(`${token} output`, resource.properties);
    }
    const types = (schema.types ?? {}) as Record<
      string,
      Property & { enum?: { name?: string; description?: string }[] }
    >;
    for (const [token, type] of Object.entries(types)) check(token, type.properties);
    assert.deepEqual(missing, [], "every part of the contract has a description");
  });
});
