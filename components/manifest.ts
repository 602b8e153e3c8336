import { readFileSync } from "node:fs";
import * as path from "node:path";

/** The npm package's name: the one place code looks for its own package.json by. */
export const PACKAGE_NAME = "pulumi-docker-host";

/** The parts of the package's own package.json that the code reads at runtime. */
export interface PackageManifest {
  name: string;
  version: string;
  description?: string;
  license?: string;
  homepage?: string;
  repository?: string | { url?: string };
  author?: string | { name?: string };
  peerDependencies?: Record<string, string>;
}

let cached: PackageManifest | undefined;

/**
 * The package's own package.json, the single source of its version (CLI, provider, schema). Found by walking up
 * from this file, because the file runs both from the sources (components/) and from the build (dist/components/).
 */
export function packageManifest(): PackageManifest {
  if (cached !== undefined) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(
        readFileSync(path.join(dir, "package.json"), "utf8"),
      ) as PackageManifest;
      if (manifest.name === PACKAGE_NAME) return (cached = manifest);
    } catch {
      /* no package.json here: look further up */
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`${PACKAGE_NAME}: cannot find its own package.json above ${__dirname}`);
    }
  }
}
