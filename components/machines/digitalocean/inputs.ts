import * as pulumi from "@pulumi/pulumi";
import { DigitalOceanMachineArgs } from "../../args";
import { checkBoolean, checkPattern } from "../../checks";
import { Checker, InputError } from "../../inputs";
import { checkUserData } from "../cloudInit";

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
const TAG = /^[A-Za-z0-9_:-]{1,255}$/;

function checkTags(value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((t) => typeof t !== "string" || !TAG.test(t))) {
    throw new InputError(
      "digitalocean.tags",
      `digitalocean.tags must be a list of tags made of letters, digits, ':', '-' and '_' (at most 255), got ${JSON.stringify(value)}`,
    );
  }
}

/** Checks the `digitalocean` inputs; every path starts with `digitalocean.`. */
export function checkDigitalOcean(
  args: DigitalOceanMachineArgs,
  check: Checker,
): DigitalOceanInputs {
  const pattern = (input: string, re: RegExp, what: string) => (v: unknown) => {
    checkPattern(`digitalocean.${input}`, v, re, what);
  };
  const flag = (input: string) => (v: unknown) => {
    checkBoolean(`digitalocean.${input}`, v);
  };
  check(args.staticIp, flag("staticIp"));
  return {
    region: check(
      args.region ?? DEFAULT_REGION,
      pattern("region", REGION, 'a region slug such as "nyc3" or "ams3"'),
    ),
    size: check(
      args.size ?? DEFAULT_SIZE,
      pattern("size", SLUG, 'a size slug such as "s-1vcpu-2gb"'),
    ),
    image: check(
      args.image ?? DEFAULT_IMAGE,
      pattern("image", IMAGE, 'an image slug such as "ubuntu-24-04-x64" or an image id'),
    ),
    vpcUuid: check(args.vpcUuid, pattern("vpcUuid", UUID, "a VPC UUID")),
    staticIp: args.staticIp ?? false,
    ipv6: check(args.ipv6 ?? false, flag("ipv6")),
    monitoring: check(args.monitoring ?? false, flag("monitoring")),
    tags: check(args.tags, checkTags),
    userData: check(args.userData, (v) => {
      checkUserData("digitalocean.userData", v);
    }),
  };
}
