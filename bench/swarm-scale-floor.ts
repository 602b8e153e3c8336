// The Pulumi SDK's floor for bench/swarm-scale.ts: the resources N DockerHosts register, constructed directly with
// their SDK classes and the final values of their inputs (no Output of DockerHost's, no apply chain, no step
// rendering), each host's under a bare component of DockerHost's type. What a program of N DockerHosts costs
// beyond this floor is DockerHost's own; the floor itself is the SDK's per resource (its outputs, promises and
// the stack trace it keeps on each), which no component can go below with the same resources.
import * as pulumi from "@pulumi/pulumi";

/** A resource the probe DockerHost registered: its type, its name, and its inputs as the mocked engine got them. */
export interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

type ResourceClass = new (
  name: string,
  args: Record<string, unknown>,
  opts: pulumi.CustomResourceOptions,
) => pulumi.CustomResource;

/** The SDK class of a type token: `pkg:module/file:Class` or `pkg:module:Class` (Azure Native: per module). */
function sdkClass(type: string): ResourceClass {
  const [pkg = "", modulePath = "", name = ""] = type.split(":");
  const module = modulePath.split("/")[0] ?? "";
  /* eslint-disable @typescript-eslint/no-require-imports */
  const root = (
    pkg === "azure-native"
      ? { [module]: require(`@pulumi/azure-native/${module}`) as unknown }
      : require(`@pulumi/${pkg}`)
  ) as Record<string, Record<string, unknown>>;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const scope = module === "index" ? root : root[module];
  const found = scope?.[name];
  if (typeof found !== "function") throw new Error(`no SDK class for ${type}`);
  return found as ResourceClass;
}

/**
 * The probe's resources again for each of `names`, renamed from `probe`: the host's component first, its
 * resources under it. `options` gives a type's resource options (the Azure sources drop the version aliases,
 * as DockerHost does). Returns every resource's URN to wait for.
 */
export function floorProgram(
  probe: string,
  recorded: Registration[],
  names: string[],
  options: (type: string) => pulumi.CustomResourceOptions,
): pulumi.Output<string>[] {
  const classes = new Map<string, ResourceClass>();
  const urns: pulumi.Output<string>[] = [];
  for (const host of names) {
    const parent = new pulumi.ComponentResource("docker-host:index:DockerHost", host, {}, {});
    urns.push(parent.urn);
    for (const r of recorded) {
      if (r.name === probe) continue;
      const cls = classes.get(r.type) ?? sdkClass(r.type);
      classes.set(r.type, cls);
      const name = `${host}${r.name.slice(probe.length)}`;
      urns.push(construct(cls, name, r, { ...options(r.type), parent }).urn);
    }
  }
  return urns;
}

/**
 * `new cls(...)` with the recorded inputs. An input the mocks never computed (an output of another resource that
 * the mocks return no state for, e.g. a certificate request's PEM) is absent from the record: a required one gets
 * a placeholder, added to the record, the first time the class refuses it (before it registers anything).
 */
function construct(
  cls: ResourceClass,
  name: string,
  r: Registration,
  opts: pulumi.CustomResourceOptions,
): pulumi.CustomResource {
  for (;;) {
    try {
      return new cls(name, r.inputs, opts);
    } catch (e) {
      const missing = /^Missing required property '(\w+)'/.exec(
        e instanceof Error ? e.message : "",
      );
      if (missing?.[1] === undefined || missing[1] in r.inputs) throw e;
      r.inputs[missing[1]] = "mock";
    }
  }
}
