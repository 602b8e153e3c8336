import * as pulumi from "@pulumi/pulumi";
import { loadOptionalSdk } from "../sdk";

/** The modules of Azure Native the azure source uses (each a large module of its own, loaded separately). */
export interface AzureSdk {
  compute: typeof import("@pulumi/azure-native/compute");
  network: typeof import("@pulumi/azure-native/network");
  resources: typeof import("@pulumi/azure-native/resources");
}

/** The azure source's SDK modules. */
export function azureSdk(user: string): AzureSdk {
  return loadOptionalSdk("@pulumi/azure-native", user, () => ({
    /* eslint-disable @typescript-eslint/no-require-imports */
    compute: require("@pulumi/azure-native/compute") as AzureSdk["compute"],
    network: require("@pulumi/azure-native/network") as AzureSdk["network"],
    resources: require("@pulumi/azure-native/resources") as AzureSdk["resources"],
    /* eslint-enable @typescript-eslint/no-require-imports */
  }));
}

/** Azure's network module alone (DockerSwarm's rules in a host's security group). */
export function azureNetworkSdk(user: string): AzureSdk["network"] {
  return loadOptionalSdk(
    "@pulumi/azure-native",
    user,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => require("@pulumi/azure-native/network") as AzureSdk["network"],
  );
}

/**
 * Azure Native gives each resource one type alias per API version of its type (`azure-native:network/v20230201:
 * SecurityRule`, about 60 for a network resource), so that a stack that named a version can move to the default one.
 * The SDK turns every alias into a URN of outputs while the resource is constructed: with 8 resources a DockerHost,
 * most of an Azure program's memory (3.6 GB of 4.7 at 200 hosts). DockerHost only ever registers the version-less
 * types, so no state of its holds a versioned one: these aliases can match nothing and are dropped. Other aliases
 * (a user's, through a transformation of theirs) stay.
 */
const dropApiVersionAliases: pulumi.ResourceTransformation = ({ props, opts }) => ({
  props,
  opts: { ...opts, aliases: opts.aliases?.filter((alias) => !isApiVersionAlias(alias)) },
});

/** True for Azure Native's own alias of a type's API version: `{ type: "azure-native:MODULE/vDATE:TYPE" }` alone. */
function isApiVersionAlias(alias: pulumi.Input<string | pulumi.Alias>): boolean {
  if (typeof alias !== "object" || alias instanceof Promise || pulumi.Output.isInstance(alias)) {
    return false;
  }
  const keys = Object.keys(alias);
  return (
    keys.length === 1 &&
    typeof alias.type === "string" &&
    /^azure-native:[a-z0-9]+\/v[0-9a-z]+:[A-Za-z0-9]+$/i.test(alias.type)
  );
}

/** The options of an Azure Native resource DockerHost or DockerSwarm creates: `opts`, without the version aliases. */
export function azureOptions(opts: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
  return { ...opts, transformations: [dropApiVersionAliases, ...(opts.transformations ?? [])] };
}
