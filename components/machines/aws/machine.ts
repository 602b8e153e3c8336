import * as pulumi from "@pulumi/pulumi";
import { PowerState } from "../../args";
import { InputError } from "../../inputs";
import { cidrName } from "../cidrs";
import {
  cloudMachine,
  defaultTags,
  generateSshKeys,
  userDataWithHostKey,
  warnWorldOpen,
} from "../cloud";
import { FirewallKind } from "../firewall";
import { Machine } from "../machine";
import { awsSdk } from "./sdk";
import { MachineContext } from "../source";
import { AwsInputs, CANONICAL_OWNER, ubuntuAmiName } from "./inputs";

type AwsSdk = ReturnType<typeof awsSdk>;

/**
 * An EC2 instance for DockerHost: Ubuntu 24.04 LTS (looked up for the instance type's architecture, then kept),
 * a security group of its own admitting `allowedCidrs` only on 22 and the engine port and open outbound, IMDSv2
 * with hop limit 1 (containers cannot read the user data), an encrypted gp3 root volume, the host key injected by
 * cloud-init, optionally an Elastic IP. A given subnet or VPC is used and never changed.
 */
export function awsMachine(inputs: AwsInputs, ctx: MachineContext): Machine {
  const { name, parent } = ctx;
  const aws = awsSdk(`DockerHost "${name}": the aws source`);
  const region = inputs.region !== undefined ? { region: inputs.region } : {};
  const tags = (role: string) => defaultTags(name, inputs.tags, { Name: `${name}-${role}` });
  warnWorldOpen("aws", ctx.allowedCidrs, parent);
  const keys = generateSshKeys(name, "ED25519", parent);
  const network = awsNetwork(aws, name, inputs, parent);

  const firewall = new aws.ec2.SecurityGroup(
    `${name}-firewall`,
    {
      description: "DockerHost: SSH and the Docker Engine API from allowedCidrs only",
      vpcId: network.vpcId,
      tags: tags("firewall"),
      ...region,
    },
    { parent },
  );
  const ports: [string, pulumi.Input<number>, string][] = [
    ["ssh", 22, "SSH"],
    ["engine", ctx.enginePort, "Docker Engine API (mutual TLS)"],
  ];
  const ingress = ctx.allowedCidrs.flatMap((cidr) =>
    ports.map(([role, port, what]) => {
      const ruleName = `${role}-from-${cidrName(cidr)}`;
      return new aws.vpc.SecurityGroupIngressRule(
        `${name}-${ruleName}`,
        {
          securityGroupId: firewall.id,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          ...(cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
          description: `${what} from ${cidr}`,
          tags: tags(ruleName),
          ...region,
        },
        { parent },
      );
    }),
  );
  // A security group made through the API has no egress rule: open it explicitly so installs work.
  const egress = (["ipv4", "ipv6"] as const).map(
    (family) =>
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-egress-all-${family}`,
        {
          securityGroupId: firewall.id,
          ipProtocol: "-1",
          ...(family === "ipv4" ? { cidrIpv4: "0.0.0.0/0" } : { cidrIpv6: "::/0" }),
          description: `All outbound traffic (${family}): package installs, image pulls`,
          tags: tags(`egress-all-${family}`),
          ...region,
        },
        { parent },
      ),
  );

  const login = new aws.ec2.KeyPair(
    `${name}-login`,
    { publicKey: keys.loginKey.publicKeyOpenssh, tags: tags("login"), ...region },
    { parent },
  );
  const instance = new aws.ec2.Instance(
    `${name}-vm`,
    {
      ami: inputs.ami ?? ubuntuAmi(aws, inputs.instanceType, inputs.region, parent),
      instanceType: inputs.instanceType,
      subnetId: network.subnetId,
      vpcSecurityGroupIds: [firewall.id],
      associatePublicIpAddress: true,
      keyName: login.keyName,
      iamInstanceProfile: inputs.iamInstanceProfile,
      userData: userDataWithHostKey(keys.hostKey, inputs.userData),
      // cloud-init reads user data on the first boot only: new user data means a new instance.
      userDataReplaceOnChange: true,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
      },
      rootBlockDevice: {
        volumeType: "gp3",
        volumeSize: inputs.rootVolumeSizeGb,
        encrypted: true,
        deleteOnTermination: true,
        tags: tags("root-volume"),
      },
      instanceMarketOptions: pulumi.output(inputs.spot).apply((spot) =>
        spot
          ? {
              marketType: "spot",
              spotOptions: {
                spotInstanceType: "one-time",
                instanceInterruptionBehavior: "terminate",
              },
            }
          : undefined,
      ),
      tags: tags("vm"),
      ...region,
    },
    {
      parent,
      dependsOn: egress,
      ignoreChanges: [
        // The looked-up AMI is kept after the first deploy: a newer one must not replace a running host.
        ...(inputs.ami === undefined ? ["ami"] : []),
        // The instance's groups are set at launch: its own group, for good (the group's VPC and description never
        // change without the instance being replaced too: a new VPC means a new subnet). A DockerSwarm attaches its
        // group to the primary network interface (NetworkInterfaceSecurityGroupAttachment); a refresh then reads
        // it back among vpcSecurityGroupIds, and without this the next update would write the list back without
        // it, detaching the swarm's group (the provider's note on that attachment: "conflicts ... spurious diffs").
        "vpcSecurityGroupIds",
        // The provider reads this from the primary interface's public IP association, which a stopped instance
        // does not have: after a refresh while stopped it reads false, and since it forces a new instance, the next
        // update would replace the host (hashicorp/terraform-provider-aws#33775). DockerHost always sets true.
        "associatePublicIpAddress",
      ],
    },
  );
  const staticIp = inputs.staticIp
    ? new aws.ec2.Eip(
        `${name}-static-ip`,
        { domain: "vpc", instance: instance.id, tags: tags("static-ip"), ...region },
        { parent },
      )
    : undefined;
  const running = ctx.power === PowerState.Running;
  const power = new aws.ec2transitgateway.InstanceState(
    `${name}-power`,
    {
      instanceId: instance.id,
      state: running ? "running" : "stopped",
      // A graceful stop: the OS shuts down (dockerd stops its containers, the file systems are flushed).
      force: false,
      ...region,
    },
    // A host deployed Stopped is provisioned first: its steps cannot reach a stopped instance.
    { parent, ...(running ? {} : { dependsOn: ctx.provisioned }) },
  );

  return cloudMachine({
    address: staticIp?.publicIp ?? publicAddress(aws, instance, power, running, ctx),
    privateIp: instance.privateIp,
    user: "ubuntu",
    keys,
    // Running: the steps (and the start check) wait until EC2 reports the instance running again.
    dependsOn: [
      instance,
      ...ingress,
      ...egress,
      ...(staticIp ? [staticIp] : []),
      ...(running ? [power] : []),
    ],
    powerState: power,
    firewall: {
      kind: FirewallKind.Aws,
      securityGroupId: firewall.id,
      region: firewall.region,
      networkInterfaceId: instance.primaryNetworkInterfaceId,
      vpcId: firewall.vpcId,
    },
  });
}

/**
 * The instance's public IP without an Elastic IP. EC2 gives a started instance a new one, and Pulumi's record of
 * the instance is not read again when only its power state changes: while running, the address is read from EC2
 * once the power state is applied (an invoke that depends on it), so the certificate and DOCKER_HOST follow a
 * start. While stopped the instance has none; the last address recorded stays (see docs/clouds.md).
 */
function publicAddress(
  aws: AwsSdk,
  instance: InstanceType<AwsSdk["ec2"]["Instance"]>,
  power: pulumi.Resource,
  running: boolean,
  ctx: MachineContext,
): pulumi.Output<string> {
  if (!running) return instance.publicIp;
  const region = instance.region;
  const now = aws.ec2.getInstanceOutput(
    { instanceId: instance.id, region },
    { parent: ctx.parent, dependsOn: [power] },
  );
  // Empty only while EC2 has not assigned one yet (a preview before the start): the recorded one then.
  return pulumi.all([now.publicIp, instance.publicIp]).apply(([current, recorded]) => {
    const read = (current as string | undefined) ?? "";
    return read !== "" ? read : recorded;
  });
}

/** The architecture of the Ubuntu image for an instance type: `amd64` or `arm64` (Graviton). */
export function ubuntuArch(instanceType: string, architectures: readonly string[]): string {
  if (architectures.includes("x86_64")) return "amd64";
  if (architectures.includes("arm64")) return "arm64";
  throw new InputError(
    "aws.instanceType",
    `aws.instanceType ${instanceType} supports ${architectures.join(", ") || "no architecture"}: the default Ubuntu image needs x86_64 or arm64; set aws.ami`,
  );
}

/** The newest Canonical Ubuntu 24.04 LTS AMI for the instance type's architecture. */
function ubuntuAmi(
  aws: AwsSdk,
  instanceType: pulumi.Input<string>,
  region: pulumi.Input<string> | undefined,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  const r = region !== undefined ? { region } : {};
  const type = aws.ec2.getInstanceTypeOutput({ instanceType, ...r }, { parent });
  const arch = pulumi
    .all([instanceType, type.supportedArchitectures])
    .apply(([t, archs]) => ubuntuArch(t, archs));
  return aws.ec2.getAmiOutput(
    {
      owners: [CANONICAL_OWNER],
      mostRecent: true,
      filters: [
        { name: "name", values: [arch.apply(ubuntuAmiName)] },
        { name: "architecture", values: [arch.apply((a) => (a === "arm64" ? "arm64" : "x86_64"))] },
        { name: "virtualization-type", values: ["hvm"] },
      ],
      ...r,
    },
    { parent },
  ).id;
}

/**
 * Where the instance goes: the given subnet (its VPC), else a subnet of the given VPC or of the default VPC (a
 * default-for-AZ subnet) in an availability zone that offers the instance type, the first by id. Read only.
 */
function awsNetwork(
  aws: AwsSdk,
  name: string,
  inputs: AwsInputs,
  parent: pulumi.Resource,
): { vpcId: pulumi.Output<string>; subnetId: pulumi.Output<string> } {
  const r = inputs.region !== undefined ? { region: inputs.region } : {};
  const fail = (path: string, message: string) =>
    new InputError(path, `DockerHost "${name}": ${message}`);
  if (inputs.subnetId !== undefined) {
    const subnet = aws.ec2.getSubnetOutput({ id: inputs.subnetId, ...r }, { parent });
    const vpcId = pulumi
      .all([inputs.vpcId, subnet.vpcId, inputs.subnetId])
      .apply(([wanted, actual, id]) => {
        if (wanted !== undefined && wanted !== actual) {
          throw fail(
            "aws.subnetId",
            `aws.subnetId ${id} is in ${actual}, not in aws.vpcId ${wanted}`,
          );
        }
        return actual;
      });
    return { vpcId, subnetId: pulumi.output(inputs.subnetId) };
  }
  const defaultVpc = inputs.vpcId === undefined;
  const vpcId = defaultVpc
    ? aws.ec2.getVpcOutput({ default: true, ...r }, { parent }).id
    : pulumi.output(inputs.vpcId as pulumi.Input<string>);
  const zones = pulumi
    .all([
      aws.ec2.getInstanceTypeOfferingsOutput(
        {
          locationType: "availability-zone",
          filters: [{ name: "instance-type", values: [inputs.instanceType] }],
          ...r,
        },
        { parent },
      ).locations,
      inputs.instanceType,
    ])
    .apply(([locations, type]) => {
      if (locations.length === 0)
        throw fail("aws.instanceType", `no availability zone of the region offers ${type}`);
      return [...locations].sort();
    });
  const subnets = aws.ec2.getSubnetsOutput(
    {
      filters: [
        { name: "vpc-id", values: [vpcId] },
        { name: "availability-zone", values: zones },
        ...(defaultVpc ? [{ name: "default-for-az", values: ["true"] }] : []),
      ],
      ...r,
    },
    { parent },
  );
  const subnetId = pulumi.all([subnets.ids, vpcId, zones]).apply(([ids, vpc, azs]) => {
    const first = [...ids].sort()[0];
    if (first === undefined) {
      throw fail(
        "aws.subnetId",
        `${vpc} has no subnet in ${azs.join(", ")} (the zones that offer the instance type): set aws.subnetId`,
      );
    }
    return first;
  });
  return { vpcId, subnetId };
}
