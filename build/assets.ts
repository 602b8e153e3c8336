// The second half of `npm run build` (after tsc): puts next to the compiled JavaScript what it reads at run time
// through __dirname (the remote steps' shell scripts), the provider's schema, and the source plugin's
// PulumiPlugin.yaml and package.json. Run with ts-node: `node --require ts-node/register/transpile-only build/assets.ts`.
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { ROOT, sourceSchema } from "./schema";

const DIST = path.join(ROOT, "dist");

/**
 * Copies every `*.sh` under components/ into the same place in the build: each folder's steps read their own
 * scripts and the shared ones (remote/) next to their compiled module, so none may be left behind.
 */
function copyScripts(): number {
  const scripts = readdirSync(path.join(ROOT, "components"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".sh"))
    .map((f) => path.join("components", f));
  for (const script of scripts) {
    mkdirSync(path.dirname(path.join(DIST, script)), { recursive: true });
    copyFileSync(path.join(ROOT, script), path.join(DIST, script));
  }
  return scripts.length;
}

const scripts = copyScripts();
mkdirSync(path.join(DIST, "provider"), { recursive: true });
copyFileSync(
  path.join(ROOT, "provider", "PulumiPlugin.yaml"),
  path.join(DIST, "provider", "PulumiPlugin.yaml"),
);
// The source plugin's own package.json, without dependencies: when the Pulumi CLI installs the plugin's
// dependencies (npm install in its folder) there is nothing to fetch, and the provider's requires resolve, as
// node resolves them, from the node_modules the package itself was installed into.
writeFileSync(
  path.join(DIST, "provider", "package.json"),
  `${JSON.stringify({ name: "docker-host-provider", private: true, main: "index.js" }, null, 2)}\n`,
);
const schema = sourceSchema();
writeFileSync(path.join(DIST, "provider", "schema.json"), `${JSON.stringify(schema, null, 2)}\n`);
console.log(
  `build: ${String(scripts)} step scripts, PulumiPlugin.yaml and the schema of ${String(schema.name)} ${String(schema.version)} in dist/`,
);
