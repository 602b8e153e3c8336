import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { DockerHostArgs } from "../../components";
import { firewallTagName } from "../../components/machines/digitalocean/machine";
import {
  capturingWarnings,
  coreInventory,
  deploy,
  installCloudMocks,
  inventory,
} from "./helpers/cloud";
import { fakeKey, isSecretValue, registeredUrns, unwrapSecret, valueOf } from "./helpers/mocks";
import { CLOUD_IPS } from "./helpers/cloudMocks";

const CIDRS = ["198.51.100.0/24", "2001:db8::/32"];
const args = (
  digitalocean: DockerHostArgs["digitalocean"] = {},
  extra: Partial<DockerHostArgs> = {},
): DockerHostArgs => ({ digitalocean, allowedCidrs: CIDRS, ...extra });
const EVERYWHERE = ["0.0.0.0/0", "::/0"];

describe("digitalocean machine source (mocks)", () => {
  before(installCloudMocks);

  it("creates a login key, a firewall with its tag, the Droplet; all under the DockerHost", async () => {
    const d = await deploy("dropgraph", args());
    assert.deepEqual(
      inventory(d),
      [
        ...coreInventory("dropgraph"),
        "digitalocean:index/droplet:Droplet dropgraph-vm",
        "digitalocean:index/firewall:Firewall dropgraph-firewall",
        "digitalocean:index/sshKey:SshKey dropgraph-login",
        "digitalocean:index/tag:Tag dropgraph-firewall-tag",
      ].sort(),
    );
    for (const urn of registeredUrns().filter((u) => /::dropgraph-/.test(u))) {
      assert.match(urn, /::docker-host:index:DockerHost\$/, urn);
    }
  });

  it("admits exactly allowedCidrs on 22 and the engine port; lets tcp, udp and icmp out everywhere", async () => {
    const d = await deploy("drop-rules", args({}, { engine: { port: 2377 } }));
    const firewall = d.byName("firewall").inputs;
    assert.deepEqual(firewall.inboundRules, [
      { protocol: "tcp", portRange: "22", sourceAddresses: CIDRS },
      { protocol: "tcp", portRange: "2377", sourceAddresses: CIDRS },
    ]);
    assert.deepEqual(firewall.outboundRules, [
      { protocol: "tcp", portRange: "1-65535", destinationAddresses: EVERYWHERE },
      { protocol: "udp", portRange: "1-65535", destinationAddresses: EVERYWHERE },
      { protocol: "icmp", destinationAddresses: EVERYWHERE },
    ]);
  });

  it("attaches the firewall to the Droplet before its first boot, by a tag unique to the host", async () => {
    const d = await deploy("drop-fw", args({ tags: ["env:test"] }));
    const tag = String(d.byName("firewall-tag").inputs.name);
    assert.equal(tag, firewallTagName("drop-fw", "project/stack/drop-fw"));
    assert.match(tag, /^docker-host-firewall:drop-fw-[0-9a-f]{10}$/);
    assert.deepEqual(d.byName("firewall").inputs.tags, [tag]);
    assert.deepEqual(d.byName("vm").inputs.tags, [
      "docker-host",
      "docker-host:drop-fw",
      tag,
      "env:test",
    ]);
    assert.ok(
      d.options("vm").dependencies.includes(d.options("firewall").urn),
      "the firewall exists first",
    );
    assert.ok(d.options("wait").dependencies.includes(d.options("firewall").urn));
    assert.notEqual(
      firewallTagName("drop-fw", "project/prod/drop-fw"),
      tag,
      "another stack, another tag",
    );
  });

  it("boots Ubuntu 24.04 with the host key in secret user data, pinned in the root SSH connection", async () => {
    const d = await deploy("drop-pin", args());
    const vm = d.byName("vm").inputs;
    assert.deepEqual(
      [vm.name, vm.image, vm.size, vm.region, vm.ipv6, vm.monitoring],
      ["drop-pin", "ubuntu-24-04-x64", "s-1vcpu-2gb", "nyc3", false, false],
    );
    assert.deepEqual(vm.sshKeys, ["fp:drop-pin-login"]);
    assert.equal(
      d.byName("login").inputs.publicKey,
      "ssh-ed25519 AAAAPUBLICdrop-pin-ssh-login-key",
    );
    assert.ok(isSecretValue(vm.userData));
    const userData = String(unwrapSecret(vm.userData));
    assert.ok(userData.includes("SECRET-BODY-drop-pin-ssh-host-key-openssh"));
    assert.ok(userData.includes('ed25519_public: "ssh-ed25519 AAAAPUBLICdrop-pin-ssh-host-key"'));
    const c = d.connection();
    assert.deepEqual(
      [c.host, c.user, c.hostKey, c.dialErrorLimit, c.privateKey],
      [
        CLOUD_IPS.doPublic,
        "root",
        "ssh-ed25519 AAAAPUBLICdrop-pin-ssh-host-key",
        32,
        fakeKey("drop-pin-ssh-login-key-openssh"),
      ],
    );
  });

  it("keeps the image after the first deploy; changing the image input replaces the Droplet on purpose", async () => {
    const d = await deploy("drop-img", args());
    assert.deepEqual(d.options("vm").ignoreChanges, ["image"]);
    assert.equal(d.options("vm").replacementTrigger, "ubuntu-24-04-x64");
    const own = await deploy(
      "drop-img2",
      args({ image: "ubuntu-22-04-x64", region: "ams3", size: "s-2vcpu-4gb" }),
    );
    assert.equal(own.options("vm").replacementTrigger, "ubuntu-22-04-x64");
    assert.deepEqual(
      [own.byName("vm").inputs.image, own.byName("vm").inputs.region, own.byName("vm").inputs.size],
      ["ubuntu-22-04-x64", "ams3", "s-2vcpu-4gb"],
    );
  });

  it("with staticIp: a reserved IP in the region is the address and a SAN", async () => {
    const d = await deploy("drop-ip", args({ staticIp: true, region: "fra1" }));
    assert.deepEqual(d.byName("static-ip").inputs, { region: "fra1", dropletId: 4242 });
    assert.equal(await valueOf(d.host.address), CLOUD_IPS.doReserved);
    assert.equal(await valueOf(d.host.publicIp), CLOUD_IPS.doReserved);
    assert.equal(await valueOf(d.host.dockerHost), `tcp://${CLOUD_IPS.doReserved}:2376`);
    assert.deepEqual(
      d.byName("server-csr").inputs.ipAddresses,
      ["127.0.0.1", CLOUD_IPS.doPrivate, CLOUD_IPS.doReserved].sort(),
    );
    assert.ok(d.options("wait").dependencies.includes(d.options("static-ip").urn));
  });

  it("with ipv6: the Droplet's IPv6 address becomes a SAN too; the outputs carry the IPs", async () => {
    const d = await deploy(
      "drop-v6",
      args({ ipv6: true, vpcUuid: "0eb7cba0-0f3a-4c61-a4c4-2a0a5e1f2b3c" }),
    );
    assert.equal(d.byName("vm").inputs.vpcUuid, "0eb7cba0-0f3a-4c61-a4c4-2a0a5e1f2b3c");
    assert.deepEqual(
      d.byName("server-csr").inputs.ipAddresses,
      ["127.0.0.1", CLOUD_IPS.doPrivate, CLOUD_IPS.doPublic, CLOUD_IPS.doIpv6].sort(),
    );
    assert.equal(await valueOf(d.host.publicIp), CLOUD_IPS.doPublic);
    assert.equal(await valueOf(d.host.privateIp), CLOUD_IPS.doPrivate);
    assert.equal(await valueOf(d.host.sshUser), "root");
    assert.equal(await pulumi.isSecret(d.host.sshPrivateKey), true);
  });

  it("warns about a world-open range", async () => {
    const warnings = await capturingWarnings(() =>
      deploy("drop-world", args({}, { allowedCidrs: ["0.0.0.0/0"] })),
    );
    assert.ok(
      warnings.some((w) => w.includes("allowedCidrs includes 0.0.0.0/0")),
      warnings.join("\n"),
    );
  });
});
