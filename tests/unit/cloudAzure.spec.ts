import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { DockerHostArgs } from "../../components";
import {
  capturingWarnings,
  coreInventory,
  deploy,
  Deployed,
  installCloudMocks,
  inventory,
} from "./helpers/cloud";
import { fakeKey, isSecretValue, registeredUrns, unwrapSecret, valueOf } from "./helpers/mocks";
import { CLOUD_IPS, invoked } from "./helpers/cloudMocks";
import { azureOptions, azureSdk } from "../../components/machines/azure/sdk";

const CIDRS = ["198.51.100.0/24", "203.0.113.7/32", "2001:db8::/32"];
const args = (
  azure: DockerHostArgs["azure"] = {},
  extra: Partial<DockerHostArgs> = {},
): DockerHostArgs => ({
  azure,
  allowedCidrs: CIDRS,
  ...extra,
});
type Rule = Record<string, unknown>;
/** DockerHost's own rules in its NSG, in priority order. */
const securityRules = (d: Deployed): Rule[] =>
  d
    .ofType("azure-native:network:SecurityRule")
    .map((r) => r.inputs)
    .sort((x, y) => Number(x.priority) - Number(y.priority));

describe("azure machine source (mocks)", () => {
  before(installCloudMocks);

  it("creates a resource group, an NSG, a network, a static public IP, a NIC and the VM; all under the DockerHost", async () => {
    const d = await deploy("azgraph", args());
    assert.deepEqual(
      inventory(d),
      [
        ...coreInventory("azgraph"),
        "azure-native:compute:VirtualMachine azgraph-vm",
        "azure-native:network:NetworkInterface azgraph-nic",
        "azure-native:network:NetworkSecurityGroup azgraph-firewall",
        "azure-native:network:PublicIPAddress azgraph-public-ip",
        "azure-native:network:SecurityRule azgraph-allow-engine-ipv4",
        "azure-native:network:SecurityRule azgraph-allow-engine-ipv6",
        "azure-native:network:SecurityRule azgraph-allow-ssh-ipv4",
        "azure-native:network:SecurityRule azgraph-allow-ssh-ipv6",
        "azure-native:network:VirtualNetwork azgraph-network",
        "azure-native:resources:ResourceGroup azgraph-rg",
      ].sort(),
    );
    for (const urn of registeredUrns().filter((u) => /::azgraph-/.test(u))) {
      assert.match(urn, /::docker-host:index:DockerHost\$/, urn);
    }
    assert.equal(d.byName("rg").inputs.location, "eastus");
    for (const r of d.mine.filter(
      (x) => x.type.startsWith("azure-native:") && !x.name.endsWith("-rg"),
    )) {
      assert.equal(r.inputs.resourceGroupName, "azgraph-rg-name", `${r.name} is in the new group`);
      // A rule lives in its security group, which has the location.
      const location = r.type.endsWith(":SecurityRule") ? undefined : "eastus";
      assert.equal(r.inputs.location, location, `${r.name} is in the group's location`);
    }
  });

  it("puts an NSG on the NIC that admits exactly allowedCidrs on 22 and the engine port, per address family", async () => {
    const d = await deploy("az-rules", args({}, { engine: { port: 2377 } }));
    const rules = securityRules(d);
    assert.deepEqual(
      rules.map((r) => [
        r.securityRuleName,
        r.priority,
        r.direction,
        r.access,
        r.protocol,
        r.destinationPortRange,
        r.sourceAddressPrefixes,
      ]),
      [
        [
          "allow-ssh-ipv4",
          100,
          "Inbound",
          "Allow",
          "Tcp",
          "22",
          ["198.51.100.0/24", "203.0.113.7/32"],
        ],
        [
          "allow-engine-ipv4",
          110,
          "Inbound",
          "Allow",
          "Tcp",
          "2377",
          ["198.51.100.0/24", "203.0.113.7/32"],
        ],
        ["allow-ssh-ipv6", 120, "Inbound", "Allow", "Tcp", "22", ["2001:db8::/32"]],
        ["allow-engine-ipv6", 130, "Inbound", "Allow", "Tcp", "2377", ["2001:db8::/32"]],
      ],
    );
    for (const r of rules) {
      assert.equal(r.sourceAddressPrefix, undefined, "no catch-all source");
      assert.equal(r.networkSecurityGroupName, "az-rules-firewall-name");
    }
    // Rules of their own, not inline: an inline list would delete, after a refresh, the rules a swarm adds.
    assert.equal(d.byName("firewall").inputs.securityRules, undefined);
    // Azure changes one group's rules one at a time: each rule waits for the previous one, the NIC for all.
    const names = ["allow-ssh-ipv4", "allow-engine-ipv4", "allow-ssh-ipv6", "allow-engine-ipv6"];
    names.slice(1).forEach((name, i) => {
      assert.ok(d.options(name).dependencies.includes(d.options(names[i] ?? "").urn), name);
    });
    for (const name of names)
      assert.ok(
        d.options("nic").dependencies.includes(d.options(name).urn),
        `the NIC waits for ${name}`,
      );
    const firewall = d.host.firewall;
    assert.equal(firewall.kind, "azure");
    assert.equal(await valueOf(firewall.resourceGroupName), "az-rules-rg-name");
    assert.equal(await valueOf(firewall.networkSecurityGroupName), "az-rules-firewall-name");
    assert.equal(await valueOf(firewall.securityGroupId), "");
    assert.equal(await valueOf(firewall.dropletId), "");
    const nic = d.byName("nic").inputs;
    assert.deepEqual(nic.networkSecurityGroup, { id: "az-rules-firewall-id" });
    const ipConfig = (nic.ipConfigurations as (Rule | undefined)[])[0];
    assert.ok(ipConfig);
    assert.deepEqual(ipConfig.publicIPAddress, { id: "az-rules-public-ip-id" });
    assert.deepEqual(ipConfig.subnet, { id: "az-rules-network-id/subnets/default" });
    const ip = d.byName("public-ip").inputs;
    assert.deepEqual(
      [ip.sku, ip.publicIPAllocationMethod],
      [{ name: "Standard", tier: "Regional" }, "Static"],
    );
  });

  it("disables password login, logs in with an RSA 4096 key, pins the ED25519 host key from custom data", async () => {
    const d = await deploy("az-pin", args({ adminUsername: "ops" }));
    assert.deepEqual(d.byName("ssh-login-key").inputs, { algorithm: "RSA", rsaBits: 4096 });
    assert.equal(d.byName("ssh-host-key").inputs.algorithm, "ED25519");
    // Custom data is secret, so the whole osProfile is.
    assert.ok(isSecretValue(d.byName("vm").inputs.osProfile));
    const os = unwrapSecret(d.byName("vm").inputs.osProfile) as Record<string, unknown>;
    assert.equal(os.adminUsername, "ops");
    assert.equal(os.computerName, "az-pin");
    assert.deepEqual(os.linuxConfiguration, {
      disablePasswordAuthentication: true,
      ssh: {
        publicKeys: [
          {
            path: "/home/ops/.ssh/authorized_keys",
            keyData: "ssh-ed25519 AAAAPUBLICaz-pin-ssh-login-key",
          },
        ],
      },
    });
    const customData = Buffer.from(String(os.customData), "base64").toString("utf8");
    assert.match(customData, /^#cloud-config\n/);
    assert.ok(customData.includes("SECRET-BODY-az-pin-ssh-host-key-openssh"));
    const c = d.connection();
    assert.deepEqual(
      [c.host, c.user, c.hostKey, c.dialErrorLimit, c.privateKey],
      [
        CLOUD_IPS.azurePublic,
        "ops",
        "ssh-ed25519 AAAAPUBLICaz-pin-ssh-host-key",
        32,
        fakeKey("az-pin-ssh-login-key-openssh"),
      ],
    );
  });

  it("boots Ubuntu 24.04 LTS and keeps the resolved image version; the VM replaces delete-first", async () => {
    const d = await deploy("az-img", args({ osDiskSizeGb: 64, vmSize: "Standard_D2s_v5" }));
    const vm = d.byName("vm").inputs;
    assert.deepEqual((vm.hardwareProfile as Rule).vmSize, "Standard_D2s_v5");
    const storage = vm.storageProfile as { imageReference: Rule; osDisk: Rule };
    assert.deepEqual(storage.imageReference, {
      publisher: "Canonical",
      offer: "ubuntu-24_04-lts",
      sku: "server",
      version: "latest",
    });
    assert.deepEqual(
      [storage.osDisk.createOption, storage.osDisk.diskSizeGB, storage.osDisk.deleteOption],
      ["FromImage", 64, "Delete"],
    );
    assert.deepEqual(vm.networkProfile, {
      networkInterfaces: [{ id: "az-img-nic-id", primary: true }],
    });
    const options = d.options("vm");
    assert.deepEqual(options.ignoreChanges, ["storageProfile.imageReference.version"]);
    assert.deepEqual(options.replaceOnChanges, [
      "osProfile.customData",
      "storageProfile.imageReference",
      "networkProfile.networkInterfaces[*].id",
    ]);
    assert.equal(options.deleteBeforeReplace, true);

    const own = await deploy(
      "az-img2",
      args({ image: "Canonical:ubuntu-24_04-lts:server:24.04.202501010" }),
    );
    const ref = (own.byName("vm").inputs.storageProfile as { imageReference: Rule }).imageReference;
    assert.equal(ref.version, "24.04.202501010");
    assert.deepEqual(own.options("vm").ignoreChanges, [], "an explicit image is followed");
  });

  it("uses a given resource group (and its location) without creating or changing it", async () => {
    const d = await deploy("az-group", args({ resourceGroupName: "platform" }));
    assert.equal(
      d.mine.some((r) => r.type === "azure-native:resources:ResourceGroup"),
      false,
    );
    assert.ok(
      invoked.some(
        (i) =>
          i.token === "azure-native:resources:getResourceGroup" &&
          i.inputs.resourceGroupName === "platform",
      ),
    );
    for (const r of d.mine.filter((x) => x.type.startsWith("azure-native:"))) {
      // A rule lives in its group, which has the location.
      const location = r.type.endsWith(":SecurityRule") ? undefined : "westeurope";
      assert.deepEqual(
        [r.inputs.resourceGroupName, r.inputs.location],
        ["platform", location],
        r.name,
      );
    }
    const placed = await deploy(
      "az-rg2",
      args({ resourceGroupName: "platform", location: "northeurope" }),
    );
    assert.equal(placed.byName("vm").inputs.location, "northeurope");
  });

  it("outputs the static public IP as address and publicIp, the NIC's private IP, SANs for both; tags everything", async () => {
    const d = await deploy("az-out", args({ staticIp: true, tags: { team: "web" } }));
    assert.equal(await valueOf(d.host.address), CLOUD_IPS.azurePublic);
    assert.equal(await valueOf(d.host.publicIp), CLOUD_IPS.azurePublic);
    assert.equal(await valueOf(d.host.privateIp), CLOUD_IPS.azurePrivate);
    assert.equal(await valueOf(d.host.sshUser), "dockerhost");
    assert.equal(await pulumi.isSecret(d.host.sshPrivateKey), true);
    assert.deepEqual(d.byName("server-csr").inputs.ipAddresses, [
      "10.0.0.4",
      "127.0.0.1",
      "203.0.113.40",
    ]);
    // Security rules take no tags.
    for (const r of d.mine.filter(
      (x) => x.type.startsWith("azure-native:") && !x.type.endsWith(":SecurityRule"),
    )) {
      assert.deepEqual(
        r.inputs.tags,
        { "docker-host": "az-out", "managed-by": "pulumi", team: "web" },
        r.name,
      );
    }
    for (const suffix of ["vm", "firewall", "nic", "public-ip"]) {
      assert.ok(
        d.options("wait").dependencies.includes(d.options(suffix).urn),
        `wait waits for ${suffix}`,
      );
    }
  });

  it("merges the user's custom data and warns about a world-open range", async () => {
    const warnings = await capturingWarnings(async () => {
      const d = await deploy(
        "az-ud",
        args({ customData: "#cloud-config\npackages: [htop]\n" }, { allowedCidrs: ["0.0.0.0/0"] }),
      );
      const os = unwrapSecret(d.byName("vm").inputs.osProfile) as Record<string, unknown>;
      const text = Buffer.from(String(os.customData), "base64").toString("utf8");
      assert.match(text, /^Content-Type: multipart\/mixed/);
      assert.ok(text.includes("#cloud-config\npackages: [htop]\n"));
      const rules = securityRules(d);
      assert.deepEqual(
        rules.map((r) => r.sourceAddressPrefixes),
        [["0.0.0.0/0"], ["0.0.0.0/0"]],
      );
    });
    assert.ok(
      warnings.some((w) => w.includes("allowedCidrs includes 0.0.0.0/0")),
      warnings.join("\n"),
    );
  });
});

describe("azure resource options", () => {
  before(installCloudMocks);

  /** The aliases the SDK turned into URNs for a resource (its internal list). */
  const aliasCount = (r: pulumi.Resource) =>
    (r as unknown as { __aliases: unknown[] }).__aliases.length;
  const ruleArgs = {
    resourceGroupName: "rg",
    networkSecurityGroupName: "nsg",
    direction: "Inbound",
    access: "Allow",
    protocol: "Tcp",
    priority: 100,
  };

  it("drop Azure Native's API-version type aliases and keep the others", () => {
    const { network } = azureSdk("test");
    // Without the options, the SDK's own aliases: one per API version of the type.
    assert.ok(aliasCount(new network.SecurityRule("alias-sdk", ruleArgs)) >= 20);
    const rule = new network.SecurityRule(
      "alias-ours",
      ruleArgs,
      azureOptions({
        aliases: [{ name: "alias-old" }, { type: "azure-native:network:OtherRule" }],
      }),
    );
    assert.equal(aliasCount(rule), 2);
  });
});
