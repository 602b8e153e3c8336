import { PACKAGE_NAME, packageManifest } from "../manifest";

// The cloud SDKs are optional peer dependencies: a program that only adopts existing machines neither installs nor
// loads them (loading @pulumi/aws alone takes about a second). Each source loads its own (machines/<source>/sdk.ts)
// when a machine or a swarm firewall of its cloud is created; a missing one fails at once with the command that
// installs it.

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

/**
 * Loads a cloud's SDK (an optional peer dependency) through `require`; a missing one fails with the command that
 * installs it. `user` says who needs it, e.g. `DockerHost "web": the aws source`.
 */
export function loadOptionalSdk<T>(pkg: string, user: string, require: () => T): T {
  try {
    return require();
  } catch (e) {
    if (isMissingPackage(e, pkg)) throw new MissingSdkError(missingSdkMessage(pkg, user));
    throw e;
  }
}
