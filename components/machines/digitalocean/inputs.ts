import * as pulumi from "@pulumi/pulumi";
import { DigitalOceanMachineArgs } from "../../args";
import { Checker, InputError } from "../../inputs";
import { sourceFields } from "../fields";

export const DEFAULT_REGION = "nyc3";
export const DEFAULT_SIZE = "s-1vcpu-2gb";
export const DEFAULT_IMAGE = "ubuntu-24-04-x64";

/** The `digitalocean` inputs, checked, defaults filled in. */
export interface DigitalOceanInputs {
  region: pulumi.Input<string>;
  size: pulumi.Input<string>;
  image: pulumi.Input<string>;
  vpcUuid?: pulumi.Input<string>;
  staticIp: boolean;
  ipv6: pulumi.Input<boolean>;
  monitoring: pulumi.Input<boolean>;
  tags?: pulumi.Input<pulumi.Input<string>[]>;
  userData?: pulumi.Input<string>;
}

const REGION = /^[a-z]{3}\d$/;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const IMAGE = /^([a-z0-9]+([.-][a-z0-9]+)*|\d+)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A Droplet tag: letters, digits, `:`, `-` and `_`, at most 255 (DigitalOcean's rule). */
export const DROPLET_TAG = /^[A-Za-z0-9_:-]{1,255}$/;

function checkTags(path: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((t) => typeof t !== "string" || !DROPLET_TAG.test(t))) {
    throw new InputError(
      path,
      `${path} must be a list of tags made of letters, digits, ':', '-' and '_' (at most 255), got ${JSON.stringify(value)}`,
    );
  }
}

/** Checks the `digitalocean` inputs; every path starts with `digitalocean.`. */
export function checkDigitalOcean(
  args: DigitalOceanMachineArgs,
  check: Checker,
): DigitalOceanInputs {
  const field = sourceFields("digitalocean", check);
  field.flag("staticIp", args.staticIp);
  return {
    region: field.pattern(
      "region",
      args.region ?? DEFAULT_REGION,
      REGION,
      'a region slug such as "nyc3" or "ams3"',
    ),
    size: field.pattern(
      "size",
      args.size ?? DEFAULT_SIZE,
      SLUG,
      'a size slug such as "s-1vcpu-2gb"',
    ),
    image: field.pattern(
      "image",
      args.image ?? DEFAULT_IMAGE,
      IMAGE,
      'an image slug such as "ubuntu-24-04-x64" or an image id',
    ),
    vpcUuid: field.pattern("vpcUuid", args.vpcUuid, UUID, "a VPC UUID"),
    staticIp: args.staticIp ?? false,
    ipv6: field.flag("ipv6", args.ipv6 ?? false),
    monitoring: field.flag("monitoring", args.monitoring ?? false),
    tags: field.custom("tags", args.tags, checkTags),
    userData: field.userData("userData", args.userData),
  };
}
