import * as pulumi from "@pulumi/pulumi";
import { AzureMachineArgs } from "../../args";
import { checkPattern } from "../../checks";
import { Checker, InputError } from "../../inputs";
import { sourceFields } from "../fields";

export const DEFAULT_LOCATION = "eastus";
export const DEFAULT_VM_SIZE = "Standard_B2s";
export const DEFAULT_ADMIN_USERNAME = "dockerhost";
export const DEFAULT_IMAGE = "Canonical:ubuntu-24_04-lts:server:latest";

/** The `azure` inputs, checked, defaults filled in. */
export interface AzureInputs {
  location?: pulumi.Input<string>;
  resourceGroupName?: pulumi.Input<string>;
  vmSize: pulumi.Input<string>;
  adminUsername: pulumi.Input<string>;
  image?: pulumi.Input<string>;
  osDiskSizeGb?: pulumi.Input<number>;
  staticIp: boolean;
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  customData?: pulumi.Input<string>;
}

const LOCATION = /^[a-z][a-z0-9]*$/;
const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/u;
const VM_SIZE = /^[A-Za-z][A-Za-z0-9_]*$/;
const IMAGE = /^[^:\s]+:[^:\s]+:[^:\s]+:[^:\s]+$/;
const TAG_KEY = /^[^<>%&\\?/]{1,512}$/;
const ADMIN_USERNAME = /^[a-z_][a-z0-9_-]{0,31}$/;
/** User names Azure refuses for Linux VMs (OSProfile.adminUsername). */
const RESERVED_USERNAMES = new Set(
  "administrator admin user user1 test user2 test1 user3 admin1 1 123 a actuser adm admin2 aspnet backup console david guest john owner root server sql support support_388945a0 sys test2 test3 user4 user5".split(
    " ",
  ),
);

export function checkAdminUsername(path: string, value: unknown): void {
  checkPattern(
    path,
    value,
    ADMIN_USERNAME,
    "a Linux user name (lowercase letters, digits, '_' and '-', at most 32)",
  );
  if (typeof value === "string" && RESERVED_USERNAMES.has(value)) {
    throw new InputError(
      path,
      `${path} must not be one of the names Azure reserves (root, admin, administrator, user, test...), got "${value}"`,
    );
  }
}

/** Checks the `azure` inputs; every path starts with `azure.`. */
export function checkAzure(args: AzureMachineArgs, check: Checker): AzureInputs {
  const field = sourceFields("azure", check);
  field.flag("staticIp", args.staticIp);
  return {
    location: field.pattern(
      "location",
      args.location,
      LOCATION,
      'a location name such as "westeurope" (lowercase, no spaces)',
    ),
    resourceGroupName: field.pattern(
      "resourceGroupName",
      args.resourceGroupName,
      RESOURCE_GROUP,
      "a resource group name",
    ),
    vmSize: field.pattern(
      "vmSize",
      args.vmSize ?? DEFAULT_VM_SIZE,
      VM_SIZE,
      'a VM size such as "Standard_B2s"',
    ),
    adminUsername: field.custom(
      "adminUsername",
      args.adminUsername ?? DEFAULT_ADMIN_USERNAME,
      checkAdminUsername,
    ),
    image: field.pattern(
      "image",
      args.image,
      IMAGE,
      'an image "publisher:offer:sku:version" such as "' + DEFAULT_IMAGE + '"',
    ),
    osDiskSizeGb: field.integer("osDiskSizeGb", args.osDiskSizeGb, 30, 4095),
    staticIp: args.staticIp ?? false,
    tags: field.tags("tags", args.tags, TAG_KEY, "at most 512 characters, none of < > % & \\ ? /"),
    customData: field.userData("customData", args.customData),
  };
}
