// The package's Pulumi schema, read from the TypeScript sources at build time with the analyzer that Pulumi's own
// component host runs at every start (@pulumi/pulumi/provider/experimental). The build writes it next to the
// provider (dist/provider/schema.json), so the provider starts without a TypeScript compiler.
import * as path from "node:path";
import { Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";
import { generateSchema } from "@pulumi/pulumi/provider/experimental/schema";
import { packageManifest } from "../components/manifest";
import { componentClasses, PULUMI_PACKAGE } from "../provider/provider";

/** The repository root: its tsconfig.json is the program the analyzer reads. */
export const ROOT = path.join(__dirname, "..");
/** The sources' entry, whose exports are the package's public contract. */
const ENTRY = "components/index.ts";

let cached: Record<string, unknown> | undefined;

/** Where a repository URL in package.json points, without npm's `git+` prefix and `.git` suffix. */
export function repositoryUrl(
  repository: string | { url?: string } | undefined,
): string | undefined {
  const url = typeof repository === "string" ? repository : repository?.url;
  return url?.replace(/^git\+/, "").replace(/\.git$/, "");
}

/**
 * The schema of every component that components/index.ts exports, with the package metadata from package.json:
 * name `docker-host`, version, description, license, repository, homepage and publisher.
 */
export function sourceSchema(): Record<string, unknown> {
  // The analysis type-checks the whole repository (seconds): once per process.
  if (cached !== undefined) return cached;
  const manifest = packageManifest();
  const analyzer = new Analyzer(
    ROOT,
    PULUMI_PACKAGE,
    // The analyzer looks for the entry through package.json; the published one points at the build.
    { ...manifest, main: ENTRY, exports: undefined },
    new Set(componentClasses().keys()),
  );
  const { components, typeDefinitions, dependencies } = analyzer.analyze();
  // Through JSON, as the schema travels: keys whose value is undefined (an unset namespace) disappear.
  const spec = JSON.parse(
    JSON.stringify(
      generateSchema(
        PULUMI_PACKAGE,
        manifest.version,
        manifest.description ?? "",
        components,
        typeDefinitions,
        dependencies,
      ),
    ),
  ) as Record<string, unknown>;
  const author = typeof manifest.author === "string" ? manifest.author : manifest.author?.name;
  const repository = repositoryUrl(manifest.repository);
  return (cached = {
    ...spec,
    ...(manifest.license !== undefined ? { license: manifest.license } : {}),
    ...(repository !== undefined ? { repository } : {}),
    ...(manifest.homepage !== undefined ? { homepage: manifest.homepage } : {}),
    ...(author !== undefined ? { publisher: author } : {}),
  });
}
