import { loadOptionalSdk } from "../sdk";

/** The aws source's SDK. */
export function awsSdk(user: string): typeof import("@pulumi/aws") {
  // A synchronous require: the SDK is needed inside a constructor, and only when that cloud is used.
  return loadOptionalSdk(
    "@pulumi/aws",
    user,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => require("@pulumi/aws") as typeof import("@pulumi/aws"),
  );
}
