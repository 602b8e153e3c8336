import * as pulumi from "@pulumi/pulumi";
import { AwsMachineArgs, PowerState } from "../../args";
import { checkBoolean } from "../../checks";
import { Checker, InputError } from "../../inputs";
import { sourceFields } from "../fields";

/** Canonical's AWS account, owner of the official Ubuntu AMIs (commercial regions). */
export const CANONICAL_OWNER = "099720109477";
export const DEFAULT_INSTANCE_TYPE = "t3.small";
export const DEFAULT_ROOT_VOLUME_GB = 20;
/** The AMI name pattern of Ubuntu 24.04 LTS (noble) on gp3, per architecture (`amd64`, `arm64`). */
export const ubuntuAmiName = (arch: string) =>
  `ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-${arch}-server-*`;

/** The `aws` inputs, checked (known values at once, Outputs when they resolve), defaults filled in. */
export interface AwsInputs {
  region?: pulumi.Input<string>;
  instanceType: pulumi.Input<string>;
  ami?: pulumi.Input<string>;
  subnetId?: pulumi.Input<string>;
  vpcId?: pulumi.Input<string>;
  rootVolumeSizeGb: pulumi.Input<number>;
  staticIp: boolean;
  spot: pulumi.Input<boolean>;
  iamInstanceProfile?: pulumi.Input<string>;
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  userData?: pulumi.Input<string>;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
const AMI = /^(ami-[0-9a-f]{8,17}|resolve:ssm:\/\S+)$/;
const SUBNET = /^subnet-[0-9a-f]{8,17}$/;
const VPC = /^vpc-[0-9a-f]{8,17}$/;
const PROFILE = /^[\w+=,.@-]{1,128}$/;
const TAG_KEY = /^(?!aws:)[\p{L}\p{N} _.:/=+\-@]{1,128}$/u;

/**
 * `aws.spot` with the power state: DockerHost's Spot instances are one-time requests, and EC2 stops a Spot
 * instance only when its request is persistent, so a Spot host cannot be `Stopped`.
 */
export function checkSpot(path: string, value: unknown, power: PowerState): void {
  checkBoolean(path, value);
  if (value === true && power === PowerState.Stopped) {
    throw new InputError(
      path,
      `${path} cannot be combined with power Stopped: EC2 cannot stop a one-time Spot instance (only those of a persistent request). Keep power Running, or remove ${path} (that replaces the instance) and then stop it`,
    );
  }
}

/** Checks the `aws` inputs for the power state asked for; every path starts with `aws.`. */
export function checkAws(args: AwsMachineArgs, check: Checker, power: PowerState): AwsInputs {
  const field = sourceFields("aws", check);
  field.flag("staticIp", args.staticIp);
  return {
    region: field.pattern("region", args.region, REGION, 'a region name such as "us-east-1"'),
    instanceType: field.pattern(
      "instanceType",
      args.instanceType ?? DEFAULT_INSTANCE_TYPE,
      INSTANCE_TYPE,
      'an instance type such as "t3.small"',
    ),
    ami: field.pattern("ami", args.ami, AMI, 'an AMI id such as "ami-0abcdef1234567890"'),
    subnetId: field.pattern("subnetId", args.subnetId, SUBNET, 'a subnet id "subnet-..."'),
    vpcId: field.pattern("vpcId", args.vpcId, VPC, 'a VPC id "vpc-..."'),
    rootVolumeSizeGb: field.integer(
      "rootVolumeSizeGb",
      args.rootVolumeSizeGb ?? DEFAULT_ROOT_VOLUME_GB,
      8,
      16384,
    ),
    staticIp: args.staticIp ?? false,
    spot: field.custom("spot", args.spot ?? false, (p, v) => {
      checkSpot(p, v, power);
    }),
    iamInstanceProfile: field.pattern(
      "iamInstanceProfile",
      args.iamInstanceProfile,
      PROFILE,
      "an instance profile name",
    ),
    tags: field.tags(
      "tags",
      args.tags,
      TAG_KEY,
      "up to 128 letters, digits, spaces and _.:/=+-@, not aws:",
    ),
    userData: field.userData("userData", args.userData),
  };
}
