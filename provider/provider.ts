// The component provider that serves the package's components (DockerHost, DockerSwarm) to programs in any Pulumi
// language (YAML, Python...). It serves the schema the build wrote from the TypeScript sources, so starting it
// loads compiled JavaScript only: no TypeScript analysis and no compiler at run time.
import * as pulumi from "@pulumi/pulumi";
import * as provider from "@pulumi/pulumi/provider";
import * as components from "../components";
import { packageManifest } from "../components/manifest";

/** The Pulumi package name: the first part of every type token (`docker-host:index:DockerHost`). */
export const PULUMI_PACKAGE = "docker-host";

/** A component class as the provider constructs it. */
export type ComponentClass = new (
  name: string,
  args: never,
  opts?: pulumi.ComponentResourceOptions,
) => pulumi.ComponentResource;

/** The package's components by class name: every ComponentResource that components/index.ts exports. */
export function componentClasses(): Map<string, ComponentClass> {
  const found = new Map<string, ComponentClass>();
  for (const [name, value] of Object.entries(components)) {
    if (typeof value === "function" && value.prototype instanceof pulumi.ComponentResource) {
      found.set(name, value);
    }
  }
  return found;
}

/** The parts of a Pulumi package schema the provider reads. */
interface Schema {
  name: string;
  version: string;
  resources: Record<string, { isComponent?: boolean; properties?: Record<string, unknown> }>;
}

/**
 * Serves `schema` and constructs its components. Each component's outputs are the properties its schema lists,
 * read from the instance the constructor returned (as Pulumi's own component host does).
 */
export class DockerHostProvider implements provider.Provider {
  /** The package version: package.json's, which the schema carries too. */
  readonly version: string;
  private readonly parsed: Schema;

  constructor(
    private readonly schemaText: string,
    private readonly classes: Map<string, ComponentClass> = componentClasses(),
  ) {
    this.parsed = JSON.parse(schemaText) as Schema;
    this.version = packageManifest().version;
    if (this.parsed.name !== PULUMI_PACKAGE || this.parsed.version !== this.version) {
      throw new Error(
        `the schema is of ${this.parsed.name} ${this.parsed.version}, the package is ${PULUMI_PACKAGE} ${this.version}: rebuild with \`npm run build\``,
      );
    }
  }

  getSchema(): Promise<string> {
    return Promise.resolve(this.schemaText);
  }

  construct(
    name: string,
    type: string,
    inputs: pulumi.Inputs,
    options: pulumi.ComponentResourceOptions,
  ): Promise<provider.ConstructResult> {
    const resource = this.parsed.resources[type];
    const [pkg, module, className] = type.split(":");
    const Component = className !== undefined ? this.classes.get(className) : undefined;
    if (
      resource === undefined ||
      pkg !== PULUMI_PACKAGE ||
      module !== "index" ||
      Component === undefined
    ) {
      return Promise.reject(new Error(`${PULUMI_PACKAGE} has no component ${type}`));
    }
    const instance = new Component(name, inputs as never, options) as unknown as Record<
      string,
      unknown
    > &
      pulumi.ComponentResource;
    const state: pulumi.Inputs = {};
    for (const key of Object.keys(resource.properties ?? {})) state[key] = instance[key];
    return Promise.resolve({ urn: instance.urn, state });
  }
}
