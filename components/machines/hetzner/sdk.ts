import { loadOptionalSdk } from "../sdk";

/** The hetzner source's SDK. */
export type HcloudSdk = typeof import("@pulumi/hcloud");

/** The hetzner source's SDK (small: one module). */
export function hcloudSdk(user: string): HcloudSdk {
  return loadOptionalSdk(
    "@pulumi/hcloud",
    user,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => require("@pulumi/hcloud") as HcloudSdk,
  );
}
