import type * as Network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { cidrsByFamily, hostnameFor } from "../cidrs";
// The helpers every cloud source shares (keys, tags, the Machine shape).
import * as shared from "../cloud";
import { FirewallKind } from "../firewall";
import { Machine } from "../machine";
import { azureOptions, azureSdk } from "./sdk";
import { MachineContext } from "../source";
import { AzureInputs, DEFAULT_IMAGE, DEFAULT_LOCATION } from "./inputs";

/** The address space of the network DockerHost creates, and the VM's subnet in it. */
const ADDRESS_SPACE = "10.0.0.0/16";
const SUBNET_NAME = "default";
const SUBNET_PREFIX = "10.0.0.0/24";
/** The priority of DockerHost's first rule; the others follow in steps of 10 (at most four rules: 100 to 130). */
export const FIRST_RULE_PRIORITY = 100;
/**
 * In a given subnet, the priority of the rule that denies the rest of the virtual network: after DockerHost's
 * rules and a swarm's (1000 to 3999), before Azure's default AllowVnetInBound (65000).
 */
export const DENY_VNET_PRIORITY = 4000;

/** `publisher:offer:sku:version` as Azure's image reference. */
export function imageReference(
  image: string,
): Record<"publisher" | "offer" | "sku" | "version", string> {
  const [publisher = "", offer = "", sku = "", version = ""] = image.split(":");
  return { publisher, offer, sku, version };
}

/**
 * An Azure VM for DockerHost: Ubuntu 24.04 LTS (kept after the first deploy) in a virtual network of its own (or
 * the given subnet, its NIC in the given application security groups), a network security group on its NIC with
 * rules (resources of their own) admitting `allowedCidrs` only on 22 and the engine port (Azure's default rules
 * let outbound traffic out), a Standard static public IP, password login disabled, an RSA 4096 login key
 * (Azure accepts nothing else), the host key in custom data (which IMDS does not serve). A given resource group
 * is used and never changed.
 */
export function azureMachine(inputs: AzureInputs, ctx: MachineContext): Machine {
  const { name, parent } = ctx;
  const { compute, network, resources } = azureSdk(`DockerHost "${name}": the azure source`);
  shared.warnWorldOpen("azure", ctx.allowedCidrs, parent);
  const keys = shared.generateSshKeys(name, "RSA", parent);
  const tags = shared.defaultTags(name, inputs.tags);

  let resourceGroupName: pulumi.Output<string>;
  let location: pulumi.Output<string>;
  if (inputs.resourceGroupName !== undefined) {
    resourceGroupName = pulumi.output(inputs.resourceGroupName);
    location =
      inputs.location !== undefined
        ? pulumi.output(inputs.location)
        : resources.getResourceGroupOutput({ resourceGroupName }, { parent }).location;
  } else {
    const group = new resources.ResourceGroup(
      `${name}-rg`,
      { location: inputs.location ?? DEFAULT_LOCATION, tags },
      azureOptions({ parent }),
    );
    resourceGroupName = group.name;
    location = group.location;
  }
  const common = { resourceGroupName, location, tags };

  const families = cidrsByFamily(ctx.allowedCidrs);
  const ports: [string, pulumi.Input<string>][] = [
    ["ssh", "22"],
    ["engine", ctx.enginePort.apply(String)],
  ];
  // The rules are resources of their own, not the group's inline `securityRules`: a group that lists rules inline
  // deletes, on its next update after a refresh, every rule other components added (DockerSwarm does).
  const firewall = new network.NetworkSecurityGroup(
    `${name}-firewall`,
    common,
    azureOptions({ parent }),
  );
  // Azure rules take one address family each; the default rules deny other inbound and allow outbound traffic.
  const ruleSpecs = (["ipv4", "ipv6"] as const)
    .filter((family) => families[family].length > 0)
    .flatMap((family) => ports.map(([role, port]) => ({ family, role, port })));
  const rules: Network.SecurityRule[] = [];
  ruleSpecs.forEach(({ family, role, port }, i) => {
    const ruleName = `allow-${role}-${family}`;
    const previous = rules[rules.length - 1];
    rules.push(
      new network.SecurityRule(
        `${name}-${ruleName}`,
        {
          resourceGroupName,
          networkSecurityGroupName: firewall.name,
          securityRuleName: ruleName,
          priority: FIRST_RULE_PRIORITY + 10 * i,
          direction: "Inbound",
          access: "Allow",
          protocol: "Tcp",
          sourceAddressPrefixes: families[family],
          sourcePortRange: "*",
          destinationAddressPrefix: "*",
          destinationPortRange: port,
        },
        // Azure changes a group's rules one at a time (AnotherOperationInProgress otherwise): one after the other.
        azureOptions({ parent, dependsOn: previous !== undefined ? [previous] : [] }),
      ),
    );
  });
  // A given subnet (azure.subnetId) is used as it is; else a network of the host's own.
  let subnetId: pulumi.Output<string>;
  if (inputs.subnetId !== undefined) {
    subnetId = pulumi.output(inputs.subnetId);
    // Azure's default rules admit the whole virtual network (and networks peered or connected to it) on every
    // port, which in a network of the host's own is the host alone. In a shared one, only the rules above (and a
    // swarm's) admit anyone.
    rules.push(
      new network.SecurityRule(
        `${name}-deny-vnet`,
        {
          resourceGroupName,
          networkSecurityGroupName: firewall.name,
          securityRuleName: "deny-vnet",
          priority: DENY_VNET_PRIORITY,
          direction: "Inbound",
          access: "Deny",
          protocol: "*",
          sourceAddressPrefix: "VirtualNetwork",
          sourcePortRange: "*",
          destinationAddressPrefix: "*",
          destinationPortRange: "*",
        },
        azureOptions({ parent, dependsOn: rules.slice(-1) }),
      ),
    );
  } else {
    const vnet = new network.VirtualNetwork(
      `${name}-network`,
      {
        ...common,
        addressSpace: { addressPrefixes: [ADDRESS_SPACE] },
        subnets: [{ name: SUBNET_NAME, addressPrefix: SUBNET_PREFIX }],
      },
      azureOptions({ parent }),
    );
    subnetId = pulumi.interpolate`${vnet.id}/subnets/${SUBNET_NAME}`;
  }
  const publicIp = new network.PublicIPAddress(
    `${name}-public-ip`,
    {
      ...common,
      sku: { name: "Standard", tier: "Regional" },
      publicIPAllocationMethod: "Static",
      publicIPAddressVersion: "IPv4",
    },
    azureOptions({ parent }),
  );
  const nic = new network.NetworkInterface(
    `${name}-nic`,
    {
      ...common,
      networkSecurityGroup: { id: firewall.id },
      ipConfigurations: [
        {
          name: "ipconfig1",
          primary: true,
          subnet: { id: subnetId },
          publicIPAddress: { id: publicIp.id },
          privateIPAllocationMethod: "Dynamic",
          // Listed only when given, so that the NIC of a host without them keeps the inputs it had.
          ...(inputs.applicationSecurityGroupIds !== undefined
            ? {
                applicationSecurityGroups: pulumi
                  .output(inputs.applicationSecurityGroupIds)
                  .apply((ids) => ids.map((id) => ({ id }))),
              }
            : {}),
        },
      ],
    },
    azureOptions({
      parent,
      // The NIC takes the group once its rules are in place, so no rule change runs while Azure attaches it.
      dependsOn: rules,
      // Azure cannot move a NIC to another virtual network: a new subnet means a new NIC (and so a new VM),
      // shown as such by the preview rather than failing the update.
      replaceOnChanges: ["ipConfigurations[*].subnet.id"],
      // The public IP serves one NIC, and a NIC attached to a VM cannot be deleted: the old VM and NIC go first.
      deleteBeforeReplace: true,
    }),
  );

  const vm = new compute.VirtualMachine(
    `${name}-vm`,
    {
      ...common,
      hardwareProfile: { vmSize: inputs.vmSize },
      osProfile: {
        computerName: hostnameFor(name),
        adminUsername: inputs.adminUsername,
        customData: shared
          .userDataWithHostKey(keys.hostKey, inputs.customData)
          .apply((text) => Buffer.from(text, "utf8").toString("base64")),
        linuxConfiguration: {
          disablePasswordAuthentication: true,
          ssh: {
            publicKeys: [
              {
                path: pulumi.interpolate`/home/${inputs.adminUsername}/.ssh/authorized_keys`,
                keyData: keys.loginKey.publicKeyOpenssh.apply((k) => k.trim()),
              },
            ],
          },
        },
      },
      storageProfile: {
        imageReference: pulumi.output(inputs.image ?? DEFAULT_IMAGE).apply(imageReference),
        osDisk: {
          createOption: "FromImage",
          managedDisk: { storageAccountType: "StandardSSD_LRS" },
          diskSizeGB: inputs.osDiskSizeGb,
          deleteOption: "Delete",
        },
      },
      // The NIC is DockerHost's own resource: detached, not deleted, when the VM goes.
      networkProfile: { networkInterfaces: [{ id: nic.id, primary: true }] },
    },
    azureOptions({
      parent,
      // A NIC serves one VM: the old VM must be gone before a replacement can take it.
      deleteBeforeReplace: true,
      // Custom data is read on the first boot only, and a VM's image is fixed: a change means a new VM.
      // A running VM's NIC cannot be swapped: a new NIC (a new subnet) means a new VM too.
      replaceOnChanges: [
        "osProfile.customData",
        "storageProfile.imageReference",
        "networkProfile.networkInterfaces[*].id",
      ],
      // "latest" is resolved on the first deploy; the VM keeps that image version.
      ...(inputs.image === undefined
        ? { ignoreChanges: ["storageProfile.imageReference.version"] }
        : {}),
    }),
  );

  const address = publicIp.ipAddress.apply((ip) => {
    if (ip === undefined || ip === "") {
      throw new Error(`DockerHost "${name}": Azure assigned no address to ${name}-public-ip`);
    }
    return ip;
  });
  return shared.cloudMachine({
    address,
    privateIp: nic.ipConfigurations.apply((c) => c?.[0]?.privateIPAddress ?? ""),
    user: inputs.adminUsername,
    keys,
    dependsOn: [vm, firewall, ...rules, nic, publicIp],
    firewall: {
      kind: FirewallKind.Azure,
      resourceGroupName,
      // Published once DockerHost's own rules exist: rules others add to the group then never race with them.
      networkSecurityGroupName: pulumi
        .all([firewall.name, pulumi.all(rules.map((r) => r.id))])
        .apply(([groupName]) => groupName),
      subnetId: pulumi.output(inputs.subnetId ?? ""),
      applicationSecurityGroupIds: pulumi
        .output(inputs.applicationSecurityGroupIds ?? [])
        .apply((ids) => ids.join(",")),
    },
  });
}
