import { loadOptionalSdk } from "../sdk";

/** The digitalocean source's SDK. */
export function digitalOceanSdk(user: string): typeof import("@pulumi/digitalocean") {
  return loadOptionalSdk(
    "@pulumi/digitalocean",
    user,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => require("@pulumi/digitalocean") as typeof import("@pulumi/digitalocean"),
  );
}
