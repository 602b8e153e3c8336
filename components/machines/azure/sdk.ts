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
