import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import { DockerHost, DockerHostArgs, FirewallKind } from "../../components";
import {
  ASG_ID,
  checkGroupId,
  SUBNET_ID,
  virtualNetworkOf,
} from "../../components/machines/azure/inputs";
import { AZURE_PRIORITY_MAX, azurePriority } from "../../components/machines/azure/swarm";
import { deploy, deploymentError, installCloudMocks } from "./helpers/cloud";
import { registeredUnder, settle, valueOf } from "./helpers/mocks";

// An Azure DockerHost in a given subnet (azure.subnetId), its NIC in application security groups
// (azure.applicationSecurityGroupIds): no network of its own, so that hosts share one virtual network.

const CIDRS = ["198.51.100.0/24"];
const unsafe = (value: unknown) => value as never; // what a YAML or Python caller can send
const NET = "/subscriptions/0000-1111/resourceGroups/net-rg/providers/Microsoft.Network";
const SUBNET = `${NET}/virtualNetworks/swarm-vnet/subnets/hosts`;
const ASG = `${NET}/applicationSecurityGroups/swarm-asg`;
const ASG2 = `${NET}/applicationSecurityGroups/web`;
const args = (azure: DockerHostArgs["azure"]): DockerHostArgs => ({
  azure,
  allowedCidrs: CIDRS,
});

describe("azure machine source in a given subnet (mocks)", () => {
  before(installCloudMocks);

  it("creates no virtual network; the NIC is in the subnet and joins the groups; the firewall output says so", async () => {
    const d = await deploy(
      "azsub",
      args({ subnetId: SUBNET, applicationSecurityGroupIds: [ASG, ASG2] }),
    );
    assert.deepEqual(d.ofType("azure-native:network:VirtualNetwork"), [], "no network of its own");
    const configs = d.byName("nic").inputs.ipConfigurations as Record<string, unknown>[];
    const [config, more] = configs;
    assert.ok(config !== undefined && more === undefined, "one IP configuration");
    assert.deepEqual(config.subnet, { id: SUBNET });
    assert.deepEqual(config.applicationSecurityGroups, [{ id: ASG }, { id: ASG2 }]);
    const firewall = d.host.firewall;
    assert.equal(firewall.kind, FirewallKind.Azure);
    assert.equal(await valueOf(firewall.subnetId), SUBNET);
    assert.equal(await valueOf(firewall.applicationSecurityGroupIds), `${ASG},${ASG2}`);
    assert.match(
      await valueOf(d.host.privateIp),
      /^10\.1\./,
      "an address of its own in the subnet",
    );
  });

  it("denies the rest of the shared network after its own rules and a swarm's, before Azure's AllowVnetInBound", async () => {
    const d = await deploy("azsubdeny", args({ subnetId: SUBNET }));
    const rules = d
      .ofType("azure-native:network:SecurityRule")
      .map((r) => r.inputs)
      .sort((x, y) => Number(x.priority) - Number(y.priority));
    assert.deepEqual(
      rules.map((r) => [r.securityRuleName, r.priority, r.access]),
      [
        ["allow-ssh-ipv4", 100, "Allow"],
        ["allow-engine-ipv4", 110, "Allow"],
        ["deny-vnet", 4000, "Deny"],
      ],
    );
    const deny = rules[2] ?? {};
    assert.deepEqual(
      [deny.direction, deny.protocol, deny.sourceAddressPrefix, deny.destinationPortRange],
      ["Inbound", "*", "VirtualNetwork", "*"],
    );
    assert.ok(azurePriority("any/stack/swarm") + 1 <= AZURE_PRIORITY_MAX);
    assert.ok(Number(deny.priority) > AZURE_PRIORITY_MAX, "after every swarm rule");
    // One change at a time in the group; the NIC takes it once every rule is in place.
    assert.ok(d.options("deny-vnet").dependencies.includes(d.options("allow-engine-ipv4").urn));
    assert.ok(d.options("nic").dependencies.includes(d.options("deny-vnet").urn));
    const own = await deploy("azsubnodeny", args({}));
    assert.equal(
      own.ofType("azure-native:network:SecurityRule").filter((r) => r.inputs.access === "Deny")
        .length,
      0,
      "a network of its own holds the host alone: nothing to deny",
    );
  });

  it("a new subnet replaces the NIC and so the VM: the preview shows a replacement, not a failed update", async () => {
    const d = await deploy("azsubrep", args({ subnetId: SUBNET }));
    assert.deepEqual(d.options("nic").replaceOnChanges, ["ipConfigurations[*].subnet.id"]);
    assert.equal(
      d.options("nic").deleteBeforeReplace,
      true,
      "the public IP serves one NIC at a time",
    );
    assert.ok(
      d.options("vm").replaceOnChanges.includes("networkProfile.networkInterfaces[*].id"),
      "a new NIC means a new VM",
    );
    assert.equal(d.options("vm").deleteBeforeReplace, true, "the old VM lets go of its NIC first");
    const configs = d.byName("nic").inputs.ipConfigurations as Record<string, unknown>[];
    assert.equal(configs[0]?.applicationSecurityGroups, undefined, "no group unless given");
    assert.equal(await valueOf(d.host.firewall.applicationSecurityGroupIds), "");
  });

  it("without subnetId: a network of its own as before, the NIC's inputs unchanged, empty subnet and groups", async () => {
    const d = await deploy("azsubnone", args({}));
    assert.equal(d.ofType("azure-native:network:VirtualNetwork").length, 1);
    const configs = d.byName("nic").inputs.ipConfigurations as Record<string, unknown>[];
    assert.deepEqual(Object.keys(configs[0] ?? {}).sort(), [
      "name",
      "primary",
      "privateIPAllocationMethod",
      "publicIPAddress",
      "subnet",
    ]);
    assert.equal(await valueOf(d.host.firewall.subnetId), "");
    assert.equal(await valueOf(d.host.firewall.applicationSecurityGroupIds), "");
  });

  it("other kinds' firewall outputs have empty subnet and groups", async () => {
    const d = await deploy("azsubdo", { digitalocean: {}, allowedCidrs: CIDRS });
    assert.equal(await valueOf(d.host.firewall.subnetId), "");
    assert.equal(await valueOf(d.host.firewall.applicationSecurityGroupIds), "");
  });

  const refused: [string, DockerHostArgs["azure"], string][] = [
    [
      "a subnetId that is not a subnet's resource id",
      { subnetId: "hosts" },
      'azure.subnetId must be a subnet\'s resource id (/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/VNET/subnets/SUBNET), got "hosts"',
    ],
    [
      "a virtual network's id as subnetId",
      { subnetId: `${NET}/virtualNetworks/swarm-vnet` },
      `azure.subnetId must be a subnet's resource id (/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/VNET/subnets/SUBNET), got "${NET}/virtualNetworks/swarm-vnet"`,
    ],
    [
      "application security groups without subnetId",
      { applicationSecurityGroupIds: [ASG] },
      "azure.applicationSecurityGroupIds requires azure.subnetId: every NIC of an application security group must be in one virtual network, and without subnetId each host has a virtual network of its own",
    ],
    [
      "a group id of another type",
      { subnetId: SUBNET, applicationSecurityGroupIds: [ASG, `${NET}/networkSecurityGroups/nsg`] },
      `azure.applicationSecurityGroupIds[1] must be an application security group's resource id (/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.Network/applicationSecurityGroups/NAME), got "${NET}/networkSecurityGroups/nsg"`,
    ],
    [
      "one group id instead of a list",
      { subnetId: SUBNET, applicationSecurityGroupIds: unsafe(ASG) },
      `azure.applicationSecurityGroupIds must be a list of application security groups' resource ids, got "${ASG}"`,
    ],
  ];
  refused.forEach(([label, azure, message], i) => {
    it(`refuses ${label} before any resource`, async () => {
      const name = `azsubbad${String(i)}`;
      assert.throws(() => new DockerHost(name, args(azure)), {
        message: `DockerHost "${name}": ${message}`,
      });
      await settle();
      assert.deepEqual(registeredUnder(name).mine, []);
    });
  });

  it("takes the groups as an output (a list only known later)", async () => {
    const d = await deploy(
      "azsubout",
      args({ subnetId: pulumi.output(SUBNET), applicationSecurityGroupIds: pulumi.output([ASG]) }),
    );
    const [config] = d.byName("nic").inputs.ipConfigurations as Record<string, unknown>[];
    assert.deepEqual(config?.applicationSecurityGroups, [{ id: ASG }]);
    assert.equal(await valueOf(d.host.firewall.applicationSecurityGroupIds), ASG);
  });

  it("an empty list needs no subnetId", async () => {
    const d = await deploy("azsubempty", args({ applicationSecurityGroupIds: [] }));
    assert.equal(d.ofType("azure-native:network:VirtualNetwork").length, 1);
    assert.equal(await valueOf(d.host.firewall.applicationSecurityGroupIds), "");
  });

  it("fails the deployment with the same message for a group id known only later", async () => {
    const host = new DockerHost(
      "azsublater",
      args({
        subnetId: SUBNET,
        applicationSecurityGroupIds: [pulumi.output("swarm-asg")],
      }),
    );
    const error = await deploymentError(host);
    assert.ok(
      error.message.endsWith(
        `DockerHost "azsublater": azure.applicationSecurityGroupIds[0] must be an application security group's resource id (/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.Network/applicationSecurityGroups/NAME), got "swarm-asg"`,
      ),
      error.message,
    );
  });
});

describe("Azure resource ids (generative)", () => {
  const segment = fc.stringMatching(/^[A-Za-z0-9._()-]{1,20}$/);
  const provider = fc.constantFrom("Microsoft.Network", "microsoft.network", "MICROSOFT.NETWORK");

  it("a subnet's id passes whatever the case of its provider segments; its network is the id up to /subnets/", () => {
    fc.assert(
      fc.property(segment, segment, provider, segment, segment, (sub, rg, p, vnet, subnet) => {
        const network = `/subscriptions/${sub}/resourceGroups/${rg}/providers/${p}/virtualNetworks/${vnet}`;
        const id = `${network}/subnets/${subnet}`;
        assert.ok(SUBNET_ID.test(id), id);
        assert.ok(SUBNET_ID.test(id.toUpperCase()), "case-insensitive");
        assert.equal(virtualNetworkOf(id), network.toLowerCase());
        assert.equal(virtualNetworkOf(id.toUpperCase()), virtualNetworkOf(id));
        assert.ok(!SUBNET_ID.test(network), "a network is not a subnet");
        assert.ok(!SUBNET_ID.test(`${id}/x`), "nothing after the subnet");
        assert.ok(!ASG_ID.test(id), "a subnet is not a group");
      }),
    );
  });

  it("a group's id passes; anything with whitespace, a missing segment or another type fails, naming the path", () => {
    fc.assert(
      fc.property(segment, segment, provider, segment, (sub, rg, p, name) => {
        const id = `/subscriptions/${sub}/resourceGroups/${rg}/providers/${p}/applicationSecurityGroups/${name}`;
        checkGroupId("g", id);
        for (const bad of [
          `${id} `,
          id.replace(`/resourceGroups/${rg}`, ""),
          id.replace("applicationSecurityGroups", "networkSecurityGroups"),
          name,
        ]) {
          assert.throws(() => {
            checkGroupId("g", bad);
          }, /^InputError: g must be an application security group's resource id/);
        }
      }),
    );
    assert.throws(() => {
      checkGroupId("g", 7);
    }, /got 7$/);
  });
});
