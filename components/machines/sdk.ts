import { PACKAGE_NAME, packageManifest } from "../manifest";

// The cloud SDKs are optional peer dependencies: a program that only adopts existing machines neither installs nor
// loads them (loading @pulumi/aws alone takes about a second). Each is required when a machine source or a swarm
// firewall of its cloud is created, and a missing one fails at once with the command that installs it.

/** The aws source's SDK. */
export function awsSdk(user: string): typeof import("@pulumi/aws") {
  // A synchronous require: the SDK is needed inside a constructor, and only when that cloud is used.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return load("@pulumi/aws", user, () => require("@pulumi/aws") as typeof import("@pulumi/aws"));
}

/** The digitalocean source's SDK. */
export function digitalOceanSdk(user: string): typeof import("@pulumi/digitalocean") {
  return load(
    "@pulumi/digitalocean",
    user,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => require("@pulumi/digitalocean") as typeof import("@pulumi/digitalocean"),
  );
}

/** The modules of Azure Native the azure source uses (each a large module of its own, loaded separately). */
export interface AzureSdk {
  compute: typeof import("@pulumi/azure-native/compute");
  network: typeof import("@pulumi/azure-native/network");
  resources: typeof import("@pulumi/azure-native/resources");
}

/** The azure source's SDK modules. */
export function azureSdk(user: string): AzureSdk {
  return load("@pulumi/azure-native", user, () => ({
    /* eslint-disable @typescript-eslint/no-require-imports */
    compute: require("@pulumi/azure-native/compute") as AzureSdk["compute"],
    network: require("@pulumi/azure-native/network") as AzureSdk["network"],
    resources: require("@pulumi/azure-native/resources") as AzureSdk["resources"],
    /* eslint-enable @typescript-eslint/no-require-imports */
  }));
}

/** Azure's network module alone (DockerSwarm's rules in a host's security group). */
export function azureNetworkSdk(user: string): AzureSdk["network"] {
  return load(
    "@pulumi/azure-native",
    user,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => require("@pulumi/azure-native/network") as AzureSdk["network"],
  );
}

/** True when `error` says that `pkg` itself (not something it requires) is not installed. */
export function isMissingPackage(error: unknown, pkg: string): boolean {
  if (!(error instanceof Error) || (error as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") {
    return false;
  }
  return error.message.includes(`'${pkg}'`) || error.message.includes(`'${pkg}/`);
}

/** The message of a missing cloud SDK: who needs it, and the install command with the supported range. */
export function missingSdkMessage(pkg: string, user: string): string {
  const range = packageManifest().peerDependencies?.[pkg];
  const spec = range !== undefined ? `${pkg}@${range}` : pkg;
  return `${user} needs the npm package ${pkg}, which is not installed (it is an optional peer dependency of ${PACKAGE_NAME}, needed only for that cloud): run \`npm install ${spec}\` in the project`;
}

/** A cloud SDK the program needs is not installed: not an input's fault, so no InputError. */
export class MissingSdkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MissingSdkError";
  }
}

function load<T>(pkg: string, user: string, require: () => T): T {
  try {
    return require();
  } catch (e) {
    if (isMissingPackage(e, pkg)) throw new MissingSdkError(missingSdkMessage(pkg, user));
    throw e;
  }
}
