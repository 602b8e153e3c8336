import { loadOptionalSdk } from "../sdk";

/** The Compute Engine module of the gcp source's SDK (the whole @pulumi/gcp is far larger; it loads on its own). */
export type GcpCompute = typeof import("@pulumi/gcp/compute");

/** The gcp source's SDK: Compute Engine only. */
export function gcpComputeSdk(user: string): GcpCompute {
  return loadOptionalSdk(
    "@pulumi/gcp",
    user,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => require("@pulumi/gcp/compute") as GcpCompute,
  );
}
