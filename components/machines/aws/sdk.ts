import { loadOptionalSdk } from "../sdk";

/** The aws source's SDK. */
export function awsSdk(user: string): typeof import("@pulumi/aws") {
  // A synchronous require: the SDK is needed inside a constructor, and only when that cloud is used.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return loadOptionalSdk(
    "@pulumi/aws",
    user,
    () => require("@pulumi/aws") as typeof import("@pulumi/aws"),
  );
}
