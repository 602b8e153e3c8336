import * as pulumi from "@pulumi/pulumi";
import { AzureMachineArgs } from "../../args";
import { checkPattern, show } from "../../checks";
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
  /** An existing subnet for the NIC; undefined: a virtual network of the host's own. */
  subnetId?: pulumi.Input<string>;
  /** The application security groups the NIC joins (only with `subnetId`); undefined for none. */
  applicationSecurityGroupIds?: pulumi.Input<pulumi.Input<string>[]>;
}

const LOCATION = /^[a-z][a-z0-9]*$/;
const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/u;
const VM_SIZE = /^[A-Za-z][A-Za-z0-9_]*$/;
const IMAGE = /^[^:\s]+:[^:\s]+:[^:\s]+:[^:\s]+$/;
const TAG_KEY = /^[^<>%&\\?/]{1,512}$/;
/** One segment of a resource id: no '/', no whitespace. */
const SEGMENT = "[^/\\s]+";
/** A subnet's resource id; Azure's resource ids are case-insensitive, so are the provider's segments here. */
export const SUBNET_ID = new RegExp(
  `^/subscriptions/${SEGMENT}/resourceGroups/${SEGMENT}/providers/Microsoft\\.Network/virtualNetworks/${SEGMENT}/subnets/${SEGMENT}$`,
  "i",
);
/** An application security group's resource id. */
export const ASG_ID = new RegExp(
  `^/subscriptions/${SEGMENT}/resourceGroups/${SEGMENT}/providers/Microsoft\\.Network/applicationSecurityGroups/${SEGMENT}$`,
  "i",
);
export const SUBNET_ID_FORM =
  "a subnet's resource id (/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/VNET/subnets/SUBNET)";
export const ASG_ID_FORM =
  "an application security group's resource id (/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.Network/applicationSecurityGroups/NAME)";

/**
 * The virtual network of a subnet's resource id (the id up to `/subnets/`), lower case: Azure compares resource ids
 * without case.
 */
export function virtualNetworkOf(subnetId: string): string {
  return subnetId.replace(/\/subnets\/[^/]+$/i, "").toLowerCase();
}

/** One application security group's id, at `path`: a string of the form ASG_ID. */
export function checkGroupId(path: string, value: unknown): void {
  if (typeof value !== "string" || !ASG_ID.test(value)) {
    throw new InputError(path, `${path} must be ${ASG_ID_FORM}, got ${show(value)}`);
  }
}

/** A list of application security groups' ids, at `path`: each of the form ASG_ID. */
export function checkGroupIds(path: string, value: unknown): void {
  if (!Array.isArray(value)) {
    throw new InputError(
      path,
      `${path} must be a list of application security groups' resource ids, got ${show(value)}`,
    );
  }
  value.forEach((id, i) => {
    checkGroupId(`${path}[${String(i)}]`, id);
  });
}

/** `azure.applicationSecurityGroupIds`: only with `subnetId` (refused now); the ids checked when known. */
function groupIds<T>(value: T, subnetId: unknown, check: Checker): T {
  const path = "azure.applicationSecurityGroupIds";
  if (value === undefined) return value;
  const empty = Array.isArray(value) && value.length === 0;
  check(null, () => {
    if (subnetId === undefined && !empty) {
      throw new InputError(
        path,
        `${path} requires azure.subnetId: every NIC of an application security group must be in one virtual network, and without subnetId each host has a virtual network of its own`,
      );
    }
  });
  return check(value, (v) => {
    checkGroupIds(path, v);
  });
}

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
    subnetId: field.pattern("subnetId", args.subnetId, SUBNET_ID, SUBNET_ID_FORM),
    applicationSecurityGroupIds: groupIds(args.applicationSecurityGroupIds, args.subnetId, check),
  };
}
